import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SUBGRAPH_NAMES } from '../protocol/registries';
import { DEMO_PGLITE_SETTINGS, registryEnvironment, startDemoRegistries, type DemoRegistries } from '../scripts/demo-registries';

/**
 * `npm start`'s registries in one process (scripts/demo-registries.ts): each its own database with the
 * demo's PostgreSQL settings, its own port, and its own slice of the demo world.
 */
describe('the demo registries in one process', () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'dmx-demo-registries-'));
  let demo: DemoRegistries;

  beforeAll(async () => {
    const ports = Object.fromEntries(SUBGRAPH_NAMES.flatMap((name) => [[`${name.toUpperCase()}_PORT`, '0'], [`${name.toUpperCase()}_OPS_PORT`, '0']]));
    // Nothing listens at the gateway's address: the registries start without it, as under npm start.
    demo = await startDemoRegistries({ ...process.env, ...ports, DATA_DIR: dataDir, DEMO_PERSONS: '12', LOG_LEVEL: 'warn', GATEWAY_URL: 'http://127.0.0.1:9/' });
  });

  afterAll(async () => {
    await demo?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('starts the five registries, each on its own port', () => {
    expect(demo.registries.map((registry) => registry.name)).toEqual([...SUBGRAPH_NAMES]);
    expect(new Set(demo.registries.map((registry) => new URL(registry.url).port)).size).toBe(SUBGRAPH_NAMES.length);
  });

  it("gives every registry's embedded database the demo's settings", async () => {
    for (const registry of demo.registries) {
      expect(registry.db.kind).toBe('pglite');
      const [row] = await registry.db.query<{ shared_buffers: string }>('test.show', 'show shared_buffers');
      expect(row.shared_buffers).toBe(DEMO_PGLITE_SETTINGS.shared_buffers);
    }
  });

  it('keeps each database to its own registry and seeds the demo world into it', async () => {
    const persons = demo.registries.find((registry) => registry.name === 'persons')!;
    const [seeded] = await persons.db.query<{ persons: number }>('test.marker', 'select persons from demo_data');
    expect(seeded.persons).toBe(12);
    const audit = demo.registries.find((registry) => registry.name === 'audit')!;
    const [tables] = await audit.db.query<{ count: number }>('test.tables', "select count(*)::int as count from information_schema.tables where table_name = 'persons'");
    expect(tables.count).toBe(0);
  });

  it('answers health on every registry', async () => {
    for (const registry of demo.registries) {
      const response = await fetch(new URL('/health', registry.url));
      expect(response.status).toBe(200);
    }
  });
});

describe("a registry's environment in the demo process", () => {
  it('takes its own database URL, as npm start gave each process', () => {
    const env = { PERSONS_DATABASE_URL: 'postgres://a/persons', DATA_DIR: '/x' };
    expect(registryEnvironment('persons', env)).toMatchObject({ DATABASE_URL: 'postgres://a/persons', DATA_DIR: '/x' });
    expect(registryEnvironment('permits', env).DATABASE_URL).toBeUndefined();
  });
});
