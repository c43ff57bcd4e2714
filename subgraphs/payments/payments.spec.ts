import { startSubgraphUnderTest, type SubgraphUnderTest } from '../../platform/testing/subgraph-test-app';
import { paymentsSubgraph } from './app';

describe('payments subgraph', () => {
  let subgraph: SubgraphUnderTest;
  beforeAll(async () => {
    subgraph = await startSubgraphUnderTest(paymentsSubgraph, 80);
  });
  afterAll(() => subgraph.close());

  it('looks up a state duty by payment code (PAY-02) with its application and channel (PAY-03)', async () => {
    const payment = subgraph.histories.flatMap((h) => h.payments).find((p) => p.purpose === 'STATE_DUTY' && p.status === 'PAID')!;
    const response = await subgraph.client.query(
      `query($c: String!) { paymentByCode(code: $c) { id code purpose status channel paidOn amount { amount currency }
         application { id } payer { id } fine { id } } }`,
      { variables: { c: payment.code } },
    );
    expect(response.errors).toBeUndefined();
    expect(response.data.paymentByCode).toEqual({
      id: payment.id,
      code: payment.code,
      purpose: 'STATE_DUTY',
      status: 'PAID',
      channel: payment.channel,
      paidOn: payment.paidOn,
      amount: { amount: payment.amount, currency: payment.currency },
      application: { id: payment.applicationId },
      payer: { id: payment.personId },
      fine: null,
    });
  });

  it('lists outstanding fines until paid (FINE-02), and all fines', async () => {
    const history = subgraph.histories.find((h) => h.fines.length > 0)!;
    const unpaid = new Set(history.payments.filter((p) => p.purpose === 'FINE' && p.status !== 'PAID').map((p) => p.fineId));
    const response = await subgraph.client.query(
      `query($r: [_Any!]!) { _entities(representations: $r) { ... on Person {
         outstandingFines { id outstanding paidOn amount { amount } paymentCode } fines { id outstanding } } } }`,
      { variables: { r: [{ __typename: 'Person', id: history.person.id }] } },
    );
    const person = response.data._entities[0];
    expect(person.fines.map((f: { id: string }) => f.id).sort()).toEqual(history.fines.map((f) => f.id).sort());
    expect(person.outstandingFines.map((f: { id: string }) => f.id).sort()).toEqual([...unpaid].sort());
    for (const fine of person.outstandingFines) expect(fine).toMatchObject({ outstanding: true, paidOn: null });
  });

  it('finds the fine behind a fine payment code', async () => {
    const payment = subgraph.histories.flatMap((h) => h.payments).find((p) => p.purpose === 'FINE')!;
    const response = await subgraph.client.query(`query($c: String!) { paymentByCode(code: $c) { purpose fine { id paymentCode } } }`, {
      variables: { c: payment.code },
    });
    expect(response.data.paymentByCode).toEqual({ purpose: 'FINE', fine: { id: payment.fineId, paymentCode: payment.code } });
  });

  it('resolves an application’s payments through _entities in one statement for many applications', async () => {
    const applicationIds = [...new Set(subgraph.histories.flatMap((h) => h.payments).flatMap((p) => (p.applicationId ? [p.applicationId] : [])))];
    const before = subgraph.db.stats.total;
    const response = await subgraph.client.query(
      `query($r: [_Any!]!) { _entities(representations: $r) { ... on Application { id payments { code } } } }`,
      { variables: { r: applicationIds.map((id) => ({ __typename: 'Application', id })) } },
    );
    expect(response.data._entities).toHaveLength(applicationIds.length);
    for (const entity of response.data._entities) expect(entity.payments.length).toBeGreaterThan(0);
    expect(subgraph.db.stats.total - before).toBe(1);
  });
});
