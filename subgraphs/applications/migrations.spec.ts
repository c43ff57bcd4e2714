import { randomUUID } from 'node:crypto';
import { openDatabase, type Database } from '../../platform/db/database';
import { migrate } from '../../platform/db/migrate';
import { applicationsMigrations } from './migrations';

/** Migration 7 moves the duties officers assessed before it (kept only as their bills) onto the applications. */
describe('applications migration 7: the assessed state duty (PAY-04)', () => {
  let db: Database;
  beforeAll(async () => {
    db = await openDatabase({});
  });
  afterAll(() => db.close());

  it('takes an assessment from the bill of a kind whose tables fix no amount, and none from a fixed duty', async () => {
    await migrate(db, applicationsMigrations.filter((migration) => migration.version < 7));
    const billed = async (type: string, amount: string) => {
      const id = randomUUID();
      await db.query(
        'test.application',
        `insert into applications (id, number, type, applicant_id, channel, status, submitted_on) values ($1, $2, $3, $4, 'POST', 'APPROVED', '2026-03-02')`,
        [id, `X-2026-${id.slice(0, 8)}`, type, randomUUID()],
      );
      await db.query('test.bill', `insert into outbox (application_id, kind, payload) values ($1, 'CREATE_STATE_DUTY', $2)`, [
        id,
        JSON.stringify({ applicationId: id, amount, currency: 'AZN', createdOn: '2026-03-05' }),
      ]);
      return id;
    };
    const citizenship = await billed('CITIZENSHIP_ADMISSION', '250.00');
    const workPermit = await billed('WORK_PERMIT', '1000.00');
    expect(await migrate(db, applicationsMigrations.filter((migration) => migration.version <= 7))).toEqual([7]);
    const rows = await db.query<{ id: string; assessed: string | null; on: string | null }>(
      'test.assessed',
      `select id, assessed_duty::text as assessed, duty_assessed_on as on from applications`,
    );
    expect(rows.find((row) => row.id === citizenship)).toMatchObject({ assessed: '250.00', on: '2026-03-05' });
    expect(rows.find((row) => row.id === workPermit)).toMatchObject({ assessed: null, on: null });
  });
});
