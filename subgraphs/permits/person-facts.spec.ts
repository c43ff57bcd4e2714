import { GraphClientError, type GraphClient } from '../../platform/graph-client';
import { startSubgraphUnderTest, TEST_TODAY, type SubgraphUnderTest } from '../../platform/testing/subgraph-test-app';
import { permitsSubgraph } from './app';

/** The persons registry as the graph shows it to this registry: every demo person exists, `down` makes it unreachable. */
class PersonsSeenThroughTheGraph implements GraphClient {
  readonly known = new Set<string>();
  down = false;
  async query<Data>(_operation: string, variables: Record<string, unknown>): Promise<Data> {
    if (this.down) throw new GraphClientError('The graph could not answer: HTTP 503', ['SUBGRAPH_UNAVAILABLE']);
    return { person: this.known.has(variables.id as string) ? { birthDate: '1990-01-01' } : null } as Data;
  }
}

const RECORD = `mutation($input: RecordPersonFactInput!) { recordPersonFact(input: $input) {
  id kind ruleId established amountAzn validFrom validUntil source { kind documentKind documentNumber applicationNumber } recordedBy recordedOn person { id } } }`;

const entity = (id: string) => ({ __typename: 'Person', id, citizenship: null, borderCrossings: [], outstandingFines: [] });

describe('permits subgraph: facts about persons that the rules read (issue 20)', () => {
  let subgraph: SubgraphUnderTest;
  const persons = new PersonsSeenThroughTheGraph();
  beforeAll(async () => {
    subgraph = await startSubgraphUnderTest(permitsSubgraph, 80, { graph: persons });
    for (const history of subgraph.histories) persons.known.add(history.person.id);
  });
  afterAll(() => subgraph.close());

  let keys = 0;
  const record = (input: Record<string, unknown>) =>
    subgraph.client.query(RECORD, { variables: { input: { validFrom: '2026-01-10', established: true, idempotencyKey: `fact-key-${(keys += 1)}`, ...input } } });
  const recorded = async (input: Record<string, unknown>) => {
    const response = await record(input);
    expect(response.errors).toBeUndefined();
    return response.data.recordPersonFact;
  };
  const count = async () => (await subgraph.db.query<{ n: number }>('test.count', 'select count(*)::int as n from person_facts'))[0].n;
  const someone = (index: number) => subgraph.histories[index].person.id;

  it('records a fact with its evidence and who recorded it, once per key; a key reused with other details is refused', async () => {
    const input = {
      personId: someone(0), kind: 'WORK_PERMIT_EXEMPTION', ruleId: 'wp-ex-18', validUntil: '2027-01-09',
      sourceDocumentKind: 'refugee_certificate', sourceDocumentNumber: 'QC-000123', idempotencyKey: 'refugee-cert-000123',
    };
    const first = await recorded(input);
    expect(first).toMatchObject({
      kind: 'WORK_PERMIT_EXEMPTION', ruleId: 'WP-EX-18', established: true, validFrom: '2026-01-10', validUntil: '2027-01-09',
      source: { kind: 'DOCUMENT', documentKind: 'REFUGEE_CERTIFICATE', documentNumber: 'QC-000123', applicationNumber: null },
      recordedBy: 'administrator:subgraph-test', recordedOn: TEST_TODAY, person: { id: someone(0) },
    });
    const before = await count();
    const retries = await Promise.all(Array.from({ length: 10 }, () => record(input)));
    for (const retry of retries) expect(retry.data.recordPersonFact.id).toBe(first.id);
    const reused = await record({ ...input, validUntil: '2028-01-09' });
    expect(reused.errors?.[0].extensions).toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED', field: 'input.idempotencyKey', differing: ['validUntil'] });
    expect(await count()).toBe(before);
  });

  it('names an application document or the officer’s own decision as the source', async () => {
    expect((await recorded({ personId: someone(1), kind: 'LAWFUL_INCOME', sourceDocumentKind: 'LAWFUL_INCOME_PROOF', sourceApplicationNumber: 'cit-2026-00000123' })).source).toEqual({
      kind: 'APPLICATION_DOCUMENT', documentKind: 'LAWFUL_INCOME_PROOF', documentNumber: null, applicationNumber: 'CIT-2026-00000123',
    });
    expect((await recorded({ personId: someone(1), kind: 'PERMANENT_RESIDENCE_REFUSAL_GROUND', ruleId: 'PR-RF-13', established: false })).source.kind).toBe('OFFICER_DECISION');
  });

  it.each([
    ['a rule of another kind', { kind: 'WORK_PERMIT_EXEMPTION', ruleId: 'PR-GR-02' }, 'input.ruleId'],
    ['WP-EX-01 (the permanent permit itself, not a fact)', { kind: 'WORK_PERMIT_EXEMPTION', ruleId: 'WP-EX-01' }, 'input.ruleId'],
    ['PR-RF-16 (from the fines, not a fact)', { kind: 'PERMANENT_RESIDENCE_REFUSAL_GROUND', ruleId: 'PR-RF-16' }, 'input.ruleId'],
    ['an amount ground without its amount (PR-GR-02)', { kind: 'PERMANENT_RESIDENCE_GROUND', ruleId: 'PR-GR-02' }, 'input.amountAzn'],
    ['a malformed amount', { kind: 'PERMANENT_RESIDENCE_GROUND', ruleId: 'PR-GR-04', amountAzn: '100,000' }, 'input.amountAzn'],
    ['an amount where the ground has none', { kind: 'PERMANENT_RESIDENCE_GROUND', ruleId: 'PR-GR-01', amountAzn: '1.00' }, 'input.amountAzn'],
    ['business-trip days outside WP-EX-09', { kind: 'WORK_PERMIT_EXEMPTION', ruleId: 'WP-EX-08', businessTripDaysInYear: 10 }, 'input.businessTripDaysInYear'],
    ['business-trip days out of range', { kind: 'WORK_PERMIT_EXEMPTION', ruleId: 'WP-EX-09', businessTripDaysInYear: 400 }, 'input.businessTripDaysInYear'],
    ['the spouse’s registration outside WP-EX-17', { kind: 'WORK_PERMIT_EXEMPTION', ruleId: 'WP-EX-18', spouseRegisteredAtResidence: true }, 'input.spouseRegisteredAtResidence'],
    ['a document number without its kind', { kind: 'LAWFUL_INCOME', sourceDocumentNumber: 'X-1' }, 'input.sourceDocumentKind'],
    ['a document kind without number or application', { kind: 'LAWFUL_INCOME', sourceDocumentKind: 'PAYSLIP' }, 'input.sourceDocumentNumber'],
    ['a malformed application number', { kind: 'LAWFUL_INCOME', sourceDocumentKind: 'PAYSLIP', sourceApplicationNumber: 'CIT-1' }, 'input.sourceApplicationNumber'],
    ['an end before the start', { kind: 'LAWFUL_INCOME', validUntil: '2025-01-01' }, 'input.validUntil'],
    ['a start before 1900', { kind: 'LAWFUL_INCOME', validFrom: '1899-12-31' }, 'input.validFrom'],
    ['a start far in the future', { kind: 'LAWFUL_INCOME', validFrom: '2030-01-01' }, 'input.validFrom'],
    ['a malformed idempotency key', { kind: 'LAWFUL_INCOME', idempotencyKey: 'x' }, 'input.idempotencyKey'],
    ['a malformed person id', { kind: 'LAWFUL_INCOME', personId: '42' }, 'input.personId'],
    ['a person the persons registry does not know', { kind: 'LAWFUL_INCOME', personId: '00000000-0000-4000-8000-0000000000ff' }, 'input.personId'],
  ])('refuses %s with BAD_USER_INPUT naming the field, and records nothing', async (_name, input, field) => {
    const before = await count();
    const response = await record({ personId: someone(2), ...input });
    expect(response.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
    expect(await count()).toBe(before);
  });

  it('records nothing, and says so, when the persons registry cannot be asked', async () => {
    const before = await count();
    persons.down = true;
    try {
      const response = await record({ personId: someone(2), kind: 'LAWFUL_INCOME' });
      expect(response.errors?.[0].extensions).toMatchObject({ code: 'SUBGRAPH_UNAVAILABLE', registry: 'persons' });
    } finally {
      persons.down = false;
    }
    expect(await count()).toBe(before);
  });

  const workAuthorization = async (id: string) =>
    (await subgraph.client.query(`query($r: [_Any!]!) { _entities(representations: $r) { ... on Person { workAuthorization { outcome exemption { id } reasons { ruleId } } } } }`, {
      variables: { r: [entity(id)] },
    })).data._entities[0].workAuthorization;

  it('WP-EX-18: a recognised refugee may work without a permit from the day the status is recorded, not before', async () => {
    const refugee = '00000000-0000-4000-8000-0000000f0018';
    persons.known.add(refugee);
    expect(await workAuthorization(refugee)).toMatchObject({ outcome: 'NOT_AUTHORIZED', exemption: null });
    await recorded({ personId: refugee, kind: 'WORK_PERMIT_EXEMPTION', ruleId: 'WP-EX-18', validFrom: '2026-10-01', sourceDocumentKind: 'REFUGEE_CERTIFICATE', sourceDocumentNumber: 'QC-000777' });
    const now = await workAuthorization(refugee);
    expect(now).toMatchObject({ outcome: 'AUTHORIZED', exemption: { id: 'WP-EX-18' } });
    expect(now.reasons.map((r: { ruleId: string }) => r.ruleId)).toContain('WP-EX-18');
    // Not established (checked, and refused): no exemption.
    const other = '00000000-0000-4000-8000-0000000f0019';
    persons.known.add(other);
    await recorded({ personId: other, kind: 'WORK_PERMIT_EXEMPTION', ruleId: 'WP-EX-18', established: false });
    expect(await workAuthorization(other)).toMatchObject({ outcome: 'NOT_AUTHORIZED', exemption: null });
  });

  it('PR: a long-term resident becomes ELIGIBLE on the investment ground once it and every refusal ground are recorded, and NOT_ELIGIBLE when a refusal ground is established', async () => {
    const eligibility = async (id: string) =>
      (await subgraph.client.query(`query($r: [_Any!]!) { _entities(representations: $r) { ... on Person { permanentResidenceEligibility { outcome checks { ruleId result } reasons { ruleId message { az en } } } } } }`, {
        variables: { r: [entity(id)] },
      })).data._entities[0].permanentResidenceEligibility;
    // A demo person with two years of continuous temporary residence (PR-01) and no permanent permit yet.
    let resident: string | null = null;
    for (const history of subgraph.histories) {
      // One whose ground and refusal grounds the demo has not recorded already.
      if (history.permits.some((permit) => permit.kind === 'PERMANENT_RESIDENCE_PERMIT') || history.facts.length > 0) continue;
      const checks = (await eligibility(history.person.id)).checks;
      if (checks.some((c: { ruleId: string; result: string }) => c.ruleId === 'PR-01' && c.result === 'PASS')) {
        resident = history.person.id;
        break;
      }
    }
    expect(resident).not.toBeNull();
    // No ground claimed yet: not eligible (PR-01 passes, the ground fails).
    expect((await eligibility(resident!)).outcome).toBe('NOT_ELIGIBLE');

    await recorded({ personId: resident, kind: 'PERMANENT_RESIDENCE_GROUND', ruleId: 'PR-GR-02', amountAzn: '650000', sourceDocumentKind: 'INVESTMENT_CERTIFICATE', sourceDocumentNumber: 'INV-2025-0042' });
    for (const n of [1, 2, 3, 4, 5, 6, 7, 8, 9, 11, 12, 13, 14, 15]) {
      await recorded({ personId: resident, kind: 'PERMANENT_RESIDENCE_REFUSAL_GROUND', ruleId: `PR-RF-${String(n).padStart(2, '0')}`, established: false });
    }
    const eligible = await eligibility(resident!);
    expect(eligible.outcome).toBe('ELIGIBLE');
    expect(eligible.checks).toContainEqual({ ruleId: 'PR-GR-02', result: 'PASS' });

    await recorded({ personId: resident, kind: 'PERMANENT_RESIDENCE_REFUSAL_GROUND', ruleId: 'PR-RF-05', validFrom: TEST_TODAY, sourceDocumentKind: 'COURT_SENTENCE', sourceDocumentNumber: '1-123/2026' });
    const refused = await eligibility(resident!);
    expect(refused.outcome).toBe('NOT_ELIGIBLE');
    expect(refused.checks).toContainEqual({ ruleId: 'PR-RF-05', result: 'FAIL' });
    const reason = refused.reasons.find((r: { ruleId: string }) => r.ruleId === 'PR-RF-05');
    expect(reason.message.az.length * reason.message.en.length).toBeGreaterThan(0);
  });

  it('CIT-01: the recorded income, undertaking and language facts reach the citizenship answer', async () => {
    const applicant = someone(5);
    const reasonsOf = async () =>
      (await subgraph.client.query(`query($r: [_Any!]!) { _entities(representations: $r) { ... on Person { citizenshipEligibility { admission { reasons { message { en } } } } } } }`, {
        variables: { r: [entity(applicant)] },
      })).data._entities[0].citizenshipEligibility.admission.reasons.map((r: { message: { en: string } }) => r.message.en).join(' ');
    expect(await reasonsOf()).toMatch(/lawful source of income/);
    for (const kind of ['LAWFUL_INCOME', 'CONSTITUTION_UNDERTAKING', 'STATE_LANGUAGE_KNOWLEDGE']) await recorded({ personId: applicant, kind });
    expect(await reasonsOf()).not.toMatch(/not recorded/);
  });
});
