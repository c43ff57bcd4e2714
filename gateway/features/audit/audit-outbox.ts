import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { AuditEntry, AuditSink } from './audit-client';

/** An audit sink that can also take a record to be written later, when the log cannot take it now. */
export interface DurableAuditSink extends AuditSink {
  /**
   * Records an entry if the log takes it now ('recorded'); otherwise keeps it, in the spool file when
   * there is one, and sends it again until the log takes it ('queued'). Never rejects. The audit log
   * stores a record once per entry id, so one sent twice (its answer lost) is stored once.
   */
  appendEventually(entry: AuditEntry): Promise<'recorded' | 'queued'>;
  /** Records waiting to be sent again. */
  pending(): number;
  /** Sends the waiting records now; resolves when the log took them all or the attempt failed. */
  flush(): Promise<void>;
  close(): void;
}

export interface AuditOutboxOptions {
  /** A file the waiting records are kept in, so that they survive a restart; absent: memory only. */
  spoolFile?: string;
  /** First wait before sending again (doubles up to maxRetryMs). */
  retryMs?: number;
  maxRetryMs?: number;
  warn?: (message: string) => void;
}

/**
 * The outcome records of writes (access/plugin.ts): a write that committed is answered with its
 * result even when the audit log cannot take its outcome record at that moment; the record waits
 * here and is sent again. Its intent was recorded before the write ran, so the log already holds who
 * wrote, for what purpose, and which fields; the outcome record adds the persons and the result.
 */
export function durableAudit(sink: AuditSink, options: AuditOutboxOptions = {}): DurableAuditSink {
  if (isDurable(sink)) return sink;
  const waiting = new Map<string, AuditEntry>();
  const minRetry = options.retryMs ?? 1000;
  const maxRetry = options.maxRetryMs ?? 60_000;
  let retryIn = minRetry;
  let timer: NodeJS.Timeout | null = null;
  let flushing: Promise<void> | null = null;
  let closed = false;

  const spool = () => {
    if (!options.spoolFile) return;
    try {
      mkdirSync(path.dirname(options.spoolFile), { recursive: true });
      const temporary = `${options.spoolFile}.${process.pid}.tmp`;
      writeFileSync(temporary, [...waiting.values()].map((entry) => `${JSON.stringify(entry)}\n`).join(''), { mode: 0o600 });
      renameSync(temporary, options.spoolFile);
    } catch (error) {
      options.warn?.(`audit records waiting to be sent could not be kept in ${options.spoolFile}: ${(error as Error).message}`);
    }
  };

  const schedule = () => {
    if (timer || closed || waiting.size === 0) return;
    timer = setTimeout(() => {
      timer = null;
      void flush();
    }, retryIn);
    timer.unref();
    retryIn = Math.min(retryIn * 2, maxRetry);
  };

  const flush = (): Promise<void> => {
    flushing ??= (async () => {
      const batch = [...waiting.values()];
      const results = await Promise.allSettled(batch.map((entry) => sink.append(entry)));
      let sent = 0;
      results.forEach((result, index) => {
        if (result.status === 'fulfilled') {
          waiting.delete(batch[index].entryId);
          sent += 1;
        }
      });
      if (sent > 0) spool();
      if (waiting.size === 0) retryIn = minRetry;
      flushing = null;
      schedule();
    })();
    return flushing;
  };

  if (options.spoolFile && existsSync(options.spoolFile)) {
    for (const line of readFileSync(options.spoolFile, 'utf8').split('\n')) {
      if (!line.trim()) continue;
      try {
        const entry = JSON.parse(line) as AuditEntry;
        waiting.set(entry.entryId, entry);
      } catch {
        options.warn?.(`a line of ${options.spoolFile} is not an audit record; left out`);
      }
    }
    retryIn = 0;
    schedule();
    retryIn = minRetry;
  }

  return {
    append: (entry) => sink.append(entry),
    async appendEventually(entry) {
      try {
        await sink.append(entry);
        return 'recorded';
      } catch (error) {
        options.warn?.(`audit log unavailable for an outcome record; kept to be sent again: ${(error as Error).message}`);
        waiting.set(entry.entryId, entry);
        spool();
        schedule();
        return 'queued';
      }
    },
    pending: () => waiting.size,
    flush,
    close() {
      closed = true;
      if (timer) clearTimeout(timer);
      timer = null;
    },
  };
}

function isDurable(sink: AuditSink): sink is DurableAuditSink {
  return typeof (sink as Partial<DurableAuditSink>).appendEventually === 'function';
}
