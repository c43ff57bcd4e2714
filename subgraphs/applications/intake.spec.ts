import type { GraphClient } from '../../platform/graph-client';
import { addWorkingDays } from '../../domain/rules';
import { startSubgraphUnderTest, TEST_TODAY, type SubgraphUnderTest } from '../../platform/testing/subgraph-test-app';
import { applicationsSubgraph } from './app';
import { createApplicationLoaders } from './application.loader';
import { ApplicationService } from './application.service';
import { ApplicationStore } from './application.store';
import { IntakeService } from './intake.service';

/** Applicants as the persons and permits registries would describe them to intake. */
const PERSONS: Record<string, { citizenship: string | null; permits: object[] }> = {
  // Visa-free citizen with no permits.
  '10000000-0000-4000-8000-000000000001': { citizenship: 'RUS', permits: [] },
  // Permanent resident: exempt from the work permit (WP-EX-01).
  '10000000-0000-4000-8000-000000000002': {
    citizenship: 'TUR',
    permits: [{ kind: 'PERMANENT_RESIDENCE_PERMIT', number: 'DV000000001', visaType: null, validFrom: '2024-01-10', validUntil: '2029-01-09', revokedOn: null }],
  },
  // Visa-regime citizen on a tourist visa (WP-02 needs a work or business visa).
  '10000000-0000-4000-8000-000000000003': {
    citizenship: 'IND',
    permits: [{ kind: 'VISA', number: 'V000000003', visaType: 'TOURIST', validFrom: '2026-10-01', validUntil: '2026-12-30', revokedOn: null }],
  },
  // One year of temporary residence: short of PR-01's two.
  '10000000-0000-4000-8000-000000000004': {
    citizenship: 'GEO',
    permits: [{ kind: 'TEMPORARY_RESIDENCE_PERMIT', number: 'MV000000004', visaType: null, validFrom: '2025-12-01', validUntil: '2026-11-30', revokedOn: null }],
  },
  // Visa-regime citizen on a work visa.
  '10000000-0000-4000-8000-000000000005': {
    citizenship: 'IND',
    permits: [{ kind: 'VISA', number: 'V000000005', visaType: 'WORK', validFrom: '2026-10-01', validUntil: '2026-12-30', revokedOn: null }],
  },
  // Three years of temporary residence: meets PR-01.
  '10000000-0000-4000-8000-000000000006': {
    citizenship: 'GEO',
    permits: [{ kind: 'TEMPORARY_RESIDENCE_PERMIT', number: 'MV000000006', visaType: null, validFrom: '2023-12-01', validUntil: '2026-12-31', revokedOn: null }],
  },
};
const [VISA_FREE, PERMANENT_RESIDENT, TOURIST_VISA, ONE_YEAR_RESIDENT, WORK_VISA, LONG_RESIDENT] = Object.keys(PERSONS);
const UNKNOWN_PERSON = '10000000-0000-4000-8000-0000000000ff';

const fakeGraph: GraphClient = {
  async query<Data>(_operation: string, variables: Record<string, unknown>) {
    return { person: PERSONS[variables.id as string] ?? null } as Data;
  },
};

const SUBMIT = `mutation($input: SubmitApplicationInput!) { submitApplication(input: $input) {
  outcome reasons { ruleId citation message { az en } }
  application { id number type status submittedOn dueOn processingWorkingDays documents applicant { id }
    stateDuty { outcome amount { amount currency } } intake { outcome reasons { ruleId } } } } }`;

const WORK_PERMIT_DOCUMENTS = ['PASSPORT', 'PHOTO', 'MEDICAL_CERTIFICATE', 'EMPLOYMENT_CONTRACT', 'NO_CRIMINAL_RECORD_CERTIFICATE'];
const workPermit = (applicantId: string, extra: object = {}) => ({
  applicantId,
  type: 'WORK_PERMIT',
  channel: 'ASAN_XIDMET',
  requestedDurationMonths: 12,
  documents: WORK_PERMIT_DOCUMENTS,
  ...extra,
});

describe('applications subgraph: intake (issue 3 intake checks)', () => {
  let subgraph: SubgraphUnderTest;
  beforeAll(async () => {
    subgraph = await startSubgraphUnderTest(applicationsSubgraph, 5, { graph: fakeGraph });
  });
  afterAll(() => subgraph.close());

  const submit = async (input: object) => subgraph.client.query(SUBMIT, { variables: { input } });
  const stored = async () => (await subgraph.db.query<{ n: number }>('test.count', 'select count(*)::int as n from applications'))[0].n;

  it('registers an accepted work permit with its tracking number, due date in working days (WP-04, CAL-01) and duty (WP-06)', async () => {
    const before = await stored();
    const response = await submit(workPermit(VISA_FREE));
    expect(response.errors).toBeUndefined();
    const payload = response.data.submitApplication;
    expect(payload.outcome).toBe('ACCEPTED');
    expect(payload.application).toMatchObject({
      type: 'WORK_PERMIT',
      status: 'SUBMITTED',
      submittedOn: TEST_TODAY,
      dueOn: addWorkingDays(TEST_TODAY, 20),
      processingWorkingDays: 20,
      documents: WORK_PERMIT_DOCUMENTS,
      applicant: { id: VISA_FREE },
      stateDuty: { outcome: 'FIXED', amount: { amount: '1000.00', currency: 'AZN' } },
      intake: { outcome: 'ACCEPTED' },
    });
    expect(payload.application.number).toMatch(/^WP-2026-\d{8}$/);
    expect(await stored()).toBe(before + 1);
    const tracked = await subgraph.client.query('query($n: String!) { applicationByNumber(number: $n) { id } }', { variables: { n: payload.application.number } });
    expect(tracked.data.applicationByNumber.id).toBe(payload.application.id);
  });

  it.each([
    ['a work permit for a person who is exempt (WP-01, WP-EX-01)', workPermit(PERMANENT_RESIDENT), ['WP-01', 'WP-EX-01']],
    ['a work permit for a visa-regime citizen without a work or business visa (WP-02)', workPermit(TOURIST_VISA), ['WP-02']],
    ['permanent residence without two years of temporary residence (PR-01)',
      { applicantId: ONE_YEAR_RESIDENT, type: 'PERMANENT_RESIDENCE', channel: 'ELECTRONIC', ground: 'FAMILY_OF_RESIDENT' }, ['PR-01']],
    ['a forced transit stop for a breakdown without its document (STAY-EXT-T2)',
      { applicantId: VISA_FREE, type: 'TEMPORARY_STAY_EXTENSION', channel: 'ASAN_XIDMET', requestedDurationMonths: 1, ground: 'TRANSIT_VEHICLE_BREAKDOWN' }, ['STAY-EXT-T2']],
    ['a work permit without the documents of the checklist (WP-03)', workPermit(VISA_FREE, { documents: ['PASSPORT', 'PHOTO'] }), ['WP-03']],
    ['permanent residence without a no-criminal-record certificate (PR-RF-03)',
      { applicantId: LONG_RESIDENT, type: 'PERMANENT_RESIDENCE', channel: 'ELECTRONIC', ground: 'FAMILY_OF_RESIDENT',
        documents: ['PASSPORT', 'PHOTO', 'MEDICAL_CERTIFICATE'] }, ['PR-RF-03']],
    ['citizenship without the state language document (CIT-01)',
      { applicantId: PERMANENT_RESIDENT, type: 'CITIZENSHIP_ADMISSION', channel: 'POST', documents: ['PASSPORT', 'PHOTO', 'BIRTH_CERTIFICATE'] }, ['CIT-01']],
    ['temporary residence on the education ground without the enrolment certificate (TRP-DOC)',
      { applicantId: VISA_FREE, type: 'TEMPORARY_RESIDENCE', channel: 'ELECTRONIC', ground: 'EDUCATION', requestedDurationMonths: 12,
        documents: ['PASSPORT', 'PHOTO', 'MEDICAL_CERTIFICATE', 'NO_CRIMINAL_RECORD_CERTIFICATE', 'EMPLOYMENT_CONTRACT'] }, ['TRP-DOC']],
    ['a residence extension without the medical certificate (TRP-DOC)',
      { applicantId: ONE_YEAR_RESIDENT, type: 'TEMPORARY_RESIDENCE_EXTENSION', channel: 'ELECTRONIC', ground: 'EMPLOYMENT', requestedDurationMonths: 12,
        documents: ['PASSPORT', 'PHOTO', 'NO_CRIMINAL_RECORD_CERTIFICATE', 'EMPLOYMENT_CONTRACT'] }, ['TRP-DOC']],
    ['renunciation without proof of another citizenship (CIT-03)',
      { applicantId: VISA_FREE, type: 'CITIZENSHIP_TERMINATION', channel: 'POST', ground: 'RENUNCIATION', documents: ['PASSPORT', 'PHOTO', 'BIRTH_CERTIFICATE'] }, ['CIT-03']],
  ])('rejects up front %s, with the reasons, and registers nothing', async (_name, input, ruleIds) => {
    const before = await stored();
    const response = await submit(input);
    expect(response.errors).toBeUndefined();
    const payload = response.data.submitApplication;
    expect(payload.outcome).toBe('REJECTED');
    expect(payload.application).toBeNull();
    const given = payload.reasons.map((r: { ruleId: string }) => r.ruleId);
    for (const ruleId of ruleIds) expect(given).toContain(ruleId);
    for (const reason of payload.reasons) expect(reason.message.az.length * reason.message.en.length).toBeGreaterThan(0);
    expect(await stored()).toBe(before);
  });

  it('registers permanent residence and citizenship once their checklists are complete, a marriage certificate optional', async () => {
    const residence = (await submit({
      applicantId: LONG_RESIDENT, type: 'PERMANENT_RESIDENCE', channel: 'ELECTRONIC', ground: 'FAMILY_OF_RESIDENT',
      documents: ['PASSPORT', 'PHOTO', 'MEDICAL_CERTIFICATE', 'NO_CRIMINAL_RECORD_CERTIFICATE'],
    })).data.submitApplication;
    expect(residence.outcome).not.toBe('REJECTED');
    expect(residence.application.intake.reasons.map((r: { ruleId: string }) => r.ruleId)).toContain('PR-RF-03');
    const citizenship = (await submit({
      applicantId: PERMANENT_RESIDENT, type: 'CITIZENSHIP_ADMISSION', channel: 'POST',
      documents: ['PASSPORT', 'PHOTO', 'BIRTH_CERTIFICATE', 'STATE_LANGUAGE_CERTIFICATE', 'LAWFUL_INCOME_PROOF', 'CONSTITUTION_UNDERTAKING'],
    })).data.submitApplication;
    expect(citizenship).toMatchObject({ outcome: 'ACCEPTED', application: { type: 'CITIZENSHIP_ADMISSION', status: 'SUBMITTED' } });
    expect(citizenship.application.documents).toContain('STATE_LANGUAGE_CERTIFICATE');
  });

  it('registers temporary residence once the S0 list and the ground\'s document are there (TRP-DOC)', async () => {
    const residence = (await submit({
      applicantId: VISA_FREE, type: 'TEMPORARY_RESIDENCE', channel: 'ELECTRONIC', ground: 'INVESTMENT', requestedDurationMonths: 12,
      documents: ['PASSPORT', 'PHOTO', 'MEDICAL_CERTIFICATE', 'NO_CRIMINAL_RECORD_CERTIFICATE', 'INVESTMENT_PROOF'],
    })).data.submitApplication;
    expect(residence).toMatchObject({ outcome: 'ACCEPTED', application: { type: 'TEMPORARY_RESIDENCE', status: 'SUBMITTED' } });
    expect(residence.application.intake.reasons).toContainEqual({ ruleId: 'TRP-DOC' });
  });

  it('accepts the transit stop once the breakdown document is there, and a work permit on a work visa', async () => {
    const transit = await submit({
      applicantId: VISA_FREE, type: 'TEMPORARY_STAY_EXTENSION', channel: 'ASAN_XIDMET', requestedDurationMonths: 1,
      ground: 'TRANSIT_VEHICLE_BREAKDOWN', documents: ['REPAIR_OR_ACCIDENT_DOCUMENT'],
    });
    expect(transit.data.submitApplication.outcome).not.toBe('REJECTED');
    const work = await submit(workPermit(WORK_VISA, { processingWorkingDays: 10, requestedDurationMonths: 3 }));
    expect(work.data.submitApplication).toMatchObject({ outcome: 'ACCEPTED', application: { stateDuty: { amount: { amount: '700.00' } } } });
  });

  it('gives each application a tracking number that cannot be found by counting from another (PAY-01)', async () => {
    const numbers = await Promise.all(Array.from({ length: 12 }, async () => (await submit(workPermit(VISA_FREE))).data.submitApplication.application.number as string));
    for (const number of numbers) expect(number).toMatch(/^WP-2026-\d{8}$/);
    expect(new Set(numbers).size).toBe(numbers.length);
    // A serial would put twelve numbers within a few dozen of each other.
    const digits = numbers.map((number) => Number(number.slice(-8))).sort((a, b) => a - b);
    expect(digits[digits.length - 1] - digits[0]).toBeGreaterThan(1_000_000);
  });

  describe('when the number drawn is taken', () => {
    const intake = (draws: string[]) => {
      const store = new ApplicationStore(subgraph.db);
      const applications = new ApplicationService(store, createApplicationLoaders(store));
      return new IntakeService(subgraph.db, store, applications, fakeGraph, 'test', TEST_TODAY, 'officer-1', () => draws.shift()!);
    };
    const taken = async () => ((await submit(workPermit(VISA_FREE))).data.submitApplication.application.number as string).slice(-8);

    it('draws another, and registers the application once under it', async () => {
      const used = await taken();
      const draws = [used, used, '31415926'];
      const before = await stored();
      const payload = await intake(draws).submit(workPermit(VISA_FREE, { idempotencyKey: 'asan-2026-draws-1' }) as never);
      expect(payload.application?.number).toBe('WP-2026-31415926');
      expect(draws).toEqual([]);
      expect(await stored()).toBe(before + 1);
    });

    it('gives up after four taken numbers, registering nothing', async () => {
      const used = await taken();
      const before = await stored();
      await expect(intake([used, used, used, used, '27182818']).submit(workPermit(VISA_FREE) as never)).rejects.toThrow(/No free tracking number/);
      expect(await stored()).toBe(before);
    });
  });

  it('refuses a key reused for another application with IDEMPOTENCY_KEY_REUSED, registering nothing', async () => {
    const input = workPermit(VISA_FREE, { idempotencyKey: 'asan-2026-000777' });
    await submit(input);
    const before = await stored();
    const reused = await submit({ ...input, requestedDurationMonths: 6, documents: [...WORK_PERMIT_DOCUMENTS].reverse() });
    expect(reused.errors?.[0].extensions).toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED', field: 'input.idempotencyKey', differing: ['requestedDurationMonths'] });
    expect(await stored()).toBe(before);
  });

  it('takes a retried submission exactly once, also when 30 retries race', async () => {
    const input = workPermit(VISA_FREE, { idempotencyKey: 'asan-2026-000123' });
    const first = (await submit(input)).data.submitApplication.application;
    const before = await stored();
    const retries = await Promise.all(Array.from({ length: 30 }, () => submit(input)));
    for (const retry of retries) expect(retry.data.submitApplication.application.id).toBe(first.id);
    expect(await stored()).toBe(before);

    const racing = workPermit(VISA_FREE, { idempotencyKey: 'asan-2026-000999' });
    const raced = await Promise.all(Array.from({ length: 30 }, () => submit(racing)));
    expect(new Set(raced.map((r) => r.data.submitApplication.application.id)).size).toBe(1);
    expect(await stored()).toBe(before + 1);
  });

  it.each([
    ['a malformed applicant id', workPermit('42'), 'input.applicantId'],
    ['an applicant the persons registry does not know', workPermit(UNKNOWN_PERSON), 'input.applicantId'],
    ['a channel the type is not received at (VISA-02)', { applicantId: VISA_FREE, type: 'E_VISA', channel: 'POST' }, 'input.channel'],
    ['an office without the office channel', workPermit(VISA_FREE, { office: 'GANJA' }), 'input.office'],
    ['the office channel without an office', workPermit(VISA_FREE, { channel: 'REGIONAL_MIGRATION_OFFICE' }), 'input.office'],
    ['a ground of another type', workPermit(VISA_FREE, { ground: 'TOURISM' }), 'input.ground'],
    ['a residence permit without a ground', { applicantId: VISA_FREE, type: 'TEMPORARY_RESIDENCE', channel: 'ELECTRONIC', requestedDurationMonths: 12 }, 'input.ground'],
    // A stay is extended only on a ground of the Code (STAY-EXT-01..05): an input error, not a refusal under one ground.
    ['a stay extension without a ground', { applicantId: VISA_FREE, type: 'TEMPORARY_STAY_EXTENSION', channel: 'ASAN_XIDMET', requestedDurationMonths: 1 }, 'input.ground'],
    ['a work permit without a duration', workPermit(VISA_FREE, { requestedDurationMonths: null }), 'input.requestedDurationMonths'],
    ['a duration where none applies', { applicantId: VISA_FREE, type: 'E_VISA', channel: 'ELECTRONIC', requestedDurationMonths: 1 }, 'input.requestedDurationMonths'],
    ['a processing time that is not a tier (WP-04)', workPermit(VISA_FREE, { processingWorkingDays: 12 }), 'input.processingWorkingDays'],
    ['a duration beyond the duty table (F1)', workPermit(VISA_FREE, { requestedDurationMonths: 24 }), 'input.processingWorkingDays'],
    ['a malformed idempotency key', workPermit(VISA_FREE, { idempotencyKey: 'x' }), 'input.idempotencyKey'],
    ['a document twice', workPermit(VISA_FREE, { documents: [...WORK_PERMIT_DOCUMENTS, 'PHOTO'] }), 'input.documents'],
  ])('refuses %s with BAD_USER_INPUT naming the field, and writes nothing', async (_name, input, field) => {
    const before = await stored();
    const response = await submit(input);
    expect(response.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
    expect(response.errors?.[0].message.startsWith(field)).toBe(true);
    expect(await stored()).toBe(before);
  });
});
