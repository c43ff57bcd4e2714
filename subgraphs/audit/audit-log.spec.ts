import { createHmac } from 'node:crypto';
import { AuditLog, openAuditLog, type AuditEntry } from './audit-log';
import type { Database } from '../../platform/db/database';
import { freshServerDatabase } from '../../platform/testing/subgraph-test-app';

const KEY = 'k'.repeat(40);

function entry(index: number, personIds: string[] = [`00000000-0000-4000-8000-${String(index).padStart(12, '0')}`]): AuditEntry {
  return {
    agency: 'police',
    subject: `officer-${index}`,
    purpose: 'PUBLIC_ORDER',
    operation: 'PersonPicture',
    fields: ['Person.surname', 'Query.person'],
    personIds,
    requestId: `req-${index}`,
    entryId: `entry-${index}`,
    outcome: 'SERVED',
  };
}

/** What a database administrator could do behind the gateway's back: the append-only trigger switched off first. */
async function tamper(db: Database, sql: string, params: unknown[] = []): Promise<void> {
  await db.exec('test.trigger-off', 'alter table audit_records disable trigger audit_records_append_only');
  await db.query('test.tamper', sql, params);
}

/** PGlite always; a PostgreSQL server too when TEST_DATABASE_URL names one. */
const serverUrl = process.env.TEST_DATABASE_URL;
const backends: [string, string | undefined][] = [['PGlite', undefined], ...(serverUrl ? [['PostgreSQL', serverUrl] as [string, string]] : [])];

describe.each(backends)('audit log (issue 5, item 5) on %s: append-only, hash-chained', (backend, server) => {
  let log: AuditLog;
  let db: Database;
  let drop: (() => Promise<void>) | undefined;
  /** What only PGlite shows: its one session's prepared statements (a server's pool spreads them over connections). */
  const onPglite = backend === 'PGlite' ? it : it.skip;

  beforeEach(async () => {
    const database = server ? await freshServerDatabase(server, 'audit') : undefined;
    drop = database?.drop;
    ({ log, db } = await openAuditLog({ key: KEY, url: database?.url }));
    await Promise.all(Array.from({ length: 30 }, (_, index) => log.append(entry(index + 1))));
  });

  afterEach(async () => {
    await db.close();
    await drop?.();
  });

  it('keeps every appended entry, numbered without gaps, and the chain verifies', async () => {
    const check = await log.verify(7); // pages smaller than the log, so paging is exercised
    expect(check).toEqual({ intact: true, records: 30, head: expect.stringMatching(/^[0-9a-f]{64}$/) });
    const [record] = await log.forPerson('00000000-0000-4000-8000-000000000007', 10);
    expect(record).toMatchObject({ agency: 'police', subject: 'officer-7', purpose: 'PUBLIC_ORDER', requestId: 'req-7', fields: ['Person.surname', 'Query.person'] });
  });

  it('concurrent appends are written together, in fewer transactions than entries', async () => {
    const before = db.stats.byName.get('audit.append') ?? 0;
    await Promise.all(Array.from({ length: 100 }, (_, index) => log.append(entry(100 + index))));
    const inserts = (db.stats.byName.get('audit.append') ?? 0) - before;
    expect(inserts).toBeGreaterThanOrEqual(1);
    expect(inserts).toBeLessThan(100);
    expect(await log.verify()).toMatchObject({ intact: true, records: 130 });
  });

  it('a steady writer spends one statement per batch: the head it moved last is not read again', async () => {
    const count = (name: string) => db.stats.byName.get(name) ?? 0;
    const before = { append: count('audit.append'), head: count('audit.head') };
    for (let index = 0; index < 5; index += 1) await log.append(entry(200 + index));
    expect({ append: count('audit.append') - before.append, head: count('audit.head') - before.head }).toEqual({ append: 5, head: 0 });
  });

  onPglite('writes batches of every size with one statement text, so one prepared statement serves them all', async () => {
    for (const size of [1, 2, 3, 7]) await Promise.all(Array.from({ length: size }, (_, index) => log.append(entry(300 + size * 10 + index))));
    const [prepared] = await db.query<{ texts: number }>(
      'test.prepared',
      `select count(*)::int as texts from pg_prepared_statements where statement like '/* audit.append */%'`,
    );
    expect(prepared.texts).toBe(1);
    expect(await log.verify()).toMatchObject({ intact: true, records: 30 + 1 + 2 + 3 + 7 });
  });

  onPglite('plans the append once and reuses the plan, rather than planning it at every batch, on a log of many records', async () => {
    // Records of a log in use (their chain is not this test's subject), so that a lookup among them is not free to plan for.
    await db.exec(
      'test.fill',
      `insert into audit_records (seq, at, operation, fields, person_ids, request_id, outcome, prev_hash, hash, entry_id)
       select 1000 + g, '2026-11-01T00:00:00.000Z', 'Q', '{}', '{}', 'r', 'SERVED', 'p', 'h', 'filled-' || g from generate_series(1, 20000) as g`,
    );
    const writer = new AuditLog(db, KEY);
    // The server plans a prepared statement anew for its first five executions, then keeps a generic plan if it is no dearer.
    for (let index = 0; index < 10; index += 1) await writer.append(entry(700 + index));
    const [plans] = await db.query<{ generic: number; custom: number }>(
      'test.plans',
      `select generic_plans::int as generic, custom_plans::int as custom from pg_prepared_statements where statement like '/* audit.append */%'`,
    );
    expect(plans.custom).toBeLessThanOrEqual(5);
    expect(plans.generic).toBeGreaterThan(0);
  });

  it('keeps what a record holds exactly: nulls, empty lists, quotes, backslashes and Azerbaijani letters', async () => {
    const odd: AuditEntry = {
      agency: null,
      subject: `o'fficer "Şəkər" \\ ığüöç`,
      purpose: null,
      operation: 'Query {"x": [1]}',
      fields: ['Person.surname', "Əli's \\n field"],
      personIds: [],
      requestId: 'req-odd',
      entryId: 'entry-odd',
      outcome: 'SERVED',
    };
    const person = '00000000-0000-4000-8000-0000000000aa';
    await Promise.all([log.append(odd), log.append({ ...odd, requestId: 'req-odd-2', entryId: 'entry-odd-2', personIds: [person] })]);
    const [record] = await log.forPerson(person, 1);
    expect(record).toMatchObject({ ...odd, requestId: 'req-odd-2', entryId: 'entry-odd-2', personIds: [person] });
    expect(await log.verify()).toMatchObject({ intact: true, records: 32 });
  });

  it('two writers on one database (two audit processes) both append, and the chain stays one chain', async () => {
    const other = new AuditLog(db, KEY);
    const writes: Promise<void>[] = [];
    for (let index = 0; index < 40; index += 1) writes.push((index % 2 ? log : other).append(entry(300 + index)));
    await Promise.all(writes);
    // Turn by turn, so that each writer's head is always stale when it writes.
    for (let index = 0; index < 6; index += 1) await (index % 2 ? log : other).append(entry(400 + index));
    expect(await log.verify()).toEqual({ intact: true, records: 76, head: expect.any(String) });
    const requests = (await db.query<{ request_id: string }>('test.requests', 'select request_id from audit_records')).map((row) => row.request_id);
    expect(new Set(requests).size).toBe(76);
  });

  it('stores a record once per entry id: sent again (a retried or replayed POST), in one batch or later, it adds nothing', async () => {
    await Promise.all([log.append(entry(7)), log.append(entry(7)), log.append(entry(500)), log.append(entry(500))]);
    await log.append(entry(12));
    await Promise.all([log.append(entry(501)), log.append(entry(3))]);
    expect(await log.verify()).toMatchObject({ intact: true, records: 32 });
    const ids = (await db.query<{ entry_id: string }>('test.entries', 'select entry_id from audit_records')).map((row) => row.entry_id);
    expect(new Set(ids).size).toBe(32);
  });

  it('two writers taking the same records at once store each once', async () => {
    const other = new AuditLog(db, KEY);
    await Promise.all(Array.from({ length: 20 }, (_, index) => [log.append(entry(600 + index)), other.append(entry(600 + index))]).flat());
    expect(await log.verify()).toMatchObject({ intact: true, records: 50 });
  });

  it('a record written before entry ids were kept (none) verifies as it did', async () => {
    // As the first version wrote it: no entry id, its hash over the other fields only.
    const [head] = await db.query<{ seq: number; hash: string }>('test.head', 'select seq, hash from audit_head');
    const record = { seq: head.seq + 1, at: '2026-11-01T00:00:00.000Z', agency: 'police', subject: 'p', purpose: 'PUBLIC_ORDER', operation: 'Q', fields: ['Query.person'], personIds: [], requestId: 'old', outcome: 'SERVED', prevHash: head.hash };
    const hash = createHmac('sha256', KEY)
      .update(JSON.stringify([record.seq, record.at, record.agency, record.subject, record.purpose, record.operation, record.fields, record.personIds, record.requestId, record.outcome, record.prevHash]))
      .digest('hex');
    await db.query(
      'test.old-record',
      `insert into audit_records (seq, at, agency, subject, purpose, operation, fields, person_ids, request_id, outcome, prev_hash, hash)
       values ($1, $2, 'police', 'p', 'PUBLIC_ORDER', 'Q', '{Query.person}', '{}', 'old', 'SERVED', $3, $4)`,
      [record.seq, record.at, record.prevHash, hash],
    );
    await db.query('test.old-head', 'update audit_head set seq = $1, hash = $2', [record.seq, hash]);
    expect(await new AuditLog(db, KEY).verify()).toMatchObject({ intact: true, records: 31 });
  });

  it('the table refuses UPDATE and DELETE', async () => {
    await expect(db.query('test.update', "update audit_records set purpose = 'X' where seq = 3")).rejects.toThrow(/append-only/);
    await expect(db.query('test.delete', 'delete from audit_records where seq = 3')).rejects.toThrow(/append-only/);
  });

  it('an edited record is found', async () => {
    await tamper(db, "update audit_records set purpose = 'CRIMINAL_INVESTIGATION' where seq = 12");
    expect(await log.verify()).toMatchObject({ intact: false, seq: 12, problem: expect.stringContaining('edited') });
  });

  it('a record edited with its hash recomputed without the key is found by the next link', async () => {
    await tamper(db, "update audit_records set subject = 'someone-else', hash = repeat('a', 64) where seq = 12");
    expect(await log.verify()).toMatchObject({ intact: false, seq: 12 });
  });

  it('a deleted record is found', async () => {
    await tamper(db, 'delete from audit_records where seq = 20');
    expect(await log.verify()).toMatchObject({ intact: false, seq: 21, problem: expect.stringContaining('record 20 is missing') });
  });

  it('records deleted from the end are found by the head', async () => {
    await tamper(db, 'delete from audit_records where seq > 27');
    expect(await log.verify()).toMatchObject({ intact: false, records: 27, problem: expect.stringContaining('head') });
  });

  it('an inserted record is found', async () => {
    await tamper(db, 'update audit_records set seq = seq + 1000 where seq >= 10');
    await tamper(db, 'update audit_records set seq = seq - 999 where seq >= 1010');
    const [prior] = await db.query<{ hash: string }>('test.prior', 'select hash from audit_records where seq = 9');
    await db.query(
      'test.insert',
      `insert into audit_records (seq, at, agency, subject, purpose, operation, fields, person_ids, request_id, outcome, prev_hash, hash)
       values (10, '2026-11-02T00:00:00.000Z', 'police', 'ghost', 'PUBLIC_ORDER', 'X', '{}', '{}', 'forged', 'SERVED', $1, repeat('b', 64))`,
      [prior.hash],
    );
    expect(await log.verify()).toMatchObject({ intact: false, seq: 10 });
  });
});
