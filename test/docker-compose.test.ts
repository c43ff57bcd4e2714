import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { gatewayEnvironment } from '../gateway/config';
import { GATEWAY_NODE_FLAGS } from '../gateway/node-flags';
import { parseEnvironment, subgraphEnvironment } from '../subgraphs/shared/config';
import { SUBGRAPH_NAMES } from '../subgraphs/shared/server/subgraph-definition';

/**
 * No Docker engine runs here, so docker-compose.yml is kept honest by reading it: every service the
 * product has, entry points that the build produces, environments the services accept, and URLs and
 * databases that point at what actually exists.
 */
const root = path.resolve(__dirname, '..');
const compose = parse(readFileSync(path.join(root, 'docker-compose.yml'), 'utf8'), { merge: true });
const services: Record<string, { command?: string[]; environment?: Record<string, string>; build?: string; image?: string; depends_on?: Record<string, unknown> }> =
  compose.services;

/** Compose fills `${NAME:?message}` from the shell; these stand in for what an operator sets. */
const OPERATOR_SETS: Record<string, string> = {
  SUBGRAPH_SIGNING_KEY: 'f'.repeat(64),
  AUTH_TRUST: JSON.stringify([{ issuer: 'https://idp.police.example.az', jwksUrl: 'https://idp.police.example.az/.well-known/jwks.json', agencies: ['police'] }]),
  AUDIT_KEY: 'a'.repeat(64),
};

/** A service's environment as its process sees it: variables filled in, production as the image sets. */
function resolved(environment: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = { NODE_ENV: 'production' };
  for (const [name, value] of Object.entries(environment)) {
    const required = /^\$\{(\w+):\?.+\}$/.exec(value);
    const defaulted = /^\$\{\w+:-(.*)\}$/.exec(value);
    env[name] = required ? OPERATOR_SETS[required[1]] : defaulted ? defaulted[1] : value;
  }
  return env;
}

describe('docker-compose.yml', () => {
  it('describes PostgreSQL and the six services', () => {
    expect(Object.keys(services).sort()).toEqual(['gateway', 'postgres', ...SUBGRAPH_NAMES].sort());
    expect(services.postgres.image).toMatch(/^postgres:\d+/);
    expect(existsSync(path.join(root, 'Dockerfile'))).toBe(true);
  });

  it.each(SUBGRAPH_NAMES)('runs the %s subgraph on its own database with an environment it accepts', (name) => {
    const service = services[name];
    expect(service.build).toBe('.');
    expect(service.command).toEqual(['node', `dist/subgraphs/${name}/main.js`]);
    expect(existsSync(path.join(root, `subgraphs/${name}/main.ts`))).toBe(true);
    const env = service.environment!;
    expect(() => parseEnvironment(subgraphEnvironment, resolved(env))).not.toThrow();
    const database = new URL(env.DATABASE_URL);
    expect(database.hostname).toBe('postgres');
    const init = readFileSync(path.join(root, 'docker/postgres-init.sql'), 'utf8');
    expect(init).toContain(`create database ${database.pathname.slice(1)};`);
    expect(env.HOST).toBe('0.0.0.0');
    // Reads of other registries go through the gateway service, at the port it listens on.
    const gateway = new URL(env.GATEWAY_URL);
    expect([gateway.hostname, gateway.port]).toEqual(['gateway', services.gateway.environment!.PORT]);
    expect(Object.keys(service.depends_on ?? {})).toContain('postgres');
  });

  it('gives the gateway and every subgraph the same signing key, which compose requires to be set', () => {
    const keys = ['gateway', ...SUBGRAPH_NAMES].map((name) => services[name].environment!.SUBGRAPH_SIGNING_KEY);
    expect(new Set(keys).size).toBe(1);
    expect(keys[0]).toMatch(/^\$\{SUBGRAPH_SIGNING_KEY:\?.+\}$/);
  });

  it('runs the gateway with its V8 flags and points it at each subgraph by service name and the port that subgraph listens on', () => {
    const gateway = services.gateway;
    expect(gateway.command).toEqual(['node', ...GATEWAY_NODE_FLAGS, 'dist/gateway/main.js']);
    expect(() => parseEnvironment(gatewayEnvironment, resolved(gateway.environment))).not.toThrow();
    for (const name of SUBGRAPH_NAMES) {
      const url = new URL(gateway.environment![`${name.toUpperCase()}_URL`]);
      expect(url.hostname).toBe(name);
      expect(url.port).toBe(services[name].environment![`${name.toUpperCase()}_PORT`]);
      expect(url.pathname).toBe('/graphql');
      expect(Object.keys(gateway.depends_on ?? {})).toContain(name);
    }
  });

  it('gives the audit subgraph its chain key, which compose requires to be set', () => {
    expect(services.audit.environment!.AUDIT_KEY).toMatch(/^\$\{AUDIT_KEY:\?.+\}$/);
  });
});
