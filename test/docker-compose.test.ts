import { generateKeyPairSync } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { gatewayEnvironment } from '../gateway/config';
import { GATEWAY_NODE_FLAGS } from '../gateway/node-flags';
import { checkpointSettings } from '../subgraphs/audit/config';
import { parseEnvironment, subgraphEnvironment } from '../platform/config';
import { encodeKey, newSigningKeyPair } from '../protocol/request-signing';
import { SUBGRAPH_NAMES } from '../protocol/registries';
import { SUBGRAPHS } from '../subgraphs';

/**
 * No Docker engine runs here, so docker-compose.yml is kept honest by reading it: every service the
 * product has, entry points that the build produces, environments the services accept, and URLs and
 * databases that point at what actually exists.
 */
const root = path.resolve(__dirname, '..');
const compose = parse(readFileSync(path.join(root, 'docker-compose.yml'), 'utf8'), { merge: true });
const services: Record<string, { command?: string[]; environment?: Record<string, string>; build?: string; image?: string; depends_on?: Record<string, unknown> }> =
  compose.services;
/** The gateway processes: every service that runs the gateway's entry point. */
const GATEWAYS = Object.keys(services).filter((name) => services[name].command?.includes('dist/gateway/main.js'));
/** What the observability services and the load balancer are. */
const OPERATIONS_SERVICES = ['load-balancer', 'otel-collector', 'jaeger', 'prometheus', 'grafana'];

/** Compose fills `${NAME:?message}` from the shell; these stand in for what an operator sets. */
const GATEWAY_KEYS = newSigningKeyPair();
const APPLICATIONS_KEYS = newSigningKeyPair();
const OPERATOR_SETS: Record<string, string> = {
  GATEWAY_PRIVATE_KEY: encodeKey(GATEWAY_KEYS.privateKey),
  GATEWAY_PUBLIC_KEY: encodeKey(GATEWAY_KEYS.publicKey),
  APPLICATIONS_PRIVATE_KEY: encodeKey(APPLICATIONS_KEYS.privateKey),
  APPLICATIONS_PUBLIC_KEY: encodeKey(APPLICATIONS_KEYS.publicKey),
  AUTH_TRUST: JSON.stringify([{ issuer: 'https://idp.police.example.az', jwksUrl: 'https://idp.police.example.az/.well-known/jwks.json', agencies: ['police'] }]),
  AUDIT_KEY: 'a'.repeat(64),
  CURSOR_KEY: 'c'.repeat(64),
  AUDIT_CHECKPOINT_KEY: generateKeyPairSync('ed25519').privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64'),
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
  it('describes PostgreSQL, the five subgraphs, two gateways behind a load balancer, and the observability services', () => {
    expect(GATEWAYS).toEqual(['gateway-1', 'gateway-2']);
    expect(Object.keys(services).sort()).toEqual(['postgres', ...SUBGRAPH_NAMES, ...GATEWAYS, ...OPERATIONS_SERVICES].sort());
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
    // Reads of other registries go through the load balancer, at the port it listens on (deploy/nginx.conf).
    const gateway = new URL(env.GATEWAY_URL);
    const listen = /^\s*listen\s+(\d+);/m.exec(readFileSync(path.join(root, 'deploy/nginx.conf'), 'utf8'))?.[1];
    expect([gateway.hostname, gateway.port]).toEqual(['load-balancer', listen]);
    expect(Object.keys(service.depends_on ?? {})).toContain('postgres');
  });

  it("gives the gateway's private key to the gateways alone and its public key to every subgraph, which compose requires to be set", () => {
    for (const gateway of GATEWAYS) expect(services[gateway].environment!.GATEWAY_PRIVATE_KEY).toMatch(/^\$\{GATEWAY_PRIVATE_KEY:\?.+\}$/);
    for (const other of OPERATIONS_SERVICES) expect(JSON.stringify(services[other])).not.toMatch(/PRIVATE_KEY/);
    for (const name of SUBGRAPH_NAMES) {
      const env = services[name].environment!;
      expect(env.GATEWAY_PUBLIC_KEY).toMatch(/^\$\{GATEWAY_PUBLIC_KEY:\?.+\}$/);
      expect(Object.values(env).join('\n')).not.toMatch(/GATEWAY_PRIVATE_KEY|SUBGRAPH_SIGNING_KEY/);
    }
    // Each registry that calls the graph does so with a key of its own; the gateway holds its public half.
    const callers = SUBGRAPHS.filter((definition) => definition.callsGraph).map((definition) => definition.name);
    expect(callers.sort()).toEqual(['applications', 'payments', 'permits']);
    for (const name of callers) {
      const upper = name.toUpperCase();
      expect(services[name].environment!.REGISTRY_PRIVATE_KEY).toMatch(new RegExp(`^\\$\\{${upper}_PRIVATE_KEY:\\?.+\\}$`));
      for (const gateway of GATEWAYS) expect(services[gateway].environment![`${upper}_PUBLIC_KEY`]).toMatch(new RegExp(`^\\$\\{${upper}_PUBLIC_KEY:\\?.+\\}$`));
    }
    const others = SUBGRAPH_NAMES.filter((name) => !callers.includes(name));
    expect(others.filter((name) => services[name].environment!.REGISTRY_PRIVATE_KEY !== undefined)).toEqual([]);
  });

  it.each(['gateway-1', 'gateway-2'])('runs %s with its V8 flags and points it at each subgraph by service name and the port that subgraph listens on', (name) => {
    const gateway = services[name];
    expect(gateway.command).toEqual(['node', ...GATEWAY_NODE_FLAGS, 'dist/gateway/main.js']);
    expect(() => parseEnvironment(gatewayEnvironment, resolved(gateway.environment))).not.toThrow();
    for (const name of SUBGRAPH_NAMES) {
      const url = new URL(gateway.environment![`${name.toUpperCase()}_URL`]);
      expect(url.hostname).toBe(name);
      expect(url.port).toBe(services[name].environment![`${name.toUpperCase()}_PORT`]);
      expect(url.pathname).toBe('/graphql');
      expect(Object.keys(gateway.depends_on ?? {})).toContain(name);
    }
    // The rate budget every gateway process shares: a database of its own on the PostgreSQL server.
    const rateLimit = new URL(gateway.environment!.RATE_LIMIT_DATABASE_URL);
    expect(rateLimit.protocol).toBe('postgres:');
    expect(rateLimit.hostname).toBe('postgres');
    expect(readFileSync(path.join(root, 'docker/postgres-init.sql'), 'utf8')).toContain(`create database ${rateLimit.pathname.slice(1)};`);
    expect(Object.keys(gateway.depends_on ?? {})).toContain('postgres');
  });

  it('gives the audit subgraph its chain key, which compose requires to be set', () => {
    expect(services.audit.environment!.AUDIT_KEY).toMatch(/^\$\{AUDIT_KEY:\?.+\}$/);
  });

  it('gives the audit subgraph its checkpoint key, which compose requires, and keeps its checkpoints on a volume of their own', () => {
    const env = services.audit.environment!;
    expect(env.AUDIT_CHECKPOINT_KEY).toMatch(/^\$\{AUDIT_CHECKPOINT_KEY:\?.+\}$/);
    const settings = checkpointSettings(resolved(env));
    expect(settings.keys.privateKey).not.toBeNull();
    const volumes = (services.audit as { volumes?: string[] }).volumes ?? [];
    expect(volumes.some((volume) => settings.file.startsWith(`${volume.split(':')[1]}/`))).toBe(true);
  });
});
