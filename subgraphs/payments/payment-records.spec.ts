import { randomUUID } from 'node:crypto';
import { luhnCheckDigit } from '../../domain/facts/payment-codes';
import { GraphClientError, type GraphClient } from '../../platform/graph-client';
import { DATABASE_TARGETS, startSubgraphUnderTest, TEST_TODAY, type SubgraphUnderTest } from '../../platform/testing/subgraph-test-app';
import { Currency } from '../../platform/federation/money.type';
import { DEFAULT_WRITE_DATES } from '../../platform/plausible-dates';
import { paymentsSubgraph } from './app';
import { createPaymentLoaders } from './payment.loader';
import { PaymentRecordsService } from './payment-records.service';
import { PaymentService } from './payment.service';
import { PaymentStore } from './payment.store';

/** The persons registry as payments sees it through the graph: the persons it knows, born on 1980-05-01; or out of reach. */
function personsRegistry() {
  const known = new Set<string>();
  let reachable = true;
  const graph: GraphClient = {
    async query<Data>(_operation: string, variables: Record<string, unknown>): Promise<Data> {
      if (!reachable) throw new GraphClientError('The graph could not answer: HTTP 502');
      return { person: known.has(variables.id as string) ? { birthDate: '1980-05-01' } : null } as Data;
    },
  };
  return {
    graph,
    /** A new person on record in the persons registry. */
    person() {
      const id = randomUUID();
      known.add(id);
      return id;
    },
    set reachable(value: boolean) {
      reachable = value;
    },
  };
}

const BILL = `mutation($input: StateDutyInput!) { createStateDuty(input: $input) { id code status amount { amount currency } } }`;
const PAY = `mutation($input: RecordPaymentInput!) { recordPayment(input: $input) { id status channel paidOn } }`;
const FINE = `mutation($input: IssueFineInput!) { issueFine(input: $input) { id paymentCode outstanding } }`;

describe.each(DATABASE_TARGETS)('payments write paths on %s (issue 4)', (_kind, serverUrl) => {
  let subgraph: SubgraphUnderTest;
  const persons = personsRegistry();
  beforeAll(async () => {
    subgraph = await startSubgraphUnderTest(paymentsSubgraph, 2, { serverUrl, graph: persons.graph });
  });
  afterAll(() => subgraph.close());

  const count = async (sql: string, params: unknown[] = []) => (await subgraph.db.query<{ n: number }>('test.count', `select count(*)::int as n from ${sql}`, params))[0].n;
  const bill = async () => {
    const input = { applicationId: randomUUID(), personId: randomUUID(), amount: '350.00', currency: 'AZN', createdOn: '2026-11-01' };
    return { input, payment: (await subgraph.client.query(BILL, { variables: { input } })).data.createStateDuty };
  };

  it('bills a duty once, however many times the message arrives (50 at once)', async () => {
    const input = { applicationId: randomUUID(), personId: randomUUID(), amount: '350.00', currency: 'AZN', createdOn: '2026-11-01' };
    const answers = await Promise.all(Array.from({ length: 50 }, () => subgraph.client.query(BILL, { variables: { input } })));
    const codes = new Set(answers.map((answer) => answer.data.createStateDuty.code));
    expect(codes.size).toBe(1);
    expect(await count(`payments where application_id = $1`, [input.applicationId])).toBe(1);
  });

  it('gives each duty and fine a code that cannot be guessed from another: random digits, with a check digit', async () => {
    const codes = await Promise.all(Array.from({ length: 20 }, async () => (await bill()).payment.code as string));
    for (const code of codes) expect(luhnCheckDigit(code.slice(0, 11))).toBe(code.slice(11));
    expect(new Set(codes).size).toBe(codes.length);
    // A serial would put twenty codes within a few dozen of each other.
    const values = codes.map((code) => Number(code.slice(0, 11))).sort((a, b) => a - b);
    expect(values[values.length - 1] - values[0]).toBeGreaterThan(1e9);
  });

  it('makes a code again when the one drawn is taken', async () => {
    const taken = (await bill()).payment.code as string;
    const draws = [taken.slice(0, 11), taken.slice(0, 11), '12345678901'];
    const records = new PaymentRecordsService(subgraph.db, new PaymentService(new PaymentStore(subgraph.db), createPaymentLoaders(new PaymentStore(subgraph.db))), TEST_TODAY, DEFAULT_WRITE_DATES, async () => ({ birthDate: '1980-05-01' }), () => draws.shift()!);
    const duty = await records.billStateDuty({ applicationId: randomUUID(), personId: randomUUID(), amount: '350.00', currency: Currency.AZN, createdOn: '2026-11-01' });
    expect(duty.code).toBe(`12345678901${luhnCheckDigit('12345678901')}`);
    expect(draws).toEqual([]);
  });

  it('refuses an application billed again with another amount or payer; the first bill stands', async () => {
    const { input, payment } = await bill();
    expect((await subgraph.client.query(BILL, { variables: { input: { ...input, amount: '350' } } })).data.createStateDuty.id).toBe(payment.id);
    const other = await subgraph.client.query(BILL, { variables: { input: { ...input, amount: '500.00', personId: randomUUID() } } });
    expect(other.errors?.[0].extensions).toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED', field: 'input.applicationId', differing: ['personId', 'amount'] });
    expect(await count(`payments where application_id = $1 and amount = 350`, [input.applicationId])).toBe(1);
  });

  it('takes 50 concurrent retries of one payment once, each answered with the same payment', async () => {
    const { payment } = await bill();
    const input = { code: payment.code, channel: 'EXPRESS_PAY_TERMINAL', amount: '350.00', idempotencyKey: `xp-${randomUUID()}` };
    const answers = await Promise.all(Array.from({ length: 50 }, () => subgraph.client.query(PAY, { variables: { input } })));
    for (const answer of answers) {
      expect(answer.errors).toBeUndefined();
      expect(answer.data.recordPayment).toMatchObject({ id: payment.id, status: 'PAID', channel: 'EXPRESS_PAY_TERMINAL' });
    }
  });

  it('lets exactly one of 50 different payments of the same duty through; the rest are refused', async () => {
    const { payment } = await bill();
    const answers = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        subgraph.client.query(PAY, { variables: { input: { code: payment.code, channel: 'ONLINE', amount: '350.00', idempotencyKey: `online-${i}-${randomUUID()}` } } }),
      ),
    );
    const succeeded = answers.filter((answer) => !answer.errors);
    expect(succeeded).toHaveLength(1);
    for (const answer of answers.filter((a) => a.errors)) expect(answer.errors![0].extensions?.code).toBe('INVALID_TRANSITION');
    expect(await count(`payments where id = $1 and status = 'PAID'`, [payment.id])).toBe(1);
  });

  it.each([
    ['a wrong amount', (code: string) => ({ code, channel: 'ONLINE', amount: '349.99', idempotencyKey: 'wrong-amount-1' }), 'BAD_USER_INPUT'],
    ['an amount that is not a number', (code: string) => ({ code, channel: 'ONLINE', amount: 'lots', idempotencyKey: 'bad-amount-1' }), 'BAD_USER_INPUT'],
    ['an unknown code', () => ({ code: `99999999998${luhnCheckDigit('99999999998')}`, channel: 'ONLINE', amount: '350.00', idempotencyKey: 'unknown-code-1' }), 'NOT_FOUND'],
    ['a malformed key', (code: string) => ({ code, channel: 'ONLINE', amount: '350.00', idempotencyKey: 'k' }), 'BAD_USER_INPUT'],
  ])('refuses %s, leaving the duty unpaid', async (_name, input, code) => {
    const { payment } = await bill();
    const response = await subgraph.client.query(PAY, { variables: { input: input(payment.code) } });
    expect(response.errors?.[0].extensions?.code).toBe(code);
    expect(await count(`payments where id = $1 and status = 'UNPAID'`, [payment.id])).toBe(1);
  });

  it('refuses a second payment of a paid duty, and a key already used for another code', async () => {
    const first = await bill();
    const second = await bill();
    const key = `bank-${randomUUID()}`;
    await subgraph.client.query(PAY, { variables: { input: { code: first.payment.code, channel: 'BANK_BRANCH', amount: '350.00', idempotencyKey: key } } });
    const again = await subgraph.client.query(PAY, { variables: { input: { code: first.payment.code, channel: 'BANK_BRANCH', amount: '350.00', idempotencyKey: `other-${key}` } } });
    expect(again.errors?.[0].extensions?.code).toBe('INVALID_TRANSITION');
    const reused = await subgraph.client.query(PAY, { variables: { input: { code: second.payment.code, channel: 'BANK_BRANCH', amount: '350.00', idempotencyKey: key } } });
    expect(reused.errors?.[0].extensions).toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED', field: 'input.idempotencyKey', differing: ['code'] });
    expect(await count(`payments where id = $1 and status = 'UNPAID'`, [second.payment.id])).toBe(1);
  });

  it('answers a retry of a payment with the same payment, and refuses its key with another channel or amount', async () => {
    const { payment } = await bill();
    const input = { code: payment.code, channel: 'ONLINE', amount: '350.00', idempotencyKey: `online-${randomUUID()}` };
    expect((await subgraph.client.query(PAY, { variables: { input } })).data.recordPayment).toMatchObject({ id: payment.id, status: 'PAID', channel: 'ONLINE' });
    // The same amount written otherwise is the same payment.
    expect((await subgraph.client.query(PAY, { variables: { input: { ...input, amount: '350' } } })).errors).toBeUndefined();
    for (const [change, differing] of [[{ channel: 'BANK_BRANCH' }, ['channel']], [{ amount: '349.00' }, ['amount']]] as const) {
      const again = await subgraph.client.query(PAY, { variables: { input: { ...input, ...change } } });
      expect(again.errors?.[0].extensions).toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED', field: 'input.idempotencyKey', differing });
    }
    expect(await count(`payments where id = $1 and channel = 'ONLINE'`, [payment.id])).toBe(1);
  });

  it('imposes a fine once per key (50 at once), within the FINE-01 range only', async () => {
    const input = { personId: persons.person(), offence: 'NO_REGISTRATION', legalArticle: 'İXM 575.1', amount: '350.00', idempotencyKey: `police-${randomUUID()}` };
    const answers = await Promise.all(Array.from({ length: 50 }, () => subgraph.client.query(FINE, { variables: { input } })));
    expect(new Set(answers.map((a) => a.data.issueFine.id)).size).toBe(1);
    expect(await count(`fines where person_id = $1`, [input.personId])).toBe(1);
    const tooHigh = await subgraph.client.query(FINE, { variables: { input: { ...input, amount: '900.00', idempotencyKey: `police-${randomUUID()}` } } });
    expect(tooHigh.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.amount' });
    expect(tooHigh.errors?.[0].message).toMatch(/FINE-01/);
  });

  const fine = (personId: string, extra: object = {}) => ({
    personId, offence: 'OVERSTAY', legalArticle: 'İXM 575.1', amount: '300.00', idempotencyKey: `police-${randomUUID()}`, ...extra,
  });

  it('refuses a key reused for another person: the first fine stands, the second person has none', async () => {
    const [a, b] = [persons.person(), persons.person()];
    const first = await subgraph.client.query(FINE, { variables: { input: fine(a, { idempotencyKey: 'police-shared-key-1' }) } });
    expect(first.errors).toBeUndefined();
    const reused = await subgraph.client.query(FINE, { variables: { input: fine(b, { idempotencyKey: 'police-shared-key-1', amount: '350.00' }) } });
    expect(reused.errors?.[0].extensions).toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED', field: 'input.idempotencyKey', differing: ['personId', 'amount'] });
    expect(reused.data).toBeNull();
    expect([await count('fines where person_id = $1', [a]), await count('fines where person_id = $1', [b])]).toEqual([1, 0]);
    // The same fine again is a retry: the same fine, whether the days were sent or left to their defaults.
    const retry = await subgraph.client.query(FINE, { variables: { input: fine(a, { idempotencyKey: 'police-shared-key-1', amount: '300' }) } });
    expect(retry.data.issueFine.id).toBe(first.data.issueFine.id);
    const dated = await subgraph.client.query(FINE, { variables: { input: fine(a, { idempotencyKey: 'police-shared-key-1', issuedOn: TEST_TODAY }) } });
    expect(dated.data.issueFine.id).toBe(first.data.issueFine.id);
    const otherDay = await subgraph.client.query(FINE, { variables: { input: fine(a, { idempotencyKey: 'police-shared-key-1', issuedOn: '2026-10-01' }) } });
    expect(otherDay.errors?.[0].extensions).toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED', differing: ['issuedOn'] });
  });

  it('50 officers fining 50 persons with one key at once: one fine, 49 refusals', async () => {
    const key = `police-race-${randomUUID()}`;
    const fined = Array.from({ length: 50 }, () => persons.person());
    const answers = await Promise.all(fined.map((personId) => subgraph.client.query(FINE, { variables: { input: fine(personId, { idempotencyKey: key }) } })));
    expect(answers.filter((answer) => !answer.errors)).toHaveLength(1);
    for (const answer of answers.filter((a) => a.errors)) expect(answer.errors![0].extensions).toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED', differing: ['personId'] });
    expect(await count('fines where person_id = any($1::uuid[])', [fined])).toBe(1);
    expect(await count(`payments p join fines f on f.id = p.fine_id where f.idempotency_key = $1`, [key])).toBe(1);
  });

  it.each([
    ['a person the persons registry does not know', () => fine(randomUUID()), 'input.personId', /no person with this id/],
    ['a fine imposed before 1900', () => fine(persons.person(), { issuedOn: '1899-12-31' }), 'input.issuedOn', /1899-12-31 is not a plausible day/],
    ["a fine imposed before the person's birth (1900-01-01)", () => fine(persons.person(), { issuedOn: '1900-01-01' }), 'input.issuedOn', /birth date/],
    ['a fine imposed beyond the margin', () => fine(persons.person(), { issuedOn: '2026-11-04' }), 'input.issuedOn', /WRITE_DATE_MARGIN_DAYS = 1 day/],
    ['a fine due before it is imposed', () => fine(persons.person(), { issuedOn: '2026-10-01', dueOn: '2026-09-30' }), 'input.dueOn', /the day it is imposed/],
    ['a fine due in 2999', () => fine(persons.person(), { dueOn: '2999-01-01' }), 'input.dueOn', /a year after it is imposed/],
  ])('refuses %s with BAD_USER_INPUT, writing nothing', async (_name, input, field, message) => {
    const before = await count('fines');
    const response = await subgraph.client.query(FINE, { variables: { input: input() } });
    expect(response.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
    expect(response.errors?.[0].message).toMatch(message);
    expect(await count('fines')).toBe(before);
  });

  it('refuses a fine while the persons registry cannot be asked, writing nothing', async () => {
    const before = await count('fines');
    persons.reachable = false;
    try {
      const response = await subgraph.client.query(FINE, { variables: { input: fine(persons.person()) } });
      expect(response.errors?.[0].extensions).toMatchObject({ code: 'SUBGRAPH_UNAVAILABLE', registry: 'persons' });
    } finally {
      persons.reachable = true;
    }
    expect(await count('fines')).toBe(before);
  });

  it.each([
    ['billed on 1000-01-01', BILL, { applicationId: randomUUID(), personId: randomUUID(), amount: '350.00', currency: 'AZN', createdOn: '1000-01-01' }, 'input.createdOn'],
    ['billed in 2999', BILL, { applicationId: randomUUID(), personId: randomUUID(), amount: '350.00', currency: 'AZN', createdOn: '2999-01-01' }, 'input.createdOn'],
    ['cancelled in 2999', `mutation($input: CancelStateDutyInput!) { cancelStateDuty(input: $input) { id } }`, { applicationId: randomUUID(), cancelledOn: '2999-01-01' }, 'input.cancelledOn'],
  ])('refuses a duty %s', async (_name, mutation, input, field) => {
    const response = await subgraph.client.query(mutation, { variables: { input } });
    expect(response.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
  });
});
