import type { KeyObject } from 'node:crypto';
import { request } from 'undici';
import { GroupCommit } from '../../../platform/group-commit';
import { durationHistogram, telemetry } from '../../../platform/telemetry/telemetry';
import { AUDIT_POST_BYTES, type AuditEntry } from '../../../protocol/audit-entry';
import { signRequest, SIGNATURE_HEADER } from '../../../protocol/request-signing';

export type { AuditEntry };

/** Where the gateway records reads; resolves once the record is committed. */
export interface AuditSink {
  append(entry: AuditEntry): Promise<void>;
}

/**
 * The gateway's side of the audit log: entries go to the audit subgraph's /audit/records, each POST
 * signed by the gateway for the audit log alone, once (request-signing.ts). Entries of requests
 * answered at the same time travel in one POST (group commit, up to AUDIT_POST_BYTES), and each request waits for its own
 * entry's commit before its answer leaves. Under load a
 * POST waits up to `lingerMs` for more entries (see GroupCommit): the audit log's cost is mostly per
 * POST, not per entry. A POST fails when the log has not sent its status within `timeoutMs` of
 * taking it; a 2xx status means the records are committed, and the rest of an answer that then stalls
 * is given up after `timeoutMs` without failing the POST (undici's own timers: no timer of ours per
 * POST, which would outlive it).
 */
export function auditClient(options: { url: string; signingKey: KeyObject; timeoutMs?: number; lingerMs?: number }): AuditSink {
  const timeoutMs = options.timeoutMs ?? 5000;
  const { pathname, search } = new URL(options.url);
  const path = `${pathname}${search}`;
  const current = telemetry();
  const duration = current.enabled ? durationHistogram(current, 'dmx.audit.write.duration', 'Time for the audit log to take a POST of records.') : undefined;
  const failures = current.enabled ? current.meter.createCounter('dmx.audit.write.failures', { unit: '{post}', description: 'POSTs of records the audit log did not take.' }) : undefined;
  // Each entry is written as JSON once, when it is added: its size bounds the POST it joins.
  const post = async (entries: string[]) => {
    const started = performance.now();
    try {
      await send(entries);
    } catch (error) {
      failures?.add(1);
      throw error;
    } finally {
      duration?.record((performance.now() - started) / 1000);
    }
  };
  const send = async (entries: string[]) => {
    const body = `{"entries":[${entries.join(',')}]}`;
    const response = await request(options.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        [SIGNATURE_HEADER]: signRequest(options.signingKey, { audience: 'audit', method: 'POST', path, contentType: 'application/json', body }),
      },
      body,
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
    });
    await response.body.dump();
    if (response.statusCode < 200 || response.statusCode >= 300) throw new Error(`the audit log answered HTTP ${response.statusCode}`);
  };
  const commits = new GroupCommit<string>(post, { lingerMs: options.lingerMs, maxSize: AUDIT_POST_BYTES, sizeOf: (json) => Buffer.byteLength(json) + 1 });
  return { append: (entry) => commits.add(JSON.stringify(entry)) };
}

/** The audit subgraph's intake, next to its /graphql endpoint: the one given, else the supergraph's. */
export function auditRecordsUrl(supergraphSdl: string, graphqlUrl?: string): string {
  const url = graphqlUrl ?? /@join__graph\(name: "audit", url: "([^"]+)"\)/.exec(supergraphSdl)?.[1];
  if (!url) throw new Error('The supergraph has no audit subgraph: personal data cannot be audited, so the gateway does not start.');
  return new URL('/audit/records', url).toString();
}
