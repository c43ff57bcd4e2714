import { addDays, documentChecklist } from '../domain/rules';
import { eventually, expectData, payStateDuty, startGraph, TODAY, type RunningGraph } from './harness';

const OFFICER = 'Aysel Mammadova';
const CITIZENSHIP_DOCUMENTS = documentChecklist('CITIZENSHIP_ADMISSION')!.required;
const ENTRY = addDays(TODAY, -3);
const EDUCATION_DOCUMENTS = documentChecklist('TEMPORARY_RESIDENCE', 'EDUCATION')!.required;

describe("a foreigner's whole path through the gateway (issue 4)", () => {
  let graph: RunningGraph;
  beforeAll(async () => {
    graph = await startGraph({ persons: 5 });
  });
  afterAll(() => graph.stop());

  const run = async (query: string, variables: Record<string, unknown> = {}) => expectData(await graph.query(query, variables));
  // The officer's steps are taken with a migration officer's token: the history names the token's subject.
  const step = async (mutation: string, id: string, extra = '') =>
    expectData(
      await graph.query(`mutation($id: ID!) { ${mutation}(id: $id${extra}) { status } }`, { id }, await graph.caller('migration-officer', 'CASE_PROCESSING', { subject: OFFICER })),
    );
  const submit = (input: object) =>
    run(`mutation($input: SubmitApplicationInput!) { submitApplication(input: $input) { outcome reasons { ruleId } application { id number dueOn } } }`, { input });

  it('is registered, enters, registers, works on a permit, overstays, is fined, and pays', async () => {
    // Registered, with a passport; enters three days ago.
    const { registerPerson: person } = await run(
      `mutation($input: RegisterPersonInput!) { registerPerson(input: $input) { id } }`,
      { input: { givenName: 'Timur', surname: 'Volkov', birthDate: '1990-04-12', sex: 'MALE', citizenship: 'RUS',
          travelDocument: { kind: 'PASSPORT', number: 'RU7700112', issuingCountry: 'RUS', issuedOn: '2021-03-01', expiresOn: '2031-03-01' } } },
    );
    await run(`mutation($input: BorderCrossingInput!) { recordBorderCrossing(input: $input) { id } }`, {
      input: { id: '7e1f0a52-6c1b-4a39-9b0e-2f1d6f3a0001', personId: person.id, direction: 'ENTRY', date: ENTRY, checkpoint: 'SAMUR' },
    });

    // Registration by place of stay (REG-01): submitted, reviewed, approved, issued with the address.
    const registration = (await submit({ applicantId: person.id, type: 'REGISTRATION_BY_PLACE_OF_STAY', channel: 'ELECTRONIC' })).submitApplication;
    expect(registration.outcome).toBe('ACCEPTED');
    await step('takeApplicationForReview', registration.application.id);
    await step('approveApplication', registration.application.id);
    await step('issueApplication', registration.application.id, `, address: "Baku, Nizami str. 10, apt. 5", validUntil: "${addDays(TODAY, 60)}"`);

    // A work permit for a year: the duty is billed by the payments registry, and paid by its code.
    const workPermit = (
      await submit({
        applicantId: person.id, type: 'WORK_PERMIT', channel: 'ASAN_XIDMET', requestedDurationMonths: 12,
        documents: ['PASSPORT', 'PHOTO', 'MEDICAL_CERTIFICATE', 'EMPLOYMENT_CONTRACT', 'NO_CRIMINAL_RECORD_CERTIFICATE'],
        idempotencyKey: 'asan-wp-0001',
      })
    ).submitApplication.application;
    const duty = await eventually(async () => {
      const { application } = await run(`query($id: ID!) { application(id: $id) { payments { code status amount { amount currency } } } }`, { id: workPermit.id });
      return application.payments[0];
    }, 'the duty to be billed');
    expect(duty).toMatchObject({ status: 'UNPAID', amount: { amount: '1000.00', currency: 'AZN' } });
    const paid = await run(
      `mutation($input: RecordPaymentInput!) { recordPayment(input: $input) { status channel application { number } } }`,
      { input: { code: duty.code, channel: 'ONLINE', amount: '1000.00', idempotencyKey: 'online-tx-000001' } },
    );
    expect(paid.recordPayment).toEqual({ status: 'PAID', channel: 'ONLINE', application: { number: workPermit.number } });

    // Approved and issued: the permit appears in the permits registry, and the graph shows it everywhere.
    await step('takeApplicationForReview', workPermit.id);
    await step('approveApplication', workPermit.id);
    await step('issueApplication', workPermit.id);
    const permits = await eventually(async () => {
      const { person: now } = await run(`query($id: ID!) { person(id: $id) { permits { kind number validFrom validUntil application { id } } } }`, { id: person.id });
      return now.permits.length === 2 && now.permits;
    }, 'both permits to be recorded');
    const workPermitRecord = permits.find((p: { kind: string }) => p.kind === 'WORK_PERMIT');
    expect(workPermitRecord).toMatchObject({ validFrom: TODAY, validUntil: addDays('2027-11-02', -1), application: { id: workPermit.id } });
    expect(permits.find((p: { kind: string }) => p.kind === 'REGISTRATION_BY_PLACE_OF_STAY').application.id).toBe(registration.application.id);

    const tracked = await run(
      `query($n: String!) { applicationByNumber(number: $n) { status dueOn stateDuty { amount { amount } } payments { status }
         permit { number } history { fromStatus toStatus actor occurredOn } } }`,
      { n: workPermit.number },
    );
    expect(tracked.applicationByNumber).toMatchObject({
      status: 'ISSUED', dueOn: workPermit.dueOn, stateDuty: { amount: { amount: '1000.00' } }, payments: [{ status: 'PAID' }],
      permit: { number: workPermitRecord.number },
    });
    expect(tracked.applicationByNumber.history.map((e: { toStatus: string }) => e.toStatus)).toEqual(['SUBMITTED', 'UNDER_REVIEW', 'APPROVED', 'ISSUED']);
    expect(tracked.applicationByNumber.history.slice(1).every((e: { actor: string }) => e.actor === `migration-officer:${OFFICER}`)).toBe(true);

    const legal = await run(
      `query($id: ID!) { person(id: $id) { legalStatus { outcome basis registration { required registeredOn } }
         workAuthorization { outcome workPermit { number } } } }`,
      { id: person.id },
    );
    expect(legal.person.legalStatus).toMatchObject({ outcome: 'LAWFUL', basis: 'VISA_FREE' });
    expect(legal.person.workAuthorization).toEqual({ outcome: 'AUTHORIZED', workPermit: { number: workPermitRecord.number } });

    // A work permit is no basis of stay: day 91 of the visa-free stay is an overstay (STAY-01, STAY-03).
    const later = await run(`query($id: ID!, $d: Date) { person(id: $id) { legalStatus(asOf: $d) { outcome overstayDays } } }`, { id: person.id, d: addDays(ENTRY, 90) });
    expect(later.person.legalStatus).toEqual({ outcome: 'UNLAWFUL', overstayDays: 1 });

    // Fined for it: outstanding, and it bars permanent residence (PR-RF-16) until paid.
    const { issueFine: fine } = await run(
      `mutation($input: IssueFineInput!) { issueFine(input: $input) { id paymentCode outstanding amount { amount } } }`,
      { input: { personId: person.id, offence: 'OVERSTAY', legalArticle: 'İXM 575.1', amount: '300.00', idempotencyKey: 'police-fine-0001' } },
    );
    expect(fine).toMatchObject({ outstanding: true, amount: { amount: '300.00' } });
    const barred = async () =>
      (await run(`query($id: ID!) { person(id: $id) { outstandingFines { id } permanentResidenceEligibility(ground: "PR-GR-07") { checks { ruleId result } } } }`, { id: person.id })).person;
    const before = await barred();
    expect(before.outstandingFines).toEqual([{ id: fine.id }]);
    expect(before.permanentResidenceEligibility.checks).toContainEqual({ ruleId: 'PR-RF-16', result: 'FAIL' });

    await run(`mutation($input: RecordPaymentInput!) { recordPayment(input: $input) { status } }`, {
      input: { code: fine.paymentCode, channel: 'BANK_BRANCH', amount: '300.00', idempotencyKey: 'bank-tx-000001' },
    });
    const after = await barred();
    expect(after.outstandingFines).toEqual([]);
    expect(after.permanentResidenceEligibility.checks).toContainEqual({ ruleId: 'PR-RF-16', result: 'PASS' });
  });

  it('cancels the duty of an application the applicant withdraws, so nothing is owed for it', async () => {
    const { persons } = await run('{ persons(first: 5, filter: { citizenship: "RUS" }) { nodes { id } } }');
    const applicant = persons.nodes[0] ?? (await run('{ persons(first: 1) { nodes { id } } }')).persons.nodes[0];
    const application = (
      await submit({ applicantId: applicant.id, type: 'TEMPORARY_RESIDENCE', channel: 'ELECTRONIC', ground: 'EDUCATION', requestedDurationMonths: 12, documents: EDUCATION_DOCUMENTS })
    ).submitApplication.application;
    const payments = async () =>
      (await run(`query($id: ID!) { application(id: $id) { payments { status amount { amount } } } }`, { id: application.id })).application.payments;
    await eventually(async () => (await payments()).length === 1, 'the duty to be billed');
    await run(`mutation($id: ID!) { withdrawApplication(id: $id, note: "Plans changed") { status } }`, { id: application.id });
    const [duty] = await eventually(async () => {
      const now = await payments();
      return now[0]?.status === 'CANCELLED' && now;
    }, 'the duty to be cancelled');
    expect(duty).toEqual({ status: 'CANCELLED', amount: { amount: '120.00' } });
  });

  it('checks a residence application\'s documents for its ground (TRP-DOC) and issues it only once its duty is paid (PAY-04)', async () => {
    const { persons } = await run('{ persons(first: 3) { nodes { id } } }');
    const applicant = persons.nodes[2].id;
    const residence = { applicantId: applicant, type: 'TEMPORARY_RESIDENCE', channel: 'ELECTRONIC', ground: 'EDUCATION', requestedDurationMonths: 12 };
    const incomplete = (await submit({ ...residence, documents: ['PASSPORT', 'PHOTO', 'MEDICAL_CERTIFICATE', 'NO_CRIMINAL_RECORD_CERTIFICATE'] })).submitApplication;
    expect(incomplete).toMatchObject({ outcome: 'REJECTED', application: null, reasons: expect.arrayContaining([{ ruleId: 'TRP-DOC' }]) });

    const application = (await submit({ ...residence, documents: EDUCATION_DOCUMENTS })).submitApplication.application;
    await step('takeApplicationForReview', application.id);
    await step('approveApplication', application.id);
    const bill = await eventually(async () => {
      const { application: now } = await run(`query($id: ID!) { application(id: $id) { payments { code status amount { amount } } } }`, { id: application.id });
      return now.payments[0];
    }, 'the duty to be billed');
    const officer = await graph.caller('migration-officer', 'CASE_PROCESSING', { subject: OFFICER });
    const refused = await graph.query(`mutation($id: ID!) { issueApplication(id: $id) { status } }`, { id: application.id }, officer);
    expect(refused.body.errors?.[0].extensions).toMatchObject({ code: 'DUTY_NOT_PAID', ruleId: 'PAY-04' });
    expect(refused.body.errors?.[0].message).toContain(bill.code);

    await run(`mutation($input: RecordPaymentInput!) { recordPayment(input: $input) { status } }`, {
      input: { code: bill.code, channel: 'ASAN_PAYMENT_TERMINAL', amount: bill.amount.amount, idempotencyKey: 'asan-tx-trp-0001' },
    });
    await step('issueApplication', application.id);
    const issued = await eventually(async () => {
      const { application: now } = await run(`query($id: ID!) { application(id: $id) { status permit { kind } } }`, { id: application.id });
      return now.permit && now;
    }, 'the permit to be recorded');
    expect(issued).toEqual({ status: 'ISSUED', permit: { kind: 'TEMPORARY_RESIDENCE_PERMIT' } });
  });

  it('has an officer assess a citizenship duty (CIT-05), which is billed, paid and lets the decision issue (PAY-04)', async () => {
    const { persons } = await run('{ persons(first: 4) { nodes { id } } }');
    const application = (await submit({ applicantId: persons.nodes[3].id, type: 'CITIZENSHIP_ADMISSION', channel: 'POST', documents: CITIZENSHIP_DOCUMENTS })).submitApplication.application;
    await step('takeApplicationForReview', application.id);
    await step('approveApplication', application.id);
    const officer = await graph.caller('migration-officer', 'CASE_PROCESSING', { subject: OFFICER });
    const unassessed = await graph.query(`mutation($id: ID!) { issueApplication(id: $id) { status } }`, { id: application.id }, officer);
    expect(unassessed.body.errors?.[0].extensions?.code).toBe('DUTY_NOT_PAID');
    expect(unassessed.body.errors?.[0].message).toMatch(/assessStateDuty/);
    const outOfRange = await graph.query(`mutation($id: ID!) { assessStateDuty(id: $id, amount: "1500.00") { id } }`, { id: application.id }, officer);
    expect(outOfRange.body.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'amount' });

    const { application: before } = await run(`query($id: ID!) { application(id: $id) { stateDuty { outcome amount { amount } } } }`, { id: application.id });
    expect(before.stateDuty).toEqual({ outcome: 'RANGE', amount: null });

    const code = await payStateDuty(graph, application.id, '250.00');
    const { application: paid } = await run(
      `query($id: ID!) { application(id: $id) { payments { code status amount { amount } } stateDuty { outcome amount { amount currency } range { min max } reasons { ruleId message { en } } } } }`,
      { id: application.id },
    );
    expect(paid.payments).toEqual([{ code, status: 'PAID', amount: { amount: '250.00' } }]);
    // Application.stateDuty shows the duty the officer assessed, within the range CIT-05 gives.
    expect(paid.stateDuty).toMatchObject({ outcome: 'ASSESSED', amount: { amount: '250.00', currency: 'AZN' }, range: { min: '50.00', max: '1000.00' } });
    expect(paid.stateDuty.reasons.map((reason: { ruleId: string }) => reason.ruleId)).toEqual(['PAY-04', 'CIT-05']);
    expect(paid.stateDuty.reasons[0].message.en).toMatch(/^State duty 250\.00 AZN, assessed by an officer on \d{4}-\d{2}-\d{2}/);
    await step('issueApplication', application.id);
    const { application: decided } = await run(`query($id: ID!) { application(id: $id) { status } }`, { id: application.id });
    expect(decided.status).toBe('ISSUED');
  });

  it('refuses an impossible step with INVALID_TRANSITION, through the gateway', async () => {
    const { persons } = await run('{ persons(first: 1) { nodes { id } } }');
    const application = (await submit({ applicantId: persons.nodes[0].id, type: 'CITIZENSHIP_ADMISSION', channel: 'POST', documents: CITIZENSHIP_DOCUMENTS })).submitApplication.application;
    const response = await graph.query(`mutation($id: ID!) { issueApplication(id: $id, officer: "${OFFICER}") { status } }`, { id: application.id });
    expect(response.body.errors?.[0].extensions?.code).toBe('INVALID_TRANSITION');
    expect(response.body.errors?.[0].message).toMatch(/SUBMITTED/);
  });
});
