import { openDatabase } from '../../platform/db/database';
import { createSubgraphApp } from '../../platform/server/subgraph-app';
import { auditSubgraph } from './app';

describe('the audit subgraph app', () => {
  const start = async (ownRoutes?: boolean) =>
    createSubgraphApp(auditSubgraph, { db: await openDatabase({}), signingKey: null, secrets: { auditKey: 'k'.repeat(40) }, logLevel: 'silent', ownRoutes });

  it('takes records at /audit/records, and its benchmark twin (ownRoutes: false) does not', async () => {
    const served = await start();
    expect((await served.inject({ method: 'POST', url: '/audit/records', payload: { entries: 'none' } })).statusCode).toBe(400);
    await served.close();
    const twin = await start(false);
    expect((await twin.inject({ method: 'POST', url: '/audit/records', payload: { entries: [] } })).statusCode).toBe(404);
    await twin.close();
  });
});
