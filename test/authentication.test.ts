import { SignJWT } from 'jose';
import { AUDIENCE, DEVELOPMENT_ISSUER, mintToken, newDevelopmentKey } from '../gateway/features/authentication/tokens';
import { gatewayEnvironment } from '../gateway/config';
import { encodeKey, newSigningKeyPair } from '../protocol/request-signing';
import { startGraph, type RunningGraph } from './harness';

/** Authentication of partner agencies (issue 5, item 1). */
describe('agencies call with tokens signed by their keys', () => {
  let graph: RunningGraph;
  beforeAll(async () => {
    graph = await startGraph({ persons: 10 });
  });
  afterAll(() => graph.stop());

  const ask = (authorization?: string) =>
    graph.query('{ rules(idPrefix: "REG") { id } }', undefined, authorization ? { authorization } : {});

  it('serves a valid token, and a request without one', async () => {
    expect((await ask(`Bearer ${await graph.token('border-service')}`)).body.data.rules.length).toBeGreaterThan(0);
    expect((await ask()).body.data.rules.length).toBeGreaterThan(0);
  });

  it.each([
    ['an expired token', async () => `Bearer ${await graph.token('police', 'p-1', { ttlSeconds: -120 })}`, /expired/],
    ['a token signed with another key', async () => `Bearer ${await mintToken(await newDevelopmentKey(), { agency: 'police', subject: 'p-1' })}`, /not valid/],
    ['a token for another audience', async () => `Bearer ${await foreignAudience()}`, /not valid/],
    ['a malformed header', async () => 'Token abc', /must be "Bearer <token>"/],
    ['a bearer that is no token', async () => 'Bearer garbage', /not a JWT/],
    ['garbage for a token', async () => 'Bearer a.b.c', /not valid/],
  ])('refuses %s with 401 UNAUTHENTICATED and a bearer challenge', async (name, authorization, message) => {
    const sent = await authorization();
    const response = await ask(sent);
    expect(response.status).toBe(401);
    expect(response.body.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    expect(response.body.errors?.[0].message).toMatch(message);
    expect(response.body.data).toBeUndefined();
    // RFC 6750, section 3: the challenge says what was wrong, for a client library that reads it.
    const raw = await fetch(graph.gatewayUrl, { method: 'POST', headers: { 'content-type': 'application/json', authorization: sent }, body: JSON.stringify({ query: '{ rules { id } }' }) });
    const error = name === 'a malformed header' ? 'invalid_request' : 'invalid_token';
    expect(raw.headers.get('www-authenticate')).toMatch(new RegExp(`^Bearer realm="dmx", error="${error}", error_description="[^"\\\\]+"$`));
  });

  it('records the verified caller, not a name in an argument, on a workflow step', async () => {
    const { body } = await graph.query('{ persons(first: 10) { nodes { applications { id status } } } }');
    const submitted = body.data.persons.nodes.flatMap((p: { applications: { id: string; status: string }[] }) => p.applications).find((a: { status: string }) => a.status === 'SUBMITTED');
    expect(submitted).toBeDefined();
    const token = await graph.token('migration-officer', 'officer-17');
    const stepped = await graph.query(
      `mutation($id: ID!) { takeApplicationForReview(id: $id, officer: "Someone Else") { history { toStatus actor } } }`,
      { id: submitted.id },
      { authorization: `Bearer ${token}`, 'x-dmx-purpose': 'CASE_PROCESSING' },
    );
    expect(stepped.body.data.takeApplicationForReview.history.at(-1)).toEqual({ toStatus: 'UNDER_REVIEW', actor: 'migration-officer:officer-17' });
  });

  async function foreignAudience(): Promise<string> {
    const key = await newDevelopmentKey();
    return new SignJWT({ agency: 'police', scope: 'persons:read' }).setProtectedHeader({ alg: 'ES256', kid: key.kid }).setIssuer(DEVELOPMENT_ISSUER).setAudience('another-system').setSubject('p-1').setExpirationTime('1h').sign(key.privateKey);
  }
});

describe('production refuses development keys', () => {
  const production = { NODE_ENV: 'production', GATEWAY_PRIVATE_KEY: encodeKey(newSigningKeyPair().privateKey) };
  const border = { issuer: 'https://idp.border.gov.az', jwksUrl: 'https://idp.border.gov.az/jwks', agencies: ['border-service'] };

  it('needs the trusted issuers, each with its keys and the agencies it speaks for', () => {
    expect(gatewayEnvironment.safeParse(production).success).toBe(false);
    expect(gatewayEnvironment.safeParse({ ...production, AUTH_TRUST: JSON.stringify([border]) }).success).toBe(true);
    for (const wrong of [
      'not json',
      JSON.stringify([{ ...border, agencies: ['ministry-of-magic'] }]),
      JSON.stringify([{ ...border, agencies: ['registry'] }]),
      JSON.stringify([{ ...border, agencies: [] }]),
      JSON.stringify([{ issuer: border.issuer, agencies: ['border-service'] }]),
      JSON.stringify([{ ...border, jwks: { keys: [{ kty: 'EC' }] } }]),
    ]) {
      expect({ wrong, ok: gatewayEnvironment.safeParse({ ...production, AUTH_TRUST: wrong }).success }).toEqual({ wrong, ok: false });
    }
  });

  it('refuses a key set holding a development key', async () => {
    const key = await newDevelopmentKey();
    const result = gatewayEnvironment.safeParse({
      ...production,
      AUTH_TRUST: JSON.stringify([{ issuer: 'https://idp.police.gov.az', jwks: { keys: [key.publicJwk] }, agencies: ['police'] }]),
    });
    expect(result.success).toBe(false);
    expect(JSON.stringify(result.error?.issues)).toMatch(/development key/);
    expect(AUDIENCE).toBe('dmx-registries-graph');
  });
});
