import type { FastifyInstance } from 'fastify';
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AuditEntry } from '../protocol/audit-entry';
import { auditSubgraph } from '../subgraphs/audit/app';
import { AuditLog } from '../subgraphs/audit/audit-log';
import { openDatabase } from '../platform/db/database';
import { migrate } from '../platform/db/migrate';
import { createSubgraphApp } from '../platform/server/subgraph-app';
import { addDays } from '../domain/rules';
import { eventually, startGraph, TODAY, type RunningGraph } from './harness';

/** What the audit service does with a request: answers it, is not there, or commits it and the answer is lost on the way. */
type Behaviour = 'up' | 'down' | 'answer-lost';

/**
 * The audit service behind a switch: the tests stop it, start it again, or let it commit and lose the
 * answer, while it keeps its database (a stopped Fastify app closes its database; this does not).
 */
async function auditServiceBehindASwitch() {
  const db = await openDatabase({});
  await migrate(db, auditSubgraph.migrations);
  const auditKey = randomBytes(32).toString('hex');
  // The signature check is the subject of other tests (subgraph-trust): here the service takes what the switch lets through.
  const app: FastifyInstance = await createSubgraphApp(auditSubgraph, { db, logLevel: 'silent', signingKey: null, secrets: { auditKey } });
  const target = await app.listen({ port: 0, host: '127.0.0.1' });
  let behaviour: (entries: AuditEntry[]) => Behaviour = () => 'up';
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      void (async () => {
        const body = Buffer.concat(chunks).toString('utf8');
        const entries = request.url === '/audit/records' ? ((JSON.parse(body) as { entries?: AuditEntry[] }).entries ?? []) : [];
        const now = behaviour(entries);
        if (now === 'down') return request.socket.destroy();
        const headers = Object.fromEntries(Object.entries(request.headers).filter(([name]) => !['host', 'connection', 'content-length'].includes(name))) as Record<string, string>;
        const upstream = await fetch(`${target}${request.url}`, { method: request.method, headers, body: request.method === 'GET' ? undefined : body });
        const text = await upstream.text();
        if (now === 'answer-lost') return request.socket.destroy();
        response.writeHead(upstream.status, { 'content-type': upstream.headers.get('content-type') ?? 'application/json' });
        response.end(text);
      })();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    db,
    log: new AuditLog(db, auditKey),
    set(next: Behaviour | ((entries: AuditEntry[]) => Behaviour)) {
      behaviour = typeof next === 'string' ? () => next : next;
    },
    async stop() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await app.close();
    },
  };
}

describe('a write never answers "retry" after it committed (issue 18, item 5)', () => {
  let graph: RunningGraph;
  let audit: Awaited<ReturnType<typeof auditServiceBehindASwitch>>;
  let personId: string;
  let applicationId: string;

  beforeAll(async () => {
    audit = await auditServiceBehindASwitch();
    graph = await startGraph({ persons: 40, external: { audit: `${audit.url}/graphql` } });
    [{ id: personId }] = await graph.subgraphs.persons!.db.query<{ id: string }>('test.person', 'select id::text from persons order by id limit 1');
    [{ id: applicationId }] = await graph.subgraphs.applications!.db.query<{ id: string }>('test.submitted', "select id::text from applications where status = 'SUBMITTED' order by id limit 1");
  });
  afterEach(() => audit.set('up'));
  afterAll(async () => {
    await graph.stop();
    await audit.stop();
  });

  let sequence = 0;
  const send = async (query: string, variables: Record<string, unknown>, headers?: Record<string, string>) => {
    const requestId = `audit-write-${(sequence += 1)}`;
    const response = await graph.query(query, variables, { ...(headers ?? (await graph.caller('administrator', 'ADMINISTRATION'))), 'x-request-id': requestId });
    return { requestId, ...response };
  };
  /** The records of a request's write (not of the reads a registry made through the graph while it ran, under the same request id). */
  const recordsOf = (requestId: string) =>
    audit.db.query<{ outcome: string }>(
      'test.records',
      `select outcome from audit_records where request_id = $1 and exists (select 1 from unnest(fields) as field where field like 'Mutation.%') order by seq`,
      [requestId],
    );
  const isWriteOutcome = (entry: AuditEntry) => entry.outcome !== 'INTENT' && entry.fields.some((field) => field.startsWith('Mutation.'));

  const fine = (idempotencyKey: string) =>
    send(`mutation($input: IssueFineInput!) { issueFine(input: $input) { id amount { amount } } }`, {
      input: { personId, offence: 'OVERSTAY', legalArticle: 'İXM 575.1', amount: '300.00', idempotencyKey },
    });
  const finesWithKey = async (key: string) =>
    (await graph.subgraphs.payments!.db.query<{ count: number }>('test.fines', 'select count(*)::int as count from fines where idempotency_key = $1', [key]))[0].count;

  // The four writes the red team found committed behind a 503, each with a look at whether it was written.
  const crossingId = '5c0ffee0-0000-4000-8000-000000000018';
  const writes = [
    {
      name: 'issueFine',
      send: () => fine('fine-audit-down-1'),
      written: () => finesWithKey('fine-audit-down-1'),
    },
    {
      name: 'recordBorderCrossing',
      send: () =>
        send(`mutation($input: BorderCrossingInput!) { recordBorderCrossing(input: $input) { id } }`, {
          input: { id: crossingId, personId, direction: 'ENTRY', date: addDays(TODAY, -2), checkpoint: 'SAMUR' },
        }),
      written: async () =>
        (await graph.subgraphs.persons!.db.query<{ count: number }>('test.crossing', 'select count(*)::int as count from border_crossings where id = $1', [crossingId]))[0].count,
    },
    {
      name: 'registerPerson',
      send: () =>
        send(`mutation($input: RegisterPersonInput!) { registerPerson(input: $input) { id } }`, {
          input: { givenName: 'Nigar', surname: 'Auditdown', birthDate: '1988-05-06', sex: 'FEMALE', citizenship: 'GEO',
            travelDocument: { kind: 'PASSPORT', number: 'GE1818181', issuingCountry: 'GEO', issuedOn: '2022-01-01', expiresOn: '2032-01-01' } },
        }),
      written: async () =>
        (await graph.subgraphs.persons!.db.query<{ count: number }>('test.registered', "select count(*)::int as count from persons where surname = 'Auditdown'"))[0].count,
    },
    {
      name: 'takeApplicationForReview',
      send: async () =>
        send(`mutation($id: ID!) { takeApplicationForReview(id: $id) { status } }`, { id: applicationId }, await graph.caller('migration-officer', 'CASE_PROCESSING')),
      written: async () =>
        (await graph.subgraphs.applications!.db.query<{ count: number }>('test.step', "select count(*)::int as count from applications where id = $1 and status = 'UNDER_REVIEW'", [applicationId]))[0].count,
    },
  ];

  it('with the audit log down, each write is refused before it runs (503 is true: nothing written), and the retry is a first try', async () => {
    audit.set('down');
    for (const write of writes) {
      const refused = await write.send();
      expect({ write: write.name, status: refused.status, codes: refused.body.errors?.map((error) => error.extensions?.code), retryAfter: refused.headers.get('retry-after') }).toEqual({
        write: write.name,
        status: 503,
        codes: ['AUDIT_UNAVAILABLE'],
        retryAfter: '5',
      });
      expect({ write: write.name, written: await write.written() }).toEqual({ write: write.name, written: 0 });
    }
    audit.set('up');
    for (const write of writes) {
      const retried = await write.send();
      expect({ write: write.name, status: retried.status, errors: retried.body.errors }).toEqual({ write: write.name, status: 200, errors: undefined });
      expect({ write: write.name, written: await write.written() }).toEqual({ write: write.name, written: 1 });
      // Its intent before it ran, its outcome after.
      expect({ write: write.name, records: (await recordsOf(retried.requestId)).map((record) => record.outcome) }).toEqual({ write: write.name, records: ['INTENT', 'SERVED'] });
    }
    const again = await fine('fine-audit-down-1');
    expect(again.status).toBe(200);
    expect(await finesWithKey('fine-audit-down-1')).toBe(1);
  }, 120_000);

  it('when the log fails after the intent, the committed write answers its result; a retry gets the same; the outcome is recorded once the log is back', async () => {
    audit.set((entries) => (entries.some(isWriteOutcome) ? 'down' : 'up'));
    const first = await fine('fine-audit-flaky-1');
    expect({ status: first.status, errors: first.body.errors }).toEqual({ status: 200, errors: undefined });
    const retry = await fine('fine-audit-flaky-1');
    expect({ status: retry.status, data: retry.body.data }).toEqual({ status: 200, data: first.body.data });
    expect(await finesWithKey('fine-audit-flaky-1')).toBe(1);
    expect((await recordsOf(first.requestId)).map((record) => record.outcome)).toEqual(['INTENT']);

    audit.set('up');
    for (const { requestId } of [first, retry]) {
      const outcomes = await eventually(async () => {
        const records = (await recordsOf(requestId)).map((record) => record.outcome);
        return records.length === 2 && records;
      }, `the outcome record of ${requestId}`);
      expect(outcomes).toEqual(['INTENT', 'SERVED']);
    }
    expect((await audit.log.verify()).intact).toBe(true);
  }, 60_000);

  it('a record whose answer was lost after it was committed is sent again and stored once', async () => {
    let lost = 0;
    audit.set((entries) => (entries.some(isWriteOutcome) && lost++ === 0 ? 'answer-lost' : 'up'));
    const written = await fine('fine-audit-lost-answer-1');
    expect(written.status).toBe(200);
    await eventually(async () => lost > 1, 'the outcome record to be sent again');
    expect((await recordsOf(written.requestId)).map((record) => record.outcome)).toEqual(['INTENT', 'SERVED']);
    expect((await audit.log.verify()).intact).toBe(true);
  }, 60_000);

  it('a POST of records sent twice (replayed) adds them once', async () => {
    const entries: AuditEntry[] = [
      { agency: 'police', subject: 'replayed', purpose: 'PUBLIC_ORDER', operation: 'Q', fields: ['Query.person'], personIds: [personId], requestId: 'replayed-1', entryId: 'replay-test-entry-1', outcome: 'SERVED' },
    ];
    for (let attempt = 0; attempt < 3; attempt += 1) {
      const response = await fetch(`${audit.url}/audit/records`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ entries }) });
      expect(response.status).toBe(200);
    }
    expect(await audit.db.query('test.replayed', "select seq from audit_records where request_id = 'replayed-1'")).toHaveLength(1);
  });

  it('reads keep "no record, no answer"', async () => {
    audit.set('down');
    const read = await send(`query($id: ID!) { person(id: $id) { surname } }`, { id: personId });
    expect([read.status, read.body.errors?.[0].extensions?.code, read.body.data]).toEqual([503, 'AUDIT_UNAVAILABLE', undefined]);
  });
});
