import { GraphQLError } from 'graphql';
import { differingDetails, isUniqueViolation, writeOnce, type OnceWrite } from './idempotent-write';

type Row = { key: string; who: string; amount: string };

/** A store of one table with a unique key, in memory; `raceWith` puts a row in just before the write, as a racing request would. */
function store(initial: Row[] = []) {
  const rows = new Map(initial.map((row) => [row.key, row]));
  return {
    rows,
    raceWith: null as Row | null,
    once(sent: Omit<Row, 'key'> & { key: string }, overrides: Partial<OnceWrite<Row>> = {}): OnceWrite<Row> {
      return {
        keyField: 'input.idempotencyKey',
        sent: { who: sent.who, amount: sent.amount },
        recorded: async () => rows.get(sent.key) ?? null,
        detailsOf: (row) => ({ who: row.who, amount: row.amount }),
        write: async () => {
          if (this.raceWith) rows.set(this.raceWith.key, this.raceWith);
          if (rows.has(sent.key)) return null;
          rows.set(sent.key, sent);
          return sent;
        },
        ...overrides,
      };
    },
  };
}

describe('writeOnce: one mechanism for every idempotent write', () => {
  it('writes what is new', async () => {
    const table = store();
    expect(await writeOnce(table.once({ key: 'k-1', who: 'A', amount: '300.00' }))).toEqual({ kind: 'written', recorded: { key: 'k-1', who: 'A', amount: '300.00' } });
    expect(table.rows.size).toBe(1);
  });

  it('answers a retry with what is on record, writing nothing', async () => {
    const table = store([{ key: 'k-1', who: 'A', amount: '300.00' }]);
    const write = jest.fn();
    const outcome = await writeOnce({ ...table.once({ key: 'k-1', who: 'A', amount: '300.00' }), write });
    expect(outcome).toEqual({ kind: 'repeated', recorded: { key: 'k-1', who: 'A', amount: '300.00' } });
    expect(write).not.toHaveBeenCalled();
  });

  it('refuses a key on record with other details, naming the key and what differs', async () => {
    const table = store([{ key: 'k-1', who: 'A', amount: '300.00' }]);
    const refusal = await writeOnce(table.once({ key: 'k-1', who: 'B', amount: '350.00' })).catch((error) => error);
    expect(refusal.extensions).toEqual({ code: 'IDEMPOTENCY_KEY_REUSED', field: 'input.idempotencyKey', differing: ['who', 'amount'] });
    expect(refusal.message).toMatch(/input\.idempotencyKey .*\(who, amount\)/);
    expect(table.rows.get('k-1')!.who).toBe('A');
  });

  it('compares with the winner when a racing write took the key first: the same is repeated, another refused', async () => {
    const same = store();
    same.raceWith = { key: 'k-1', who: 'A', amount: '300.00' };
    expect((await writeOnce(same.once({ key: 'k-1', who: 'A', amount: '300.00' }))).kind).toBe('repeated');
    const other = store();
    other.raceWith = { key: 'k-1', who: 'A', amount: '300.00' };
    await expect(writeOnce(other.once({ key: 'k-1', who: 'B', amount: '300.00' }))).rejects.toMatchObject({ extensions: { code: 'IDEMPOTENCY_KEY_REUSED', differing: ['who'] } });
  });

  it('says when nothing was written and nothing is on record (the write’s own condition failed)', async () => {
    const table = store();
    expect(await writeOnce({ ...table.once({ key: 'k-1', who: 'A', amount: '1.00' }), write: async () => null })).toEqual({ kind: 'not-written' });
  });

  it('takes a refusal of its own (e.g. a document on record for someone else)', async () => {
    const table = store([{ key: 'k-1', who: 'A', amount: '300.00' }]);
    const refuse = jest.fn((_differing: readonly string[], _recorded: Row) => new GraphQLError('someone else'));
    await expect(writeOnce({ ...table.once({ key: 'k-1', who: 'B', amount: '300.00' }), refuse })).rejects.toThrow('someone else');
    expect(refuse).toHaveBeenCalledWith(['who'], { key: 'k-1', who: 'A', amount: '300.00' });
  });

  it('compares only the details that were sent (a default applied is no difference)', () => {
    expect(differingDetails({ who: 'A', issuedOn: undefined }, { who: 'A', issuedOn: '2026-11-01' })).toEqual([]);
    expect(differingDetails({ who: 'A', issuedOn: '2026-11-02' }, { who: 'A', issuedOn: '2026-11-01' })).toEqual(['issuedOn']);
    expect(differingDetails({ channel: null }, { channel: 'ONLINE' })).toEqual(['channel']);
  });

  it('knows a unique violation on either driver, by constraint when asked', () => {
    expect(isUniqueViolation({ code: '23505', constraint: 'persons_fin_key' })).toBe(true);
    expect(isUniqueViolation({ code: '23505', message: 'duplicate key value violates unique constraint "persons_fin_key"' }, 'persons_fin_key')).toBe(true);
    expect(isUniqueViolation({ code: '23505', constraint: 'other' }, 'persons_fin_key')).toBe(false);
    expect(isUniqueViolation({ code: '23503' })).toBe(false);
    expect(isUniqueViolation(null)).toBe(false);
  });
});
