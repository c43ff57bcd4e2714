import { print } from 'graphql';
import { operationHash } from '../gateway/features/persisted-operations/persisted-operations';
import { ApplicationByNumberDocument, PersonPictureDocument } from './generated/operations';
import { AGENCIES } from '../gateway/features/authorization/agencies';
import { CLAIMS_HEADER } from '../protocol/headers';
import { encodeClaims } from '../protocol/claims';
import { SIGNATURE_HEADER } from '../protocol/request-signing';
import { eventually, expectData, startGraph, type RunningGraph } from './harness';

/**
 * Issue 5, item 6, through the gateway over HTTP: in safelist mode a partner runs only the committed
 * operations, by hash or by their exact text; anything else is refused before planning; the
 * registries' own calls through the graph (intake reads, outbox delivery) are not partner calls.
 */
describe('persisted operations in safelist mode (issue 5)', () => {
  let graph: RunningGraph;
  let personId: string;
  beforeAll(async () => {
    graph = await startGraph({ persons: 6, persisted: 'safelist' });
    // Found through the database: an ad-hoc query is exactly what safelist mode refuses.
    [{ id: personId }] = await graph.subgraphs.persons!.db.query<{ id: string }>('test.any-person', 'select id from persons order by id limit 1');
  });
  afterAll(() => graph.stop());

  const byHash = async (text: string, variables: Record<string, unknown>, headers?: Record<string, string>) => {
    const response = await fetch(graph.gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(headers ?? (await graph.caller('border-service', 'BORDER_CONTROL'))) },
      body: JSON.stringify({ variables, extensions: { persistedQuery: { version: 1, sha256Hash: operationHash(text) } } }),
    });
    return { status: response.status, body: (await response.json()) as { data?: any; errors?: { extensions?: { code?: string } }[] } };
  };

  it('a committed operation runs by its hash, with the caller’s scopes applied', async () => {
    const { status, body } = await byHash(print(PersonPictureDocument), { id: personId });
    expect(status).toBe(200);
    expect(body.data.person.id).toBe(personId);
    // The border service may not read applications: left out as ever, persisted or not.
    expect(body.data.person.applications).toBeNull();
    expect(body.errors?.map((error) => error.extensions?.code)).toContain('FORBIDDEN');
  });

  it('and by its exact text', async () => {
    const response = await graph.query(PersonPictureDocument, { id: personId });
    expect(expectData(response).person!.id).toBe(personId);
  });

  it('anything else is refused with 403 PERSISTED_QUERY_NOT_IN_SAFELIST, one field more included (layout aside)', async () => {
    const adHoc = await graph.query(`query($id: ID!) { person(id: $id) { surname } }`, { id: personId });
    expect(adHoc.status).toBe(403);
    expect(adHoc.body.errors?.[0].extensions?.code).toBe('PERSISTED_QUERY_NOT_IN_SAFELIST');
    // Layout is not the operation (issue 19): the committed text with a space more is the same one.
    const spaced = await graph.query(`${print(ApplicationByNumberDocument)} `, { number: 'WP-2025-00000001' });
    expect(spaced.status).toBe(200);
    const altered = await graph.query(print(ApplicationByNumberDocument).replace('status', 'status type'), { number: 'WP-2025-00000001' });
    expect(altered.status).toBe(403);
    const unknown = await byHash('query Unknown { rules { id } }', {});
    expect(unknown.body.errors?.[0].extensions?.code).toBe('PERSISTED_QUERY_NOT_FOUND');
  });

  it("the registries' own calls are not bound by the partners' safelist: intake and the outbox still work", async () => {
    // An officer's desk application would send a committed operation; here the step is sent to the
    // applications registry directly, signed as the gateway would, so that what is tested is the
    // registry's own reads (intake) and deliveries (outbox) through the safelisted gateway.
    const body = JSON.stringify({
      query: `mutation($p: ID!) { submitApplication(input: { applicantId: $p, type: WORK_PERMIT, channel: ASAN_XIDMET, requestedDurationMonths: 12,
        documents: [PASSPORT, PHOTO, MEDICAL_CERTIFICATE, EMPLOYMENT_CONTRACT, NO_CRIMINAL_RECORD_CERTIFICATE] }) { outcome reasons { ruleId } application { id } } }`,
      variables: { p: personId },
    });
    const claims = encodeClaims({ agency: 'migration-officer', subject: 'desk-7', scopes: AGENCIES['migration-officer'].scopes });
    const response = await fetch(graph.subgraphs.applications!.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', [CLAIMS_HEADER]: claims, [SIGNATURE_HEADER]: graph.signAsGateway({ audience: 'applications', claims, body }) },
      body,
    });
    const answer = (await response.json()) as { data?: { submitApplication: { outcome: string; application: { id: string } | null } }; errors?: unknown[] };
    // Intake read the applicant's records through the gateway: any outcome but an error says it could.
    expect(answer.errors).toBeUndefined();
    const application = answer.data!.submitApplication.application!;
    expect(application).not.toBeNull();
    await eventually(async () => {
      const [duty] = await graph.subgraphs.payments!.db.query<{ id: string }>('test.duty', 'select id from payments where application_id = $1', [application.id]);
      return duty;
    }, 'the duty billed through the safelisted gateway');
  });
});
