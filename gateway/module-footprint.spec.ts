import { execFileSync } from 'node:child_process';
import path from 'node:path';

/**
 * The gateway's memory starts with the modules it loads; every module's source and objects stay for
 * the life of the process. These belong to the registries only, and stay out of the gateway's module
 * graph: type-graphql (building subgraph schemas from classes, with graphql-scalars behind it) and the
 * country names of i18n-iso-countries (about 80 languages, where only the codes are checked).
 */
const REGISTRY_ONLY = [/node_modules\/type-graphql\//, /node_modules\/graphql-scalars\//, /node_modules\/i18n-iso-countries\/langs\//];

describe('the gateway module graph', () => {
  it('does not load what only the registries need', () => {
    const root = path.resolve(__dirname, '..');
    // A fresh process, so that no other test's imports are counted.
    const loaded: string[] = JSON.parse(
      execFileSync(
        process.execPath,
        ['-r', 'ts-node/register/transpile-only', '-e', "require('./gateway/app'); console.log(JSON.stringify(Object.keys(require.cache)))"],
        { cwd: root, encoding: 'utf8' },
      ),
    );
    expect(loaded.some((file) => file.endsWith(path.join('gateway', 'app.ts')))).toBe(true);
    expect(loaded.filter((file) => REGISTRY_ONLY.some((pattern) => pattern.test(file)))).toEqual([]);
  });
});
