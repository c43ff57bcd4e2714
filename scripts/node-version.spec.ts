import { readFileSync } from 'node:fs';
import path from 'node:path';
import { nodeVersionProblem, SUPPORTED_NODE } from './node-version';

describe('the Node.js versions the services run on', () => {
  it('are those that load an ES module with require() without a flag', () => {
    for (const version of ['20.19.0', '20.20.2', '22.12.0', '23.0.0', '24.11.1']) expect(nodeVersionProblem(version)).toBeNull();
    for (const version of ['18.20.4', '20.12.0', '20.18.3', '21.7.3', '22.11.0']) expect(nodeVersionProblem(version)).toMatch(/^Node\.js .* cannot run the registries: they need Node\.js 20\.19/);
  });

  it("are what package.json's engines says, and include the one running these tests", () => {
    const manifest = JSON.parse(readFileSync(path.join(__dirname, '..', 'package.json'), 'utf8')) as { engines: { node: string } };
    expect(manifest.engines.node).toBe(SUPPORTED_NODE);
    expect(nodeVersionProblem()).toBeNull();
  });
});
