import 'reflect-metadata';
import type { FastifyInstance } from 'fastify';
import { personsSubgraph } from '../../subgraphs/persons/app';
import { openDatabase, type Database } from '../db/database';
import { migrate } from '../db/migrate';
import { STATE_HEADER, STATE_PATH } from '../../protocol/registry-state';
import { CLAIMS_HEADER } from '../../protocol/headers';
import { encodeClaims } from '../../protocol/claims';
import { createSubgraphApp } from './subgraph-app';

/** A registry's state for the gateway's conditional reads (protocol/registry-state.ts): its data's version and the day in Baku. */
describe("a registry's state", () => {
  let app: FastifyInstance;
  let db: Database;
  let now = new Date('2026-11-22T12:00:00+04:00');
  beforeAll(async () => {
    db = await openDatabase({});
    await migrate(db, personsSubgraph.migrations);
    app = await createSubgraphApp(personsSubgraph, { db, logLevel: 'silent', signingKey: null, clock: () => now });
    await app.ready();
  });
  afterAll(() => app.close());

  const state = async () => {
    const response = await app.inject({ method: 'GET', url: STATE_PATH });
    expect(response.statusCode).toBe(200);
    return (response.json() as { state: string }).state;
  };
  const read = (headers: Record<string, string> = {}) =>
    app.inject({ method: 'POST', url: '/graphql', headers: { 'content-type': 'application/json', ...headers }, payload: { query: '{ persons(first: 1) { nodes { id } } }' } });

  it('is the same while nothing is written and the day is the same', async () => {
    const first = await state();
    expect(first).toMatch(/@2026-11-22$/);
    await read();
    expect(await state()).toBe(first);
  });

  it('changes with a write, and with the day in Baku', async () => {
    const before = await state();
    await db.query('test.write', "update persons set given_name = given_name where id = '00000000-0000-4000-8000-000000000000'");
    const afterWrite = await state();
    expect(afterWrite).not.toBe(before);
    now = new Date('2026-11-22T23:59:00+04:00');
    expect(await state()).toBe(afterWrite);
    // 20:30 UTC is already the next day in Baku (UTC+4).
    now = new Date('2026-11-22T20:30:00Z');
    expect(await state()).toMatch(/@2026-11-23$/);
  });

  it('comes with a read that asks for it, and not with one that does not', async () => {
    const asked = await read({ [STATE_HEADER]: '1' });
    expect(asked.statusCode).toBe(200);
    expect(asked.headers[STATE_HEADER]).toBe(await state());
    const unasked = await read();
    expect(unasked.headers[STATE_HEADER]).toBeUndefined();
  });

  it('is not moved by a read written with `with`, and an answer that depends on more than the data says not to be kept', async () => {
    const before = await state();
    // The stay-facts feed: a `with` query, and a page that depends on the transactions in flight.
    const claims = encodeClaims({ agency: 'administrator', subject: 'state-spec', scopes: ['stay-facts:read'] });
    const feed = await app.inject({
      method: 'POST',
      url: '/graphql',
      headers: { 'content-type': 'application/json', [STATE_HEADER]: '1', [CLAIMS_HEADER]: claims },
      payload: { query: '{ stayFactChanges(first: 10) { personIds endCursor complete } }' },
    });
    expect(feed.json()).toMatchObject({ data: { stayFactChanges: { complete: true } } });
    expect(feed.headers['cache-control']).toBe('no-store');
    expect(await state()).toBe(before);
    // Any other read may be kept.
    const person = await read({ [STATE_HEADER]: '1' });
    expect(person.headers[STATE_HEADER]).toBe(before);
    expect(person.headers['cache-control']).toBeUndefined();
  });

  it('comes as it was before the read was executed: a write committed meanwhile gives a later state', async () => {
    const own = await openDatabase({});
    await migrate(own, personsSubgraph.migrations);
    const writing = await createSubgraphApp(personsSubgraph, { db: own, logLevel: 'silent', signingKey: null, clock: () => now });
    // A write that lands while the read is being worked out.
    writing.graphql.addHook('preExecution', async () => {
      await own.query('test.write', "update persons set given_name = given_name where id = '00000000-0000-4000-8000-000000000000'");
    });
    await writing.ready();
    try {
      const before = ((await writing.inject({ method: 'GET', url: STATE_PATH })).json() as { state: string }).state;
      const asked = await writing.inject({
        method: 'POST',
        url: '/graphql',
        headers: { 'content-type': 'application/json', [STATE_HEADER]: '1' },
        payload: { query: '{ persons(first: 1) { nodes { id } } }' },
      });
      const after = ((await writing.inject({ method: 'GET', url: STATE_PATH })).json() as { state: string }).state;
      expect(asked.headers[STATE_HEADER]).toBe(before);
      expect(after).not.toBe(before);
    } finally {
      await writing.close();
    }
  });
});
