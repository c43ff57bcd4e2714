import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Kind, parse } from 'graphql';
import { AGENCIES } from '../gateway/features/authorization/agencies';
import { ANONYMOUS, startGraph, type RunningGraph } from './harness';

/**
 * Issue 19, item 5: every example of the README runs as written, on the demo data, as the caller it
 * names. GraphQL examples (```graphql blocks) are sent operation by operation, each its exact text;
 * a `# caller: <agency>, <PURPOSE>` or `# caller: none (no token)` comment above one says who sends it
 * (the IDE's administrator otherwise), `# variables: {…}` its variables. Shell examples (```sh blocks
 * with curl) run in bash in README order, as a reader's terminal session would, with `curl` and
 * `npm run token` standing in: the request curl would send goes to a graph started here, with a token
 * minted for the agency the example asks for.
 */
const ROOT = path.resolve(__dirname, '..');
const README = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
const DEFAULT_CALLER = { agency: 'administrator', purpose: 'ADMINISTRATION' } as const;

interface GraphqlExample {
  line: number;
  text: string;
  caller: { agency: string; purpose?: string } | null;
  variables?: Record<string, unknown>;
}

/** The fenced blocks of a language, with the line each starts on. */
function blocks(language: string): { line: number; body: string }[] {
  const found: { line: number; body: string }[] = [];
  const fence = new RegExp('^```' + language + '\\s*\\n([\\s\\S]*?)^```\\s*$', 'gm');
  for (const match of README.matchAll(fence)) found.push({ line: README.slice(0, match.index).split('\n').length, body: match[1] });
  return found;
}

function graphqlExamples(): GraphqlExample[] {
  return blocks('graphql').flatMap(({ line, body }) => {
    let previousEnd = 0;
    return parse(body).definitions.flatMap((definition) => {
      const { start, end } = definition.loc!;
      const before = body.slice(previousEnd, start);
      previousEnd = end;
      if (definition.kind !== Kind.OPERATION_DEFINITION) return [];
      const callerLine = /^#\s*caller:\s*(.+)$/m.exec(before)?.[1].trim();
      const variablesLine = /^#\s*variables:\s*(\{.*\})\s*$/m.exec(before)?.[1];
      let caller: GraphqlExample['caller'] = DEFAULT_CALLER;
      if (callerLine) {
        const [agency, purpose] = callerLine.split(',').map((part) => part.trim());
        caller = /^none\b/.test(agency) ? null : { agency, purpose };
      }
      return [{ line: line + body.slice(0, start).split('\n').length, text: body.slice(start, end), caller, variables: variablesLine ? JSON.parse(variablesLine) : undefined }];
    });
  });
}

interface CurlRequest {
  url: string;
  headers: Record<string, string>;
  body?: string;
}

/**
 * Runs the README's shell examples that call curl, in order, in one bash session in the repository,
 * with `curl` and `npm` as functions that only report what they were asked; gives the requests curl
 * was asked to send. Everything else (variables, quoting, `node -e` reading the manifest) runs for real.
 */
function curlRequests(): CurlRequest[] {
  const script = blocks('sh')
    .map(({ body }) => body)
    .filter((body) => /^\s*curl\b/m.test(body))
    .join('\n');
  const prelude = [
    // `npm run -s token -- <args>` prints a token: here a placeholder naming its arguments.
    `npm() { printf 'readme-token(%s)' "$*"; }`,
    // curl: each argument, NUL-terminated, then a record separator.
    `curl() { for argument in "$@"; do printf '%s\\0' "$argument"; done; printf '\\036'; }`,
  ].join('\n');
  const output = execFileSync('bash', ['-euo', 'pipefail', '-c', `${prelude}\n${script}`], { cwd: ROOT, encoding: 'utf8' });
  return output
    .split('\x1e')
    .filter((record) => record.length > 0)
    .map((record) => {
      const args = record.split('\0').slice(0, -1);
      const request: CurlRequest = { url: '', headers: {} };
      for (let i = 0; i < args.length; i++) {
        const argument = args[i];
        if (argument === '-H') {
          const [name, ...value] = args[++i].split(':');
          request.headers[name.trim().toLowerCase()] = value.join(':').trim();
        } else if (argument === '-d' || argument === '--data') {
          request.body = args[++i];
        } else if (argument.startsWith('-')) {
          if (argument !== '-s') throw new Error(`A README curl example uses ${argument}, which this test does not read`);
        } else {
          request.url = argument;
        }
      }
      return request;
    });
}

describe('the README examples run as written (issue 19)', () => {
  let graph: RunningGraph;

  beforeAll(async () => {
    graph = await startGraph({ persons: 60 });
  }, 180_000);
  afterAll(() => graph?.stop());

  const headersOf = async (caller: GraphqlExample['caller']) => (caller ? graph.caller(caller.agency, caller.purpose) : ANONYMOUS);

  const examples = graphqlExamples();
  it('finds the GraphQL examples, each naming a caller that exists', () => {
    expect(examples.length).toBeGreaterThanOrEqual(6);
    for (const { caller, line } of examples) {
      if (!caller) continue;
      expect({ line, agency: caller.agency, known: Boolean(AGENCIES[caller.agency]) }).toEqual({ line, agency: caller.agency, known: true });
    }
  });

  it.each(examples.map((example) => [example.line, example.caller ? example.caller.agency : 'no token', example] as const))(
    'the GraphQL example at README line %i, as %s, answers without an error',
    async (_line, _caller, example) => {
      const response = await graph.query(example.text, example.variables, await headersOf(example.caller));
      expect({ status: response.status, errors: response.body.errors ?? [] }).toEqual({ status: 200, errors: [] });
      for (const [field, value] of Object.entries(response.body.data ?? {})) expect({ field, value }).toEqual({ field, value: expect.anything() });
      expect(Object.keys(response.body.data ?? {}).length).toBeGreaterThan(0);
    },
  );

  it('the curl examples send what the graph answers without an error, with a token minted as the README mints it', async () => {
    const requests = curlRequests();
    expect(requests.length).toBeGreaterThanOrEqual(3);
    for (const request of requests) {
      const url = new URL(request.url.startsWith('http') ? request.url : `http://${request.url}`);
      expect(url.host).toBe('localhost:4000');
      const headers = { ...request.headers };
      const token = /^Bearer readme-token\((.*)\)$/.exec(headers.authorization ?? '');
      if (token) {
        const agency = /--agency (\S+)/.exec(token[1])![1];
        const subject = /--subject (\S+)/.exec(token[1])?.[1];
        headers.authorization = `Bearer ${await graph.token(agency, subject)}`;
      }
      const response = await fetch(new URL(url.pathname + url.search, graph.gatewayUrl), { method: request.body === undefined ? 'GET' : 'POST', headers, body: request.body });
      const body = (await response.json()) as { data?: Record<string, unknown>; errors?: unknown[] };
      expect({ body: request.body, status: response.status, errors: body.errors ?? [] }).toEqual({ body: request.body, status: 200, errors: [] });
      for (const [field, value] of Object.entries(body.data ?? {})) expect({ field, value }).toEqual({ field, value: expect.anything() });
    }
  });
});
