import { randomUUID } from 'node:crypto';
import { luhnCheckDigit } from '../shared/facts/payment-codes';
import { DATABASE_TARGETS, startSubgraphUnderTest, type SubgraphUnderTest } from '../shared/testing/subgraph-test-app';
import { paymentsSubgraph } from './app';


const BILL = `mutation($input: StateDutyInput!) { createStateDuty(input: $input) { id code status amount { amount currency } } }`;
const PAY = `mutation($input: RecordPaymentInput!) { recordPayment(input: $input) { id status channel paidOn } }`;
const FINE = `mutation($input: IssueFineInput!) { issueFine(input: $input) { id paymentCode outstanding } }`;

describe.each(DATABASE_TARGETS)('payments write paths on %s (issue 4)', (_kind, serverUrl) => {
  let subgraph: SubgraphUnderTest;
  beforeAll(async () => {
    subgraph = await startSubgraphUnderTest(paymentsSubgraph, 2, { serverUrl });
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
    expect(reused.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.idempotencyKey' });
  });

  it('imposes a fine once per key (50 at once), within the FINE-01 range only', async () => {
    const input = { personId: randomUUID(), offence: 'NO_REGISTRATION', legalArticle: 'İXM 575.1', amount: '350.00', idempotencyKey: `police-${randomUUID()}` };
    const answers = await Promise.all(Array.from({ length: 50 }, () => subgraph.client.query(FINE, { variables: { input } })));
    expect(new Set(answers.map((a) => a.data.issueFine.id)).size).toBe(1);
    expect(await count(`fines where person_id = $1`, [input.personId])).toBe(1);
    const tooHigh = await subgraph.client.query(FINE, { variables: { input: { ...input, amount: '900.00', idempotencyKey: `police-${randomUUID()}` } } });
    expect(tooHigh.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.amount' });
    expect(tooHigh.errors?.[0].message).toMatch(/FINE-01/);
  });
});
