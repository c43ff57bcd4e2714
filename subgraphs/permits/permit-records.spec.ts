import { CLAIMS_HEADER } from '../../protocol/headers';
import { encodeClaims } from '../../protocol/claims';
import type { GraphClient } from '../../platform/graph-client';
import { startSubgraphUnderTest, TEST_TODAY, type SubgraphUnderTest } from '../../platform/testing/subgraph-test-app';
import { permitsSubgraph } from './app';
import * as refresherModule from './presence-refresher';

/** The persons and applications registries as the graph shows them to this registry. */
class OtherRegistries implements GraphClient {
  readonly persons = new Set<string>();
  readonly applications = new Map<string, { id: string; status: string }>();
  async query<Data>(operation: string, variables: Record<string, unknown>): Promise<Data> {
    if (operation.includes('applicationByNumber')) return { applicationByNumber: this.applications.get(variables.number as string) ?? null } as Data;
    return { person: this.persons.has(variables.id as string) ? { birthDate: '1980-01-01' } : null } as Data;
  }
}

const HOLDER = '00000000-0000-4000-8000-00000000a001';
const ISSUED = { id: '00000000-0000-4000-8000-00000000b001', number: 'TRP-2026-00000901' };
const APPROVED = { id: '00000000-0000-4000-8000-00000000b002', number: 'TRP-2026-00000902' };

describe('permits subgraph: what may be recorded as a permit (issue 20)', () => {
  let subgraph: SubgraphUnderTest;
  const registries = new OtherRegistries();
  beforeAll(async () => {
    subgraph = await startSubgraphUnderTest(permitsSubgraph, 5, { graph: registries });
    registries.persons.add(HOLDER);
    registries.applications.set(ISSUED.number, { id: ISSUED.id, status: 'ISSUED' });
    registries.applications.set(APPROVED.number, { id: APPROVED.id, status: 'APPROVED' });
  });
  afterAll(() => subgraph.close());

  const count = async () => (await subgraph.db.query<{ n: number }>('test.count', 'select count(*)::int as n from permits'))[0].n;

  describe('recordIssuedPermit takes only an application the applications registry has issued', () => {
    const issued = (application: { id: string; number?: string }, extra: object = {}) =>
      subgraph.client.query(`mutation($input: IssuedPermitInput!) { recordIssuedPermit(input: $input) { number kind ground groundArticle familyMemberOfSpecialHolder } }`, {
        variables: {
          input: {
            applicationId: application.id, applicationNumber: application.number, holderId: HOLDER, kind: 'TEMPORARY_RESIDENCE_PERMIT',
            validFrom: TEST_TODAY, validUntil: '2027-11-01', issuedOn: TEST_TODAY, ...extra,
          },
        },
      });

    it.each([
      ['an application that does not exist', { id: '00000000-0000-4000-8000-00000000b0ff', number: 'TRP-2026-00000999' }, 'input.applicationNumber'],
      ['an application not issued (APPROVED)', APPROVED, 'input.applicationId'],
      ['an id that is not the numbered application’s', { id: APPROVED.id, number: ISSUED.number }, 'input.applicationId'],
      ['no tracking number', { id: ISSUED.id }, 'input.applicationNumber'],
    ])('refuses %s with BAD_USER_INPUT, and records nothing', async (_name, application, field) => {
      const before = await count();
      const response = await issued(application);
      expect(response.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
      expect(await count()).toBe(before);
    });

    it('records an issued application’s permit once, with its ground, article and PR-01 flag', async () => {
      const extra = { ground: 'employment', groundArticle: '45.1.3', familyMemberOfSpecialHolder: false };
      const first = await issued(ISSUED, extra);
      expect(first.data.recordIssuedPermit).toMatchObject({ kind: 'TEMPORARY_RESIDENCE_PERMIT', ground: 'EMPLOYMENT', groundArticle: '45.1.3', familyMemberOfSpecialHolder: false });
      const again = await issued(ISSUED, extra);
      expect(again.data.recordIssuedPermit.number).toBe(first.data.recordIssuedPermit.number);
      const malformed = await issued(ISSUED, { groundArticle: '46.2' });
      expect(malformed.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.groundArticle' });
    });
  });

  describe('recordHistoricalPermit: an administrator records what the Service issued in the past', () => {
    const HISTORICAL = `mutation($input: HistoricalPermitInput!) { recordHistoricalPermit(input: $input) {
      id number kind validFrom validUntil issuedOn ground groundArticle application { id } holder { id } } }`;
    const input = {
      holderId: HOLDER, kind: 'TEMPORARY_RESIDENCE_PERMIT', number: 'MV000000777', issuedOn: '2019-03-01', validFrom: '2019-03-01', validUntil: '2020-02-29',
      ground: 'INVESTMENT', groundArticle: '45.1.7', sourceDocumentKind: 'ARCHIVE_FILE', sourceDocumentNumber: 'ARX-2019/0311', idempotencyKey: 'archive-2019-0311',
    };
    const record = (overrides: object = {}, headers?: Record<string, string>) =>
      subgraph.client.query(HISTORICAL, { variables: { input: { ...input, ...overrides } }, ...(headers ? { headers } : {}) });

    it('records a permit of years ago with its number and article, once per key; other details under the key are refused', async () => {
      const first = (await record()).data.recordHistoricalPermit;
      expect(first).toMatchObject({ number: 'MV000000777', validFrom: '2019-03-01', ground: 'INVESTMENT', groundArticle: '45.1.7', application: null, holder: { id: HOLDER } });
      const before = await count();
      expect((await record()).data.recordHistoricalPermit.id).toBe(first.id);
      const reused = await record({ validUntil: '2020-03-31' });
      expect(reused.errors?.[0].extensions).toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED', differing: ['validUntil'] });
      expect(await count()).toBe(before);
    });

    it.each([
      ['a number already on record', { number: 'MV000000777', idempotencyKey: 'archive-2019-0999' }, 'input.number'],
      ['an issue day in the future', { issuedOn: '2027-01-01', validFrom: '2027-01-01', validUntil: '2027-12-31', idempotencyKey: 'archive-k-001' }, 'input.issuedOn'],
      ['a validity before 1900', { validFrom: '1899-01-01', idempotencyKey: 'archive-k-002' }, 'input.validFrom'],
      ['an end before the start', { validUntil: '2019-01-01', idempotencyKey: 'archive-k-003' }, 'input.validUntil'],
      ['an unknown holder', { holderId: '00000000-0000-4000-8000-00000000a0ff', number: null, idempotencyKey: 'archive-k-004' }, 'input.holderId'],
      ['no source document', { sourceDocumentNumber: ' ', idempotencyKey: 'archive-k-005' }, 'input.sourceDocumentNumber'],
      ['an article on a visa', { kind: 'VISA', visaType: 'WORK', number: null, idempotencyKey: 'archive-k-006' }, 'input.ground'],
    ])('refuses %s with BAD_USER_INPUT naming the field, and records nothing', async (_name, overrides, field) => {
      const before = await count();
      const response = await record(overrides);
      expect(response.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
      expect(await count()).toBe(before);
    });

    it('is the administrator’s alone: an officer with permits:write is refused', async () => {
      const officer = { [CLAIMS_HEADER]: encodeClaims({ agency: 'migration-officer', subject: 'o', scopes: ['permits:read', 'permits:write'] }) };
      const response = await record({ idempotencyKey: 'archive-k-007', number: null }, officer);
      expect(response.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    });
  });
});

describe('permits subgraph: a permit written wakes the presence refresher of its process', () => {
  let subgraph: SubgraphUnderTest;
  const registries = new OtherRegistries();
  const wake = jest.fn();
  beforeAll(async () => {
    // The refresher itself is tested in presence-refresher.spec.ts: here only whether the writes reach it.
    jest.spyOn(refresherModule, 'startPresenceRefresher').mockImplementation(() => ({ refresh: jest.fn(), wake, stop: async () => undefined }));
    subgraph = await startSubgraphUnderTest(permitsSubgraph, 5, { graph: registries, backgroundWork: true });
    registries.persons.add(HOLDER);
    registries.applications.set(ISSUED.number, { id: ISSUED.id, status: 'ISSUED' });
  });
  afterAll(async () => {
    await subgraph.close();
    jest.restoreAllMocks();
  });

  it('wakes it once per permit recorded, and not for a write refused or taken before', async () => {
    const historical = (idempotencyKey: string, holderId = HOLDER) =>
      subgraph.client.query(`mutation($input: HistoricalPermitInput!) { recordHistoricalPermit(input: $input) { id } }`, {
        variables: {
          input: {
            holderId, kind: 'VISA', visaType: 'WORK', number: null, issuedOn: '2019-03-01', validFrom: '2019-03-01', validUntil: '2020-02-29',
            sourceDocumentKind: 'ARCHIVE_FILE', sourceDocumentNumber: 'ARX-2019/0312', idempotencyKey,
          },
        },
      });
    expect((await historical('archive-wake-1')).data.recordHistoricalPermit.id).toBeDefined();
    expect(wake).toHaveBeenCalledTimes(1);
    // The same write again is answered from the record: nothing new to evaluate.
    await historical('archive-wake-1');
    expect((await historical('archive-wake-2', '00000000-0000-4000-8000-00000000a0ff')).errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(wake).toHaveBeenCalledTimes(1);

    const issued = await subgraph.client.query(`mutation($input: IssuedPermitInput!) { recordIssuedPermit(input: $input) { number } }`, {
      variables: {
        input: {
          applicationId: ISSUED.id, applicationNumber: ISSUED.number, holderId: HOLDER, kind: 'TEMPORARY_RESIDENCE_PERMIT',
          validFrom: TEST_TODAY, validUntil: '2027-11-01', issuedOn: TEST_TODAY,
        },
      },
    });
    expect(issued.data.recordIssuedPermit.number).toBeTruthy();
    expect(wake).toHaveBeenCalledTimes(2);
  });
});
