import { STATE_PATH } from '../subgraphs/shared/registry-state';
import { sign, SIGNATURE_HEADER, signingPayload } from '../subgraphs/shared/request-signing';
import { SUBGRAPH_NAMES } from '../subgraphs/shared/server/subgraph-definition';
import { startGraph, type RunningGraph } from './harness';

/** Subgraph trust (issue 5, item 4): a registry answers the gateway only. */
describe('the subgraphs accept only requests signed by the gateway', () => {
  let graph: RunningGraph;
  beforeAll(async () => {
    graph = await startGraph({ persons: 3 });
  });
  afterAll(() => graph.stop());

  const signed = (key: string, payload: string, now?: Date) => sign(key, signingPayload(undefined, payload), now);
  const body = JSON.stringify({ query: '{ _entities(representations: [{ __typename: "Person", id: "00000000-0000-4000-8000-000000000001" }]) { __typename } }' });
  const direct = (name: (typeof SUBGRAPH_NAMES)[number], headers: Record<string, string>, payload = body) =>
    fetch(graph.subgraphs[name]!.url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: payload });

  it.each(SUBGRAPH_NAMES)('%s refuses a direct call, a forged signature, a stale one and a tampered body', async (name) => {
    const attempts: Record<string, string>[] = [
      {},
      { [SIGNATURE_HEADER]: signed('f'.repeat(64), body) },
      { [SIGNATURE_HEADER]: signed(graph.signingKey, body, new Date(Date.now() - 5 * 60_000)) },
      { [SIGNATURE_HEADER]: 'nonsense' },
    ];
    for (const headers of attempts) {
      const response = await direct(name, headers);
      expect(response.status).toBe(401);
      const answer = await response.json();
      expect(answer.data).toBeUndefined();
      expect(answer.errors[0].extensions.code).toBe('UNAUTHENTICATED');
    }
    const tampered = await direct(name, { [SIGNATURE_HEADER]: signed(graph.signingKey, body) }, body.replace('0001', '0002'));
    expect(tampered.status).toBe(401);
  });

  it('answers the signed request, and its health check to anyone', async () => {
    const answered = await direct('persons', { [SIGNATURE_HEADER]: signed(graph.signingKey, body) });
    expect(answered.status).toBe(200);
    expect((await answered.json()).data._entities).toEqual([null]);
    const health = await fetch(graph.subgraphs.persons!.url.replace('/graphql', '/health'));
    expect(await health.json()).toEqual({ status: 'ok', subgraph: 'persons' });
  });

  it.each(SUBGRAPH_NAMES)("%s answers its state (the gateway's read cache) to the gateway only", async (name) => {
    const stateUrl = graph.subgraphs[name]!.url.replace('/graphql', STATE_PATH);
    expect((await fetch(stateUrl)).status).toBe(401);
    expect((await fetch(stateUrl, { headers: { [SIGNATURE_HEADER]: signed('f'.repeat(64), '') } })).status).toBe(401);
    const answered = await fetch(stateUrl, { headers: { [SIGNATURE_HEADER]: signed(graph.signingKey, '') } });
    expect(answered.status).toBe(200);
    expect(await answered.json()).toEqual({ state: expect.stringMatching(new RegExp(`^${name}:[0-9a-f]{16}\\.\\d+@\\d{4}-\\d{2}-\\d{2}$`)) });
  });

  it('refuses claims swapped into a signed request', async () => {
    const claims = Buffer.from(JSON.stringify({ agency: 'administrator', subject: 'intruder', scopes: ['audit:read'] })).toString('base64url');
    const response = await direct('persons', { [SIGNATURE_HEADER]: signed(graph.signingKey, body), 'x-dmx-claims': claims });
    expect(response.status).toBe(401);
  });

  it('refuses a GET query too (unsigned by construction)', async () => {
    const response = await fetch(`${graph.subgraphs.payments!.url}?query=${encodeURIComponent('{ __typename }')}`);
    expect(response.status).toBe(401);
  });
});
