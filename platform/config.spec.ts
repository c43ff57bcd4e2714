import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  ConfigError, cursorSecret, parseEnvironment, PRESENCE_REFRESH_MAX_WAIT_MS, PRESENCE_REFRESH_MIN_INTERVAL_MS, subgraphConfig, subgraphEnvironment, subgraphPort,
} from './config';
import { encodeKey, newSigningKeyPair } from '../protocol/request-signing';

const KEYS = newSigningKeyPair();

describe('subgraph configuration', () => {
  it('has working defaults for the embedded database and the demo world', () => {
    const env = parseEnvironment(subgraphEnvironment, {});
    expect(env).toMatchObject({ HOST: '127.0.0.1', DATA_DIR: './data', DEMO_PERSONS: 3000, DEMO_REFERENCE_DATE: '2026-11-01' });
    expect(env.DATABASE_URL).toBeUndefined();
  });

  it.each([
    ['DEMO_PERSONS', 'many'],
    ['DEMO_PERSONS', '-3'],
    ['DATABASE_URL', 'mysql://localhost/db'],
    ['DEMO_REFERENCE_DATE', '2026-02-30'],
    ['NODE_ENV', 'staging'],
    ['LOG_LEVEL', 'loud'],
  ])('names %s when its value %j is bad', (variable, value) => {
    expect(() => parseEnvironment(subgraphEnvironment, { [variable]: value })).toThrow(ConfigError);
    expect(() => parseEnvironment(subgraphEnvironment, { [variable]: value })).toThrow(new RegExp(variable));
  });

  it('compiles operations with graphql-jit on their second run unless GRAPHQL_JIT says otherwise (0: never)', () => {
    expect(parseEnvironment(subgraphEnvironment, {}).GRAPHQL_JIT).toBe(1);
    expect(parseEnvironment(subgraphEnvironment, { GRAPHQL_JIT: '' }).GRAPHQL_JIT).toBe(1);
    expect(parseEnvironment(subgraphEnvironment, { GRAPHQL_JIT: '0' }).GRAPHQL_JIT).toBe(0);
    expect(parseEnvironment(subgraphEnvironment, { GRAPHQL_JIT: '5' }).GRAPHQL_JIT).toBe(5);
    expect(() => parseEnvironment(subgraphEnvironment, { GRAPHQL_JIT: 'on' })).toThrow(/GRAPHQL_JIT/);
  });

  it('reads the aggregate threshold (default 10) and the cursor secret, required in production', () => {
    expect(parseEnvironment(subgraphEnvironment, {}).AGGREGATE_MIN_COUNT).toBe(10);
    expect(parseEnvironment(subgraphEnvironment, { AGGREGATE_MIN_COUNT: '25' }).AGGREGATE_MIN_COUNT).toBe(25);
    for (const bad of ['0', '1', 'ten', '2.5', '-10']) {
      expect(() => parseEnvironment(subgraphEnvironment, { AGGREGATE_MIN_COUNT: bad })).toThrow(/AGGREGATE_MIN_COUNT/);
    }
    expect(() => parseEnvironment(subgraphEnvironment, { CURSOR_KEY: 'short' })).toThrow(/CURSOR_KEY/);
    expect(() => parseEnvironment(subgraphEnvironment, { NODE_ENV: 'production' })).toThrow(/CURSOR_KEY/);
    expect(parseEnvironment(subgraphEnvironment, { CURSOR_KEY: 'c'.repeat(32) }).CURSOR_KEY).toBe('c'.repeat(32));
  });

  it('keeps a development cursor secret per registry under DATA_DIR/keys, and uses CURSOR_KEY when set', () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'dmx-cursor-'));
    const env = parseEnvironment(subgraphEnvironment, { DATA_DIR: dataDir });
    const persons = cursorSecret(env, 'persons');
    expect(persons).toMatch(/^[0-9a-f]{64}$/);
    expect(cursorSecret(env, 'persons')).toBe(persons);
    expect(cursorSecret(env, 'permits')).not.toBe(persons);
    expect(cursorSecret(parseEnvironment(subgraphEnvironment, { DATA_DIR: dataDir, CURSOR_KEY: 'k'.repeat(40) }), 'persons')).toBe('k'.repeat(40));
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("requires the gateway's public key in production, and takes only Ed25519 keys of the right half", () => {
    expect(() => parseEnvironment(subgraphEnvironment, { NODE_ENV: 'production' })).toThrow(/GATEWAY_PUBLIC_KEY: is required in production/);
    const env = parseEnvironment(subgraphEnvironment, { GATEWAY_PUBLIC_KEY: encodeKey(KEYS.publicKey), REGISTRY_PRIVATE_KEY: encodeKey(KEYS.privateKey) });
    expect([env.GATEWAY_PUBLIC_KEY?.type, env.REGISTRY_PRIVATE_KEY?.type]).toEqual(['public', 'private']);
    // The gateway's private key where its public key belongs is refused: a subgraph must not hold it.
    expect(() => parseEnvironment(subgraphEnvironment, { GATEWAY_PUBLIC_KEY: encodeKey(KEYS.privateKey) })).toThrow(/GATEWAY_PUBLIC_KEY: is not an Ed25519 public key/);
    expect(() => parseEnvironment(subgraphEnvironment, { REGISTRY_PRIVATE_KEY: 'k'.repeat(64) })).toThrow(/REGISTRY_PRIVATE_KEY: is not an Ed25519 private key/);
    // The shared HMAC key of old is refused, saying what replaced it.
    expect(() => parseEnvironment(subgraphEnvironment, { SUBGRAPH_SIGNING_KEY: 'k'.repeat(64) })).toThrow(/SUBGRAPH_SIGNING_KEY: was replaced by GATEWAY_PUBLIC_KEY/);
  });

  it('reads each subgraph port from its own variable', () => {
    expect(subgraphPort('persons', { PERSONS_PORT: '5001' }, 4001)).toBe(5001);
    expect(subgraphPort('persons', {}, 4001)).toBe(4001);
    expect(() => subgraphPort('persons', { PERSONS_PORT: '70000' }, 4001)).toThrow(/PERSONS_PORT/);
  });

  describe('as one object per concern (subgraphConfig)', () => {
    const PORTS = { http: 4004, operations: 9468 };
    let dataDir: string;
    beforeAll(() => {
      dataDir = mkdtempSync(path.join(tmpdir(), 'dmx-config-'));
    });
    afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

    it("maps the variables to the registry's own database folder, ports and demo world", () => {
      const config = subgraphConfig({ name: 'permits' }, { DATA_DIR: dataDir, PERMITS_PORT: '5004', DATABASE_MAX_CONNECTIONS: '4', DEMO_PERSONS: '12' }, PORTS);
      expect(config).toMatchObject({
        service: { environment: 'development', development: true, production: false, dataDir },
        http: { host: '127.0.0.1', port: 5004 },
        operations: { host: '127.0.0.1', port: 9468 },
        database: { url: undefined, dataDir: path.resolve(dataDir, 'permits'), maxConnections: 4 },
        demo: { persons: 12, seed: 'dmx-demo-1', referenceDate: '2026-11-01' },
        auditChainKey: null,
      });
      expect(config.privacy.cursorSecret).toBe(cursorSecret(parseEnvironment(subgraphEnvironment, { DATA_DIR: dataDir }), 'permits'));
    });

    it('gives the audit chain key to the audit log alone', () => {
      expect(subgraphConfig({ name: 'audit' }, { DATA_DIR: dataDir, AUDIT_KEY: 'a'.repeat(40) }, PORTS).auditChainKey).toBe('a'.repeat(40));
      expect(subgraphConfig({ name: 'persons' }, { DATA_DIR: dataDir, AUDIT_KEY: 'a'.repeat(40) }, PORTS).auditChainKey).toBeNull();
    });

    it("gives the presence refresher's interval (PRESENCE_REFRESH_INTERVAL_MS, default 5 s) to the permits registry alone, within bounds that keep the status a minute behind at most", () => {
      expect(subgraphConfig({ name: 'permits' }, { DATA_DIR: dataDir }, PORTS).background).toEqual({ intervalMs: 5000 });
      expect(subgraphConfig({ name: 'permits' }, { DATA_DIR: dataDir, PRESENCE_REFRESH_INTERVAL_MS: '2000' }, PORTS).background).toEqual({ intervalMs: 2000 });
      expect(subgraphConfig({ name: 'applications' }, { DATA_DIR: dataDir, PRESENCE_REFRESH_INTERVAL_MS: '2000' }, PORTS).background).toEqual({ intervalMs: undefined });
      expect(parseEnvironment(subgraphEnvironment, { PRESENCE_REFRESH_INTERVAL_MS: String(PRESENCE_REFRESH_MIN_INTERVAL_MS) }).PRESENCE_REFRESH_INTERVAL_MS).toBe(1000);
      expect(parseEnvironment(subgraphEnvironment, { PRESENCE_REFRESH_INTERVAL_MS: String(PRESENCE_REFRESH_MAX_WAIT_MS) }).PRESENCE_REFRESH_INTERVAL_MS).toBe(30_000);
      for (const [bad, message] of [
        ['fast', /PRESENCE_REFRESH_INTERVAL_MS: must be a number of milliseconds/],
        ['2.5', /PRESENCE_REFRESH_INTERVAL_MS: must be a whole number of milliseconds/],
        ['999', /PRESENCE_REFRESH_INTERVAL_MS: must be at least 1000 ms/],
        ['30001', /PRESENCE_REFRESH_INTERVAL_MS: must be at most 30000 ms \(the presence status must stay within a minute of a change\)/],
        ['-5000', /PRESENCE_REFRESH_INTERVAL_MS: must be at least 1000 ms/],
      ] as const) {
        expect(() => subgraphConfig({ name: 'permits' }, { DATA_DIR: dataDir, PRESENCE_REFRESH_INTERVAL_MS: bad }, PORTS)).toThrow(ConfigError);
        expect(() => subgraphConfig({ name: 'permits' }, { DATA_DIR: dataDir, PRESENCE_REFRESH_INTERVAL_MS: bad }, PORTS)).toThrow(message);
      }
    });

    it('requires in production a key of its own of a registry that calls the graph, and names a bad port', () => {
      const production = { NODE_ENV: 'production', CURSOR_KEY: 'c'.repeat(40), GATEWAY_PUBLIC_KEY: encodeKey(KEYS.publicKey) };
      expect(() => subgraphConfig({ name: 'applications', callsGraph: true }, production, PORTS)).toThrow(/REGISTRY_PRIVATE_KEY: is required in production for the applications registry/);
      expect(subgraphConfig({ name: 'persons' }, production, PORTS).service.production).toBe(true);
      expect(() => subgraphConfig({ name: 'persons' }, { DATA_DIR: dataDir, PERSONS_OPS_PORT: 'x' }, PORTS)).toThrow(/PERSONS_OPS_PORT/);
    });
  });
});
