import { addDays } from '../../domain/rules/dates';
import { startSubgraphUnderTest, TEST_TODAY, type SubgraphUnderTest } from '../../platform/testing/subgraph-test-app';
import { permitsSubgraph } from './app';

/**
 * The legal answers as the gateway asks for them: `_entities` with the fields `@requires` brought
 * from the persons and payments registries. A person id with no permits isolates the visa-free rules.
 */
const NO_PERMITS = '00000000-0000-4000-8000-00000000beef';

const LEGAL_STATUS = `query($r: [_Any!]!, $asOf: Date) { _entities(representations: $r) { ... on Person {
  legalStatus(asOf: $asOf) { asOf outcome basis lawfulUntil overstayDays totalOverstayDays
    currentStay { entryDate days lawfulDays unlawfulDays outcome bases firstUnlawfulDate }
    registration { required dueOn overdue stayDays }
    reasons { ruleId citation message { az en } } }
  stayPeriods(asOf: $asOf) { entryDate exitDate days outcome lawfulDays unlawfulDays bases } } } }`;

const person = (citizenship: string | null, crossings: [string, string][], id = NO_PERMITS) => ({
  __typename: 'Person',
  id,
  citizenship,
  borderCrossings: crossings.map(([direction, date]) => ({ direction, date })),
  outstandingFines: [],
});

describe('permits subgraph: legal answers from the shared rules', () => {
  let subgraph: SubgraphUnderTest;
  beforeAll(async () => {
    subgraph = await startSubgraphUnderTest(permitsSubgraph, 80);
  });
  afterAll(() => subgraph.close());

  const legalStatus = async (representation: ReturnType<typeof person>, asOf: string) => {
    const response = await subgraph.client.query(LEGAL_STATUS, { variables: { r: [representation], asOf } });
    expect(response.errors).toBeUndefined();
    return response.data._entities[0];
  };

  it.each([
    ['day 90 of a visa-free stay is lawful (STAY-01)', 89, 'LAWFUL', 0],
    ['day 91 is the first day of overstay (STAY-03)', 90, 'UNLAWFUL', 1],
    ['day 100 is the tenth', 99, 'UNLAWFUL', 10],
  ])('%s', async (_name, offset, outcome, overstay) => {
    const entry = '2026-03-01';
    const { legalStatus: status } = await legalStatus(person('RUS', [['ENTRY', entry]]), addDays(entry, offset));
    expect(status).toMatchObject({ outcome, overstayDays: overstay, currentStay: { entryDate: entry, days: offset + 1, unlawfulDays: overstay } });
    if (outcome === 'LAWFUL') expect(status).toMatchObject({ basis: 'VISA_FREE', lawfulUntil: addDays(entry, 89) });
    const ruleIds = status.reasons.map((r: { ruleId: string }) => r.ruleId);
    expect(ruleIds).toContain(outcome === 'LAWFUL' ? 'STAY-01' : 'STAY-03');
    for (const reason of status.reasons) {
      expect(reason.citation.length).toBeGreaterThan(0);
      expect(reason.message.az.length).toBeGreaterThan(0);
      expect(reason.message.en.length).toBeGreaterThan(0);
    }
  });

  it('a visa-regime citizen with no visa is unlawful from the first day (VISA-01)', async () => {
    const { legalStatus: status } = await legalStatus(person('IND', [['ENTRY', '2026-10-01']]), '2026-10-05');
    expect(status).toMatchObject({ outcome: 'UNLAWFUL', overstayDays: 5, basis: null });
  });

  it('requires registration by place of stay from day 16 (REG-01), 10 days after arrival (REG-02)', async () => {
    const entry = '2026-06-01';
    const day15 = (await legalStatus(person('TUR', [['ENTRY', entry]]), addDays(entry, 14))).legalStatus.registration;
    const day16 = (await legalStatus(person('TUR', [['ENTRY', entry]]), addDays(entry, 15))).legalStatus.registration;
    expect(day15).toMatchObject({ required: false, stayDays: 15 });
    expect(day16).toMatchObject({ required: true, stayDays: 16, dueOn: addDays(entry, 10), overdue: true });
  });

  it('is NOT_PRESENT after an exit, and counts earlier overstays', async () => {
    const { legalStatus: status, stayPeriods } = await legalStatus(
      person('GEO', [['ENTRY', '2026-01-01'], ['EXIT', '2026-04-10']]),
      '2026-05-01',
    );
    expect(status).toMatchObject({ outcome: 'NOT_PRESENT', currentStay: null, registration: null });
    // 2026-01-01..2026-04-10 is 100 days: 90 lawful, 10 unlawful.
    expect(stayPeriods).toEqual([
      { entryDate: '2026-01-01', exitDate: '2026-04-10', days: 100, outcome: 'OVERSTAY', lawfulDays: 90, unlawfulDays: 10, bases: ['VISA_FREE'] },
    ]);
    expect(status.totalOverstayDays).toBe(10);
  });

  it('takes the basis of stay from the permits this registry holds', async () => {
    const history = subgraph.histories.find((h) =>
      h.permits.some((p) => p.kind === 'TEMPORARY_RESIDENCE_PERMIT' && p.validFrom <= TEST_TODAY && TEST_TODAY <= p.validUntil) &&
      h.crossings.at(-1)?.direction === 'ENTRY',
    )!;
    const representation = person(history.person.citizenship, history.crossings.map((c) => [c.direction, c.date]), history.person.id);
    const { legalStatus: status } = await legalStatus(representation, TEST_TODAY);
    expect(status).toMatchObject({ outcome: 'LAWFUL', basis: 'TEMPORARY_RESIDENCE', overstayDays: 0 });
  });

  it('authorizes work on a work permit in force, and names it (WP-01)', async () => {
    const history = subgraph.histories.find((h) => h.permits.some((p) => p.kind === 'WORK_PERMIT' && p.validFrom <= TEST_TODAY && TEST_TODAY <= p.validUntil))!;
    const permit = history.permits.find((p) => p.kind === 'WORK_PERMIT' && p.validFrom <= TEST_TODAY && TEST_TODAY <= p.validUntil)!;
    const response = await subgraph.client.query(
      `query($r: [_Any!]!) { _entities(representations: $r) { ... on Person { workAuthorization { outcome workPermit { number } exemption { id } reasons { ruleId } } } } }`,
      { variables: { r: [person(history.person.citizenship, history.crossings.map((c) => [c.direction, c.date]), history.person.id)] } },
    );
    expect(response.data._entities[0].workAuthorization).toMatchObject({ outcome: 'AUTHORIZED', workPermit: { number: permit.number }, exemption: null });
  });

  it('exempts a permanent resident from the work permit (WP-EX-01)', async () => {
    const history = subgraph.histories.find((h) => h.permits.some((p) => p.kind === 'PERMANENT_RESIDENCE_PERMIT' && p.validFrom <= TEST_TODAY && TEST_TODAY <= p.validUntil))!;
    const response = await subgraph.client.query(
      `query($r: [_Any!]!) { _entities(representations: $r) { ... on Person { workAuthorization { outcome workPermit { number } exemption { id text { az en } } } } } }`,
      { variables: { r: [person(history.person.citizenship, history.crossings.map((c) => [c.direction, c.date]), history.person.id)] } },
    );
    expect(response.data._entities[0].workAuthorization).toMatchObject({ outcome: 'AUTHORIZED', workPermit: null, exemption: { id: 'WP-EX-01' } });
  });

  it('bars permanent residence while an administrative fine is unpaid (PR-RF-16), and refuses a malformed ground', async () => {
    const fined = {
      ...person('RUS', [['ENTRY', '2024-01-01']]),
      outstandingFines: [{ id: '00000000-0000-4000-8000-0000000f1e00', offence: 'OVERSTAY', issuedOn: '2024-06-01', amount: { amount: '300.00', currency: 'AZN' } }],
    };
    const query = `query($r: [_Any!]!, $ground: String) { _entities(representations: $r) { ... on Person {
      permanentResidenceEligibility(ground: $ground) { outcome checks { ruleId result } continuousResidence { complete } } } } }`;
    const response = await subgraph.client.query(query, { variables: { r: [fined], ground: 'PR-GR-01' } });
    const eligibility = response.data._entities[0].permanentResidenceEligibility;
    expect(eligibility.outcome).toBe('NOT_ELIGIBLE');
    expect(eligibility.checks).toContainEqual({ ruleId: 'PR-RF-16', result: 'FAIL' });
    expect(eligibility.continuousResidence.complete).toBe(false);

    const paid = await subgraph.client.query(query, { variables: { r: [{ ...fined, outstandingFines: [] }], ground: 'PR-GR-01' } });
    expect(paid.data._entities[0].permanentResidenceEligibility.checks).toContainEqual({ ruleId: 'PR-RF-16', result: 'PASS' });

    const malformed = await subgraph.client.query(query, { variables: { r: [fined], ground: 'GR-1' } });
    expect(malformed.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('judges admission on five years of permanent residence and the recorded conditions (CIT-01), and restoration (CIT-02) undetermined while its facts are unrecorded', async () => {
    const query = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Person { citizenshipEligibility {
      admission { outcome continuousResidence { since complete } reasons { ruleId } }
      restoration { outcome continuousResidence { since } reasons { ruleId } } } } } }`;
    // An applicant whose income, undertaking and language the demo records (an unrecorded one: person-facts.spec.ts).
    const history = subgraph.histories.find(
      (h) => h.applications.some((a) => a.type === 'CITIZENSHIP_ADMISSION') && h.facts.some((fact) => fact.kind === 'LAWFUL_INCOME'),
    )!;
    const response = await subgraph.client.query(query, { variables: { r: [person(history.person.citizenship, [], history.person.id)] } });
    const { admission, restoration } = response.data._entities[0].citizenshipEligibility;
    expect(admission.continuousResidence.complete).toBe(true);
    expect(admission.outcome).toBe('ELIGIBLE');
    expect(admission.reasons.map((r: { ruleId: string }) => r.ruleId)).toContain('CIT-01');
    expect(restoration).toMatchObject({ outcome: 'UNDETERMINED', continuousResidence: null, reasons: [{ ruleId: 'CIT-02' }] });

    const newcomer = await subgraph.client.query(query, { variables: { r: [person('RUS', [['ENTRY', '2026-10-01']])] } });
    const noPermit = newcomer.data._entities[0].citizenshipEligibility.admission;
    expect(noPermit.outcome).toBe('NOT_ELIGIBLE');
    expect(noPermit.continuousResidence).toMatchObject({ since: null, complete: false });
  });
});
