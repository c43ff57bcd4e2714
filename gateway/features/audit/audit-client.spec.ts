import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { newSigningKeyPair, SIGNATURE_HEADER, verifyRequest } from '../../../protocol/request-signing';
import { AUDIT_POST_BYTES } from '../../../protocol/audit-entry';
import { auditClient, type AuditEntry } from './audit-client';

const keys = newSigningKeyPair();

function entry(n: number): AuditEntry {
  return { agency: 'border', subject: 'officer-1', purpose: 'BORDER_CONTROL', operation: 'Picture', fields: ['Person.fullName'], personIds: [`p-${n}`], requestId: `r-${n}`, entryId: `e-${n}.outcome`, outcome: 'SERVED' };
}

/** A loopback audit log that answers each POST as `answer` says (or never, leaving the socket open). */
async function auditLog(answer: (req: IncomingMessage, body: string, res: ServerResponse) => void): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => answer(req, body, res));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/audit/records`, server };
}

describe('auditClient', () => {
  const servers: Server[] = [];
  afterEach(async () => {
    for (const server of servers.splice(0)) {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('posts the entries signed for the audit log alone and settles when the log took them', async () => {
    const received: { entries: AuditEntry[]; signed: boolean }[] = [];
    const log = await auditLog((req, body, res) => {
      const check = verifyRequest(keys.publicKey, req.headers[SIGNATURE_HEADER] as string, { audience: 'audit', method: 'POST', path: '/audit/records', contentType: 'application/json', body });
      received.push({ entries: JSON.parse(body).entries, signed: check.valid });
      res.writeHead(204).end();
    });
    servers.push(log.server);
    const client = auditClient({ url: log.url, signingKey: keys.privateKey });
    await Promise.all([client.append(entry(1)), client.append(entry(2))]);
    expect(received.flatMap((post) => post.entries.map((taken) => taken.entryId))).toEqual(['e-1.outcome', 'e-2.outcome']);
    expect(received.every((post) => post.signed)).toBe(true);
  });

  it('keeps each POST within AUDIT_POST_BYTES, however many persons the entries of requests answered together name', async () => {
    const posts: { bytes: number; entries: number }[] = [];
    const log = await auditLog((_req, body, res) => {
      posts.push({ bytes: Buffer.byteLength(body), entries: JSON.parse(body).entries.length });
      res.writeHead(204).end();
    });
    servers.push(log.server);
    const client = auditClient({ url: log.url, signingKey: keys.privateKey });
    // Twenty-four requests each answered with 1,000 persons (about 40 KB of ids each), and one with 30,000.
    const large = (n: number, persons: number): AuditEntry => ({ ...entry(n), personIds: Array.from({ length: persons }, (_, i) => `00000000-0000-4000-8000-${String(n * 100_000 + i).padStart(12, '0')}`) });
    await Promise.all([...Array.from({ length: 24 }, (_, n) => client.append(large(n, 1000))), client.append(large(99, 30_000))]);
    expect(posts.reduce((sum, post) => sum + post.entries, 0)).toBe(25);
    expect(posts.filter((post) => post.entries > 1).every((post) => post.bytes <= AUDIT_POST_BYTES)).toBe(true);
    expect(posts.some((post) => post.entries === 1 && post.bytes > AUDIT_POST_BYTES)).toBe(true);
  });

  it('rejects when the log refuses the records', async () => {
    const log = await auditLog((_req, _body, res) => res.writeHead(500).end('{"error":"disk full"}'));
    servers.push(log.server);
    await expect(auditClient({ url: log.url, signingKey: keys.privateKey }).append(entry(3))).rejects.toThrow('HTTP 500');
  });

  it('rejects when the log does not begin to answer within the timeout; an answer that stalls after its status does not hold it', async () => {
    const silent = await auditLog(() => undefined);
    const stalling = await auditLog((_req, _body, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"taken":');
    });
    servers.push(silent.server, stalling.server);
    await expect(auditClient({ url: silent.url, signingKey: keys.privateKey, timeoutMs: 150 }).append(entry(4))).rejects.toThrow(/timeout/i);
    // The log said it took them (its status comes after the commit); the rest of its answer is not waited for past the timeout.
    await expect(auditClient({ url: stalling.url, signingKey: keys.privateKey, timeoutMs: 150 }).append(entry(5))).resolves.toBeUndefined();
    // Without the timeouts undici waits 300 s for headers and for body: the test's own limit would end it.
  }, 20_000);
});
