import { AGENCIES } from '../gateway/features/authorization/agencies';
import { CLAIMS_HEADER } from '../protocol/headers';
import { encodeClaims } from '../protocol/claims';
import { STATE_PATH } from '../protocol/registry-state';
import { newSigningKeyPair, signRequest, SIGNATURE_HEADER } from '../protocol/request-signing';
import { SUBGRAPH_NAMES } from '../protocol/registries';
import { startGraph, type GraphQLAnswer, type RunningGraph } from './harness';

type Name = (typeof SUBGRAPH_NAMES)[number];

/**
 * Subgraph trust (issue 5, item 4; issue 18, item 3): a registry, and the audit log, answer only a
 * request the gateway signed for it, as sent, once. Tried at the registries over HTTP, as someone
 * between the gateway and them (or a compromised registry) would.
 */
describe('the subgraphs accept only requests signed by the gateway', () => {
  let graph: RunningGraph;
  beforeAll(async () => {
    graph = await startGraph({ persons: 3 });
  });
  afterAll(() => graph.stop());

  const body = JSON.stringify({ query: '{ _entities(representations: [{ __typename: "Person", id: "00000000-0000-4000-8000-000000000001" }]) { __typename } }' });
  const urlOf = (name: Name, path = '/graphql') => new URL(path, graph.subgraphs[name]!.url).toString();
  const direct = (name: Name, headers: Record<string, string>, payload = body, path = '/graphql') =>
    fetch(urlOf(name, path), { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: payload });
  const refusal = async (response: Response) => ({ status: response.status, reason: ((await response.json()) as { errors?: { message: string }[] }).errors?.[0]?.message });

  it.each(SUBGRAPH_NAMES)('%s refuses a direct call, a forged signature, a stale one, one for another registry and a tampered body', async (name) => {
    const other = SUBGRAPH_NAMES.find((candidate) => candidate !== name)!;
    const attempts: Record<string, string>[] = [
      {},
      { [SIGNATURE_HEADER]: signRequest(newSigningKeyPair().privateKey, { audience: name, method: 'POST', path: '/graphql', contentType: 'application/json', body }) },
      { [SIGNATURE_HEADER]: graph.signAsGateway({ audience: name, body }, { now: new Date(Date.now() - 5 * 60_000) }) },
      { [SIGNATURE_HEADER]: graph.signAsGateway({ audience: other, body }) },
      { [SIGNATURE_HEADER]: 'nonsense' },
    ];
    for (const headers of attempts) {
      const response = await direct(name, headers);
      expect(response.status).toBe(401);
      const answer = (await response.json()) as GraphQLAnswer;
      expect(answer.data).toBeUndefined();
      expect(answer.errors[0].extensions.code).toBe('UNAUTHENTICATED');
    }
    const tampered = await direct(name, { [SIGNATURE_HEADER]: graph.signAsGateway({ audience: name, body }) }, body.replace('0001', '0002'));
    expect(tampered.status).toBe(401);
  });

  it('answers the signed request, and its health check to anyone', async () => {
    const answered = await direct('persons', { [SIGNATURE_HEADER]: graph.signAsGateway({ audience: 'persons', body }) });
    expect(answered.status).toBe(200);
    expect(((await answered.json()) as GraphQLAnswer).data._entities).toHaveLength(1);
    const health = await fetch(urlOf('persons', '/health'));
    expect(await health.json()).toEqual({ status: 'ok', subgraph: 'persons' });
  });

  it.each(SUBGRAPH_NAMES)("%s answers its state (the gateway's read cache) to the gateway only", async (name) => {
    const stateUrl = urlOf(name, STATE_PATH);
    const probe = { audience: name, method: 'GET', path: STATE_PATH, contentType: undefined };
    expect((await fetch(stateUrl)).status).toBe(401);
    expect((await fetch(stateUrl, { headers: { [SIGNATURE_HEADER]: signRequest(newSigningKeyPair().privateKey, probe) } })).status).toBe(401);
    const answered = await fetch(stateUrl, { headers: { [SIGNATURE_HEADER]: graph.signAsGateway(probe) } });
    expect(answered.status).toBe(200);
    expect(await answered.json()).toEqual({ state: expect.stringMatching(new RegExp(`^${name}:[0-9a-f]{16}\\.\\d+@\\d{4}-\\d{2}-\\d{2}$`)) });
  });

  it('refuses claims swapped into a signed request', async () => {
    const claims = Buffer.from(JSON.stringify({ agency: 'administrator', subject: 'intruder', scopes: ['audit:read'] })).toString('base64url');
    const response = await direct('persons', { [SIGNATURE_HEADER]: graph.signAsGateway({ audience: 'persons', body }), [CLAIMS_HEADER]: claims });
    expect(response.status).toBe(401);
  });

  it('refuses a GET query too (unsigned by construction)', async () => {
    const response = await fetch(`${graph.subgraphs.payments!.url}?query=${encodeURIComponent('{ __typename }')}`);
    expect(response.status).toBe(401);
  });

  describe('a signature is good for one request, to one place, once (issue 18, item 3)', () => {
    const officer = encodeClaims({ agency: 'migration-officer', subject: 'desk-7', scopes: AGENCIES['migration-officer'].scopes });

    it('refuses a replayed read of personal data: the second time answers nothing', async () => {
      const [{ id }] = await graph.subgraphs.persons!.db.query<{ id: string }>('test.any-person', 'select id from persons order by id limit 1');
      const read = JSON.stringify({ query: 'query($id: ID!) { person(id: $id) { surname } }', variables: { id } });
      const headers = { [CLAIMS_HEADER]: officer, [SIGNATURE_HEADER]: graph.signAsGateway({ audience: 'persons', claims: officer, body: read }) };
      const first = await direct('persons', headers, read);
      expect(first.status).toBe(200);
      expect(((await first.json()) as GraphQLAnswer).data.person.surname).toEqual(expect.any(String));
      expect(await refusal(await direct('persons', headers, read))).toEqual({ status: 401, reason: 'Refused: replayed signature.' });
    });

    it('refuses a replayed write: the application is not made again', async () => {
      const [{ id }] = await graph.subgraphs.persons!.db.query<{ id: string }>('test.any-person', 'select id from persons order by id limit 1');
      const countApplications = async () =>
        (await graph.subgraphs.applications!.db.query<{ n: number }>('test.count', 'select count(*)::int as n from applications where applicant_id = $1', [id]))[0].n;
      const write = JSON.stringify({
        query: `mutation($p: ID!) { submitApplication(input: { applicantId: $p, type: WORK_PERMIT, channel: ASAN_XIDMET, requestedDurationMonths: 12,
          documents: [PASSPORT, PHOTO, MEDICAL_CERTIFICATE, EMPLOYMENT_CONTRACT, NO_CRIMINAL_RECORD_CERTIFICATE] }) { application { id } } }`,
        variables: { p: id },
      });
      const before = await countApplications();
      const headers = { [CLAIMS_HEADER]: officer, [SIGNATURE_HEADER]: graph.signAsGateway({ audience: 'applications', claims: officer, body: write }) };
      expect((await direct('applications', headers, write)).status).toBe(200);
      const made = await countApplications();
      expect(made).toBe(before + 1);
      for (let replay = 0; replay < 3; replay += 1) expect((await direct('applications', headers, write)).status).toBe(401);
      expect(await countApplications()).toBe(made);
    });

    it('refuses a replayed POST of audit records', async () => {
      // A batch the audit log refuses as malformed: its signature was accepted, and is not a second time.
      const batch = JSON.stringify({ entries: [{ agency: 'police' }] });
      const headers = { [SIGNATURE_HEADER]: graph.signAsGateway({ audience: 'audit', path: '/audit/records', body: batch }) };
      expect((await direct('audit', headers, batch, '/audit/records')).status).toBe(400);
      expect(await refusal(await direct('audit', headers, batch, '/audit/records'))).toEqual({ status: 401, reason: 'Refused: replayed signature.' });
    });

    it.each(SUBGRAPH_NAMES)("%s takes the state probe's signature for the probe alone: not for a GET query, nor a POST of application/graphql", async (name) => {
      const probe = graph.signAsGateway({ audience: name, method: 'GET', path: STATE_PATH, contentType: undefined });
      const query = '{ __typename }';
      const asGet = await fetch(`${urlOf(name)}?query=${encodeURIComponent(query)}`, { headers: { [SIGNATURE_HEADER]: probe } });
      expect(asGet.status).toBe(401);
      const asGraphql = await fetch(urlOf(name), { method: 'POST', headers: { 'content-type': 'application/graphql', [SIGNATURE_HEADER]: probe }, body: query });
      expect(asGraphql.status).toBe(401);
      // The probe itself is answered, once.
      expect((await fetch(urlOf(name, STATE_PATH), { headers: { [SIGNATURE_HEADER]: probe } })).status).toBe(200);
      expect((await fetch(urlOf(name, STATE_PATH), { headers: { [SIGNATURE_HEADER]: probe } })).status).toBe(401);
    });

    it('takes a signed GET for its own query string alone, and no body but JSON whatever the signature', async () => {
      const path = `/graphql?query=${encodeURIComponent('{ __typename }')}`;
      const signed = graph.signAsGateway({ audience: 'payments', method: 'GET', path, contentType: undefined });
      // Signed for this GET, it is answered (the gateway sends none; the signature covers the query string).
      expect((await fetch(urlOf('payments', path), { headers: { [SIGNATURE_HEADER]: signed } })).status).toBe(200);
      const otherQuery = `/graphql?query=${encodeURIComponent('{ _service { sdl } }')}`;
      const forThatQuery = graph.signAsGateway({ audience: 'payments', method: 'GET', path, contentType: undefined });
      expect((await fetch(urlOf('payments', otherQuery), { headers: { [SIGNATURE_HEADER]: forThatQuery } })).status).toBe(401);
      // A body the registry cannot check byte for byte is refused, whatever the signature says.
      const text = '{ __typename }';
      const asText = graph.signAsGateway({ audience: 'payments', contentType: 'application/graphql', body: text });
      expect((await fetch(urlOf('payments'), { method: 'POST', headers: { 'content-type': 'application/graphql', [SIGNATURE_HEADER]: asText }, body: text })).status).toBe(401);
    });

    it('refuses a signed request sent with another content type', async () => {
      for (const contentType of ['application/graphql', 'application/json; charset=utf-8', 'text/plain']) {
        const headers = { 'content-type': contentType, [SIGNATURE_HEADER]: graph.signAsGateway({ audience: 'persons', body }) };
        expect((await fetch(urlOf('persons'), { method: 'POST', headers, body })).status).toBe(401);
      }
    });

    it('refuses a signed request sent to another path', async () => {
      const signed = () => graph.signAsGateway({ audience: 'persons', body });
      expect((await direct('persons', { [SIGNATURE_HEADER]: signed() }, body, '/graphql?operationName=x')).status).toBe(401);
      expect((await direct('persons', { [SIGNATURE_HEADER]: signed() }, body, '/graphql/')).status).toBe(401);
      // What the gateway signs for the audit log's intake is no query of the audit log, and the other way round.
      const batch = JSON.stringify({ entries: [{ agency: 'police' }] });
      expect((await direct('audit', { [SIGNATURE_HEADER]: graph.signAsGateway({ audience: 'audit', path: '/audit/records', body: batch }) }, batch)).status).toBe(401);
      expect((await direct('audit', { [SIGNATURE_HEADER]: graph.signAsGateway({ audience: 'audit', body: batch }) }, batch, '/audit/records')).status).toBe(401);
    });

    it('checks the signature before it parses the body: a forged body is refused unparsed, even one not valid JSON', async () => {
      const forged = (payload: string, audience: Name | 'audit' = 'persons', path = '/graphql') =>
        signRequest(newSigningKeyPair().privateKey, { audience, method: 'POST', path, contentType: 'application/json', body: payload });
      const notJson = '{"query": "{ __typename }"'.repeat(1000);
      expect(await refusal(await direct('persons', { [SIGNATURE_HEADER]: forged(notJson) }, notJson))).toEqual({ status: 401, reason: 'Refused: bad signature.' });
      expect(await refusal(await direct('audit', { [SIGNATURE_HEADER]: forged(notJson, 'audit', '/audit/records') }, notJson, '/audit/records'))).toEqual({
        status: 401,
        reason: 'Refused: bad signature.',
      });
      // Signed by the gateway, the same bytes pass the signature and are read (and fail as not JSON).
      const signed = await direct('persons', { [SIGNATURE_HEADER]: graph.signAsGateway({ audience: 'persons', body: notJson }) }, notJson);
      expect(signed.status).not.toBe(401);
      expect((await refusal(signed)).reason).not.toMatch(/^Refused/);
    });

    it('refuses a malformed or stale signature, and a body not JSON, before it reads the body', async () => {
      // Larger than the intake takes (16 MiB): read, it would be refused as too large (413), not as unsigned.
      const huge = 'x'.repeat(17 * 2 ** 20);
      const stale = graph.signAsGateway({ audience: 'audit', path: '/audit/records', body: huge }, { now: new Date(Date.now() - 5 * 60_000) });
      const fresh = graph.signAsGateway({ audience: 'audit', path: '/audit/records', contentType: 'text/plain', body: huge });
      const post = (headers: Record<string, string>) => fetch(urlOf('audit', '/audit/records'), { method: 'POST', headers, body: huge }).then(refusal);
      expect(await post({ 'content-type': 'application/json', [SIGNATURE_HEADER]: 'nonsense' })).toEqual({ status: 401, reason: 'Refused: malformed signature.' });
      expect(await post({ 'content-type': 'application/json', [SIGNATURE_HEADER]: stale })).toEqual({ status: 401, reason: 'Refused: stale signature.' });
      expect(await post({ 'content-type': 'text/plain', [SIGNATURE_HEADER]: fresh })).toEqual({ status: 401, reason: 'Refused: a body the gateway never sends.' });
    });

    it.each(SUBGRAPH_NAMES)("%s refuses what a registry's own key signs: no registry can speak for the gateway", async (name) => {
      const headers = { [SIGNATURE_HEADER]: signRequest(graph.registryKey, { audience: name, method: 'POST', path: '/graphql', contentType: 'application/json', body }) };
      expect(await refusal(await direct(name, headers))).toEqual({ status: 401, reason: 'Refused: bad signature.' });
    });
  });
});
