import { once } from 'node:events';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { openDatabase, type Database } from '../../platform/db/database';
import { migrate } from '../../platform/db/migrate';
import { createSubgraphApp } from '../../platform/server/subgraph-app';
import { auditSubgraph } from './app';
import { AuditLog } from './audit-log';

describe('the audit subgraph app', () => {
  const KEY = 'k'.repeat(40);
  const start = async (ownRoutes?: boolean, db?: Database) =>
    createSubgraphApp(auditSubgraph, { db: db ?? (await openDatabase({})), signingKey: null, secrets: { auditKey: KEY }, logLevel: 'silent', ownRoutes });

  it('takes records at /audit/records, and its benchmark twin (ownRoutes: false) does not', async () => {
    const served = await start();
    expect((await served.inject({ method: 'POST', url: '/audit/records', payload: { entries: 'none' } })).statusCode).toBe(400);
    await served.close();
    const twin = await start(false);
    expect((await twin.inject({ method: 'POST', url: '/audit/records', payload: { entries: [] } })).statusCode).toBe(404);
    await twin.close();
  });

  it('takes a POST larger than its framework allows by default (1 MiB): a request that read many persons', async () => {
    const db = await openDatabase({});
    const served = await start(true, db);
    await migrate(db, auditSubgraph.migrations);
    const personIds = Array.from({ length: 40_000 }, (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`);
    const record = { agency: 'police', subject: 'p-1', purpose: 'PUBLIC_ORDER', operation: 'Pages', fields: ['Person.surname'], personIds, requestId: 'r-1', entryId: 'e-large-1', outcome: 'SERVED' };
    const payload = JSON.stringify({ entries: [record] });
    expect(Buffer.byteLength(payload)).toBeGreaterThan(2 ** 20);
    const answer = await served.inject({ method: 'POST', url: '/audit/records', headers: { 'content-type': 'application/json' }, payload });
    expect([answer.statusCode, answer.json()]).toEqual([200, { recorded: 1 }]);
    expect(await new AuditLog(db, KEY).verify()).toMatchObject({ intact: true, records: 1 });
    await served.close();
  });

  it('writes the records of POSTs that arrive together in fewer statements than POSTs, each answered once its record is stored', async () => {
    const db = await openDatabase({});
    const app = await start(true, db);
    await migrate(db, auditSubgraph.migrations);
    const sockets: Socket[] = [];
    try {
      await app.listen({ host: '127.0.0.1', port: 0 });
      const { port } = app.server.address() as AddressInfo;
      const posts = 24;
      for (let index = 0; index < posts; index += 1) {
        const socket = connect(port, '127.0.0.1');
        await once(socket, 'connect');
        sockets.push(socket);
      }
      // Every request is in its socket before the app reads any, as under load: the app reads them in one turn.
      const answers = sockets.map((socket, index) => {
        const body = JSON.stringify({ entries: [entry(index)] });
        socket.write(`POST /audit/records HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`);
        return new Promise<string>((resolve) => {
          let text = '';
          socket.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
          socket.on('close', () => resolve(text.split('\r\n', 1)[0]));
        });
      });
      expect(await Promise.all(answers)).toEqual(Array.from({ length: posts }, () => 'HTTP/1.1 200 OK'));
      expect(db.stats.byName.get('audit.append')).toBeLessThan(posts);
      expect(await new AuditLog(db, KEY).verify()).toMatchObject({ intact: true, records: posts });
    } finally {
      for (const socket of sockets) socket.destroy();
      await app.close();
    }
  });
});

function entry(index: number) {
  return {
    agency: 'police',
    subject: `officer-${index}`,
    purpose: 'PUBLIC_ORDER',
    operation: 'PersonPicture',
    fields: ['Query.person'],
    personIds: [`00000000-0000-4000-8000-${String(index).padStart(12, '0')}`],
    requestId: `req-${index}`,
    entryId: `entry-${String(index).padStart(4, '0')}`,
    outcome: 'SERVED',
  };
}
