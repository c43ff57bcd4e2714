import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildSchema, lexicographicSortSchema, printSchema } from 'graphql';
import { mintToken } from '../gateway/features/authentication/tokens';
import { startGatewayOnly, type GraphQLAnswer } from './harness';

const root = path.resolve(__dirname, '..');
const api = readFileSync(path.join(root, 'schema/api.graphql'), 'utf8');
/** A schema's text with its types and fields in order of name, descriptions kept: equal for the same schema, whatever order it was printed in. */
const normalized = (sdl: string) => printSchema(lexicographicSortSchema(buildSchema(sdl)));

/** Runs a command without holding this process's event loop (the gateway it calls runs here). */
function run(command: string, args: string[], options: { cwd: string; env: NodeJS.ProcessEnv }): Promise<{ status: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.on('error', reject);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, output });
    });
  });
}

/** Partners get the contract from the gateway they call (introspection is off in production), with a token. */
describe('the contract at /schema.graphql', () => {
  let http: Awaited<ReturnType<typeof startGatewayOnly>>;
  let url: string;
  let bank: string;
  beforeAll(async () => {
    http = await startGatewayOnly();
    url = new URL('/schema.graphql', http.url).toString();
    bank = `Bearer ${await mintToken(http.key, { agency: 'bank', subject: 'developer-1' })}`;
  });
  afterAll(() => http.stop());

  it('is the schema of schema/api.graphql, each field saying who may read it, to any agency with a token', async () => {
    const answer = await fetch(url, { headers: { authorization: bank } });
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(answer.headers.get('cache-control')).toBe('private, no-cache');
    const served = await answer.text();
    expect(normalized(served)).toBe(normalized(api));
    expect(served).toContain('Needs the scope `persons:read`.');
  });

  it('answers 304 while it is the same, and HEAD without a body', async () => {
    const first = await fetch(url, { headers: { authorization: bank } });
    const etag = first.headers.get('etag')!;
    expect(etag).toMatch(/^"/);
    expect((await fetch(url, { headers: { authorization: bank, 'if-none-match': etag } })).status).toBe(304);
    const head = await fetch(url, { method: 'HEAD', headers: { authorization: bank } });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
  });

  it('refuses a caller without a token, or with a bad one, with 401 and the bearer challenge', async () => {
    const none = await fetch(url);
    expect(none.status).toBe(401);
    // No credentials: the bare challenge (RFC 6750, 3.1).
    expect(none.headers.get('www-authenticate')).toBe('Bearer realm="dmx"');
    expect(((await none.json()) as GraphQLAnswer).errors[0].extensions.code).toBe('UNAUTHENTICATED');
    const forged = await fetch(url, { headers: { authorization: `${bank.slice(0, -4)}AAAA` } });
    expect(forged.status).toBe(401);
    expect(forged.headers.get('www-authenticate')).toMatch(/error="invalid_token"/);
    // Credentials of another scheme (a proxy's Basic) are none to a page: the bare challenge too.
    const basic = await fetch(url, { headers: { authorization: 'Basic dXNlcjpwYXNz' } });
    expect(basic.status).toBe(401);
    expect(basic.headers.get('www-authenticate')).toBe('Bearer realm="dmx"');
    // A bearer header that holds no token is refused as such: invalid_request.
    const empty = await fetch(url, { headers: { authorization: 'Bearer' } });
    expect(empty.status).toBe(401);
    expect(empty.headers.get('www-authenticate')).toMatch(/^Bearer realm="dmx", error="invalid_request"/);
  });

  it('is read, not written: 405 for any other method', async () => {
    const posted = await fetch(url, { method: 'POST', headers: { authorization: bank, 'content-type': 'application/json' }, body: '{}' });
    expect(posted.status).toBe(405);
    expect(posted.headers.get('allow')).toBe('GET, HEAD');
  });

  it("is what graphql-codegen loads from the gateway's URL with the partner's token", async () => {
    const project = mkdtempSync(path.join(tmpdir(), 'dmx-contract-download-'));
    try {
      symlinkSync(path.join(root, 'node_modules'), path.join(project, 'node_modules'), 'dir');
      mkdirSync(path.join(project, 'schema'));
      // The guide's way: the schema from the gateway, with the token from the environment.
      writeFileSync(
        path.join(project, 'codegen.ts'),
        `import type { CodegenConfig } from '@graphql-codegen/cli';
const config: CodegenConfig = {
  schema: { [process.env.DMX_GRAPH_SCHEMA_URL!]: { headers: { Authorization: \`Bearer \${process.env.DMX_TOKEN}\` } } },
  generates: { 'schema/api.graphql': { plugins: ['schema-ast'] } },
};
export default config;
`,
      );
      const generate = await run(process.execPath, [path.join(root, 'node_modules/@graphql-codegen/cli/cjs/bin.js'), '--config', 'codegen.ts'], {
        cwd: project,
        env: { ...process.env, DMX_GRAPH_SCHEMA_URL: url, DMX_TOKEN: bank.slice('Bearer '.length) },
      });
      expect(generate).toEqual({ status: 0, output: expect.any(String) });
      expect(normalized(readFileSync(path.join(project, 'schema/api.graphql'), 'utf8'))).toBe(normalized(api));
    } finally {
      rmSync(project, { recursive: true, force: true });
    }
  });
});
