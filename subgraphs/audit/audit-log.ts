import { createHmac } from 'node:crypto';
import { openDatabase, type Database, type Queryable } from '../../platform/db/database';
import { migrate, type Migration } from '../../platform/db/migrate';
import { GroupCommit } from '../../platform/group-commit';
import type { AuditEntry } from '../../protocol/audit-entry';

export type { AuditEntry };

/**
 * The audit of personal data access (issue 5, item 5): one record per operation that read protected
 * data, sent by the gateway (the one place every read passes) before the answer leaves.
 *
 * Tamper evidence: the records form a chain. Each record's hash is an HMAC, under a key the database
 * does not hold, of the previous record's hash and the record's own content, and the chain's head
 * (last number and hash) is kept beside it. Editing, inserting or deleting a record breaks the chain
 * at that point, and `npm run audit:verify` says where. The table also refuses UPDATE and DELETE.
 */
export interface AuditRecord extends Omit<AuditEntry, 'entryId'> {
  /** The gateway's id of the record; null in records written before ids were kept. */
  entryId: string | null;
  seq: number;
  /** When it was recorded, ISO 8601 UTC. */
  at: string;
  prevHash: string;
  hash: string;
}

export interface ChainHead {
  seq: number;
  hash: string;
}

export type ChainCheck = { intact: true; records: number; head: string } | { intact: false; records: number; seq: number; problem: string };

const GENESIS = '0'.repeat(64);

export const auditMigrations: readonly Migration[] = [
  {
    version: 1,
    name: 'audit records, hash-chained, append-only',
    sql: `
      create table audit_records (
        seq bigint primary key,
        at text not null,
        agency text,
        subject text,
        purpose text,
        operation text not null,
        fields text[] not null,
        person_ids text[] not null,
        request_id text not null,
        outcome text not null,
        prev_hash text not null,
        hash text not null
      );
      create index audit_records_person_idx on audit_records using gin (person_ids);
      create table audit_head (
        id int primary key check (id = 1),
        seq bigint not null,
        hash text not null
      );
      insert into audit_head (id, seq, hash) values (1, 0, '${GENESIS}');
      create function audit_refuse_change() returns trigger language plpgsql as $$ begin raise exception 'audit records are append-only'; end $$;
      create trigger audit_records_append_only before update or delete on audit_records for each row execute function audit_refuse_change();
    `,
  },
  {
    version: 2,
    name: 'audit records stored once per entry id; the signed checkpoints this database has seen',
    sql: `
      alter table audit_records add column entry_id text;
      create unique index audit_records_entry_idx on audit_records (entry_id);
      create table audit_checkpoints (
        size bigint not null,
        head text not null,
        at text not null,
        signature text not null,
        primary key (size, head)
      );
      create trigger audit_checkpoints_append_only before update or delete on audit_checkpoints for each row execute function audit_refuse_change();
    `,
  },
];

/** Appends that lose the race for the head this many times in a row fail (and the gateway answers 503). */
const MAX_APPEND_ATTEMPTS = 5;

export class AuditLog {
  private readonly commits = new GroupCommit<AuditEntry>((entries) => this.write(entries));
  /** The chain's head as this writer last moved it; null: read it from the database first. */
  private head: { seq: number; hash: string } | null = null;
  /** Told of the head after each append this writer commits (the checkpoints count records by it). */
  onAppended: ((head: ChainHead) => void) | null = null;

  constructor(
    private readonly db: Database,
    /** The chain's HMAC key; null for a reader (forPerson only). */
    private readonly key: string | null,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  private chainKey(): string {
    if (!this.key) throw new Error('This audit log was opened without its key: it can be read, not written or verified.');
    return this.key;
  }

  /**
   * Records an entry; resolves once it is committed. Entries of POSTs read in one turn of the event
   * loop, or arriving while a write is under way, are written together (one statement for many
   * requests), so the cost per request falls as the load rises, and no request is answered before
   * its record is durable.
   */
  append(entry: AuditEntry): Promise<void> {
    return this.commits.add(entry);
  }

  private async write(batch: AuditEntry[]): Promise<void> {
    const at = this.clock().toISOString();
    // A record is stored once per entry id: a retried or replayed POST, or the same record twice in one batch, adds nothing.
    let entries = [...new Map(batch.map((entry) => [entry.entryId, entry])).values()];
    // Optimistic: the chain is extended from the head this writer saw last, in one statement that
    // appends only if the head is still that one and none of the records is already stored. Another
    // writer on the same database (a second audit process) moves the head first; then this one reads
    // it again and links after it. When a record is found stored (the unique index refuses the
    // statement), the stored ones are looked up, left out, and the rest written.
    for (let attempt = 1; ; attempt += 1) {
      const head = this.head ?? (await this.readHead());
      let { seq, hash } = head;
      const records: AuditRecord[] = entries.map((entry) => {
        seq += 1;
        const record = { ...entry, seq, at, prevHash: hash, hash: '' };
        record.hash = hash = chainHash(this.chainKey(), record);
        return record;
      });
      const appended = await appendIfHeadIs(this.db, records, head, { seq, hash }).catch((error: unknown) => {
        // One of these records is stored already (sent again, or by another writer): nothing was written.
        if (isUniqueViolation(error)) return 'some stored' as const;
        throw error;
      });
      if (appended === true) {
        this.head = { seq, hash };
        this.onAppended?.(this.head);
        return;
      }
      if (appended === 'some stored') {
        const stored = new Set(await storedEntryIds(this.db, entries.map((entry) => entry.entryId)));
        if (stored.size > 0) {
          entries = entries.filter((entry) => !stored.has(entry.entryId));
          if (entries.length === 0) return;
          attempt -= 1; // not a lost race: the batch shrank, and it can shrink only so often
          continue;
        }
      }
      this.head = null;
      if (attempt === MAX_APPEND_ATTEMPTS) throw new Error(`the audit chain's head moved under ${attempt} attempts in a row to append`);
    }
  }

  /** The chain's head as the database holds it: the last record's number and hash. */
  async readHead(): Promise<ChainHead> {
    const [head] = await this.db.query<ChainHead>('audit.head', 'select seq, hash from audit_head where id = 1');
    return head;
  }

  /** The hash of record `seq`, or null when there is no such record (for the checkpoints). */
  async hashAt(seq: number): Promise<string | null> {
    const [record] = await this.db.query<{ hash: string }>('audit.hash-at', 'select hash from audit_records where seq = $1', [seq]);
    return record?.hash ?? null;
  }

  /** The records naming a person, newest first. */
  async forPerson(personId: string, limit: number): Promise<AuditRecord[]> {
    return this.db.query<AuditRecord>(
      'audit.for-person',
      `select ${RECORD_SELECT} from audit_records where person_ids @> array[$1]::text[] order by seq desc limit $2`,
      [personId, limit],
    );
  }

  /** Walks the whole chain from the first record and says whether it is intact, and if not, where it breaks. */
  async verify(pageSize = 5000): Promise<ChainCheck> {
    let expectedSeq = 1;
    let previous = GENESIS;
    for (;;) {
      const page = await this.db.query<AuditRecord>('audit.verify-page', `select ${RECORD_SELECT} from audit_records where seq >= $1 order by seq limit $2`, [expectedSeq, pageSize]);
      for (const record of page) {
        const broken = (problem: string): ChainCheck => ({ intact: false, records: expectedSeq - 1, seq: record.seq, problem });
        if (record.seq !== expectedSeq) return broken(`record ${expectedSeq} is missing (the next is ${record.seq})`);
        if (record.prevHash !== previous) return broken('its link to the previous record does not match (a record before it was changed or removed)');
        if (chainHash(this.chainKey(), record) !== record.hash) return broken('its content does not match its hash (it was edited)');
        previous = record.hash;
        expectedSeq += 1;
      }
      if (page.length < pageSize) break;
    }
    const records = expectedSeq - 1;
    const head = await this.readHead();
    if (!head || head.seq !== records || head.hash !== previous) {
      return { intact: false, records, seq: records + 1, problem: `the chain ends at record ${records}, but its head says ${head?.seq ?? 'nothing'} (records at the end were removed, or the head was changed)` };
    }
    return { intact: true, records, head: previous };
  }
}

/**
 * Moves the chain's head from `from` to `to` and appends the records, in one statement, and only if
 * the head is still `from`: true when appended. Under PostgreSQL's row lock a concurrent writer's
 * statement sees the moved head and appends nothing. A record already stored fails the whole
 * statement on the unique index (the head stays where it was). The records travel as one JSON array,
 * so the statement's text is the same for every batch size: one prepared statement, not one per
 * size. It looks nothing up by an array parameter, so the server plans it once and reuses the plan:
 * with an `= any($n)` lookup in it, PostgreSQL planned it anew at every execution.
 */
async function appendIfHeadIs(db: Queryable, records: AuditRecord[], from: ChainHead, to: ChainHead): Promise<boolean> {
  const rows = records.map((record) => Object.fromEntries(RECORD_COLUMNS.map(([column, property]) => [column, record[property]])));
  const [result] = await db.query<{ count: number }>(
    'audit.append',
    `with moved as (
       update audit_head set seq = $1, hash = $2 where id = 1 and seq = $3 and hash = $4 returning id
     ), appended as (
       insert into audit_records (${COLUMN_LIST})
       select ${COLUMN_LIST} from jsonb_populate_recordset(null::audit_records, $5::jsonb)
       where exists (select 1 from moved)
       returning seq
     )
     select count(*)::int as count from appended`,
    [to.seq, to.hash, from.seq, from.hash, JSON.stringify(rows)],
  );
  return result.count === records.length;
}

/** Which of these entry ids the log holds already. */
async function storedEntryIds(db: Queryable, entryIds: string[]): Promise<string[]> {
  const rows = await db.query<{ entry_id: string }>('audit.stored', 'select entry_id from audit_records where entry_id = any($1::text[])', [entryIds]);
  return rows.map((row) => row.entry_id);
}

function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: unknown }).code === '23505' || /duplicate key value/.test(String((error as Error).message));
}

/** The columns of an audit record and the record's property each holds. */
const RECORD_COLUMNS: readonly (readonly [column: string, property: keyof AuditRecord])[] = [
  ['seq', 'seq'],
  ['at', 'at'],
  ['agency', 'agency'],
  ['subject', 'subject'],
  ['purpose', 'purpose'],
  ['operation', 'operation'],
  ['fields', 'fields'],
  ['person_ids', 'personIds'],
  ['request_id', 'requestId'],
  ['outcome', 'outcome'],
  ['entry_id', 'entryId'],
  ['prev_hash', 'prevHash'],
  ['hash', 'hash'],
];

const COLUMN_LIST = RECORD_COLUMNS.map(([column]) => column).join(', ');

/**
 * Reads a row as an AuditRecord: each column under its property's name. seq is a bigint, which both
 * database drivers give as a number (see openDatabase), as the chain's hash needs it.
 */
const RECORD_SELECT = RECORD_COLUMNS.map(([column, property]) => `${column} as "${property}"`).join(', ');

/**
 * The record's hash: an HMAC over the previous hash and every field, in a fixed order. The entry id
 * is hashed when the record has one (records written before ids were kept hash as they did).
 */
function chainHash(key: string, record: AuditRecord): string {
  const fields: unknown[] = [
    record.seq, record.at, record.agency, record.subject, record.purpose, record.operation,
    record.fields, record.personIds, record.requestId, record.outcome, record.prevHash,
  ];
  if (record.entryId !== null && record.entryId !== undefined) fields.push(record.entryId);
  return createHmac('sha256', key).update(JSON.stringify(fields)).digest('hex');
}

/** The audit database (PostgreSQL at `url`, else PGlite in `dataDir`, else in memory), migrated. */
export async function openAuditLog(options: { url?: string; dataDir?: string; key: string }): Promise<{ log: AuditLog; db: Database }> {
  const db = await openDatabase({ url: options.url, dataDir: options.dataDir });
  await migrate(db, auditMigrations);
  return { log: new AuditLog(db, options.key), db };
}
