import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AuditEntry, AuditSink } from './audit-client';
import { durableAudit } from './audit-outbox';

const entry = (index: number): AuditEntry => ({
  agency: 'police', subject: 'p', purpose: 'PUBLIC_ORDER', operation: 'IssueFine', fields: ['Mutation.issueFine'],
  personIds: [], requestId: `r-${index}`, entryId: `request-${index}.outcome`, outcome: 'SERVED',
});

/** An audit log that is up or down, and keeps what it takes once per entry id, as the audit service does. */
function fakeLog() {
  const taken = new Map<string, AuditEntry>();
  const log = { up: false, taken, sink: { append: async (item: AuditEntry) => {
    if (!log.up) throw new Error('connect ECONNREFUSED');
    taken.set(item.entryId, item);
  } } as AuditSink };
  return log;
}

describe('the outbox of write outcome records (issue 18, item 5)', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'dmx-outbox-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('records at once when the log is up; keeps and sends again when it is not, never failing the caller', async () => {
    const log = fakeLog();
    const outbox = durableAudit(log.sink, { retryMs: 10, maxRetryMs: 20 });
    expect(await outbox.appendEventually(entry(1))).toBe('queued');
    expect(await outbox.appendEventually(entry(2))).toBe('queued');
    expect(outbox.pending()).toBe(2);
    log.up = true;
    for (let waited = 0; outbox.pending() > 0 && waited < 100; waited += 1) await new Promise((resolve) => setTimeout(resolve, 10));
    expect([...log.taken.keys()].sort()).toEqual(['request-1.outcome', 'request-2.outcome']);
    expect(await outbox.appendEventually(entry(3))).toBe('recorded');
    outbox.close();
  });

  it('keeps waiting records in its file across a restart, and empties it once they are taken', async () => {
    const spoolFile = path.join(dir, 'gateway', 'audit-outbox.jsonl');
    const log = fakeLog();
    const before = durableAudit(log.sink, { spoolFile, retryMs: 60_000 });
    await before.appendEventually(entry(1));
    await before.appendEventually(entry(2));
    before.close();
    expect(readFileSync(spoolFile, 'utf8').trim().split('\n')).toHaveLength(2);

    // A new gateway process, the log up again: what the last one kept is sent at start.
    log.up = true;
    const after = durableAudit(log.sink, { spoolFile, retryMs: 60_000 });
    expect(after.pending()).toBe(2);
    for (let waited = 0; after.pending() > 0 && waited < 100; waited += 1) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(log.taken.size).toBe(2);
    expect(existsSync(spoolFile) && readFileSync(spoolFile, 'utf8')).toBe('');
    after.close();
  });
});
