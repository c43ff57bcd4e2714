import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseEnvironment } from '../platform/config';
import { mintRegistryToken } from '../protocol/registry-token';
import { developmentKeyPair, encodeKey, newSigningKeyPair } from '../protocol/request-signing';
import { gatewayConfig, gatewayEnvironment, gatewayKeys, verifierFor } from './config';

describe("the gateway's keys (subgraph trust)", () => {
  const gateway = newSigningKeyPair();
  const applications = newSigningKeyPair();
  const trust = JSON.stringify([{ issuer: 'https://idp.border.gov.az', jwksUrl: 'https://idp.border.gov.az/jwks', agencies: ['border-service'] }]);
  const production = { NODE_ENV: 'production', AUTH_TRUST: trust, GATEWAY_PRIVATE_KEY: encodeKey(gateway.privateKey) };

  it('needs its private key in production, and names each key variable whose value is not a key of the right half', () => {
    expect(() => parseEnvironment(gatewayEnvironment, { ...production, GATEWAY_PRIVATE_KEY: '' })).toThrow(/GATEWAY_PRIVATE_KEY: is required in production/);
    expect(() => parseEnvironment(gatewayEnvironment, { GATEWAY_PRIVATE_KEY: encodeKey(gateway.publicKey) })).toThrow(/GATEWAY_PRIVATE_KEY: is not an Ed25519 private key/);
    expect(() => parseEnvironment(gatewayEnvironment, { APPLICATIONS_PUBLIC_KEY: encodeKey(applications.privateKey) })).toThrow(/APPLICATIONS_PUBLIC_KEY: is not an Ed25519 public key/);
    expect(() => parseEnvironment(gatewayEnvironment, { SUBGRAPH_SIGNING_KEY: 'k'.repeat(64) })).toThrow(/SUBGRAPH_SIGNING_KEY: was replaced by GATEWAY_PRIVATE_KEY/);
  });

  it('trusts in production the tokens of the registries given a public key, and of no other', async () => {
    const env = parseEnvironment(gatewayEnvironment, { ...production, APPLICATIONS_PUBLIC_KEY: encodeKey(applications.publicKey) });
    const keys = gatewayKeys(env);
    expect(keys.signingKey.equals(gateway.privateKey)).toBe(true);
    expect(Object.keys(keys.registryKeys)).toEqual(['applications']);
    const verifier = await verifierFor(env, keys.registryKeys);
    expect(await verifier.verify(await mintRegistryToken(applications.privateKey, 'applications'))).toMatchObject({ agency: 'registry', subject: 'applications' });
    await expect(verifier.verify(await mintRegistryToken(newSigningKeyPair().privateKey, 'persons'))).rejects.toThrow(/not valid/);
  });

  it('uses the development key pairs under DATA_DIR/keys outside production, the ones the registries of `npm start` use', () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'dmx-gateway-keys-'));
    try {
      const keys = gatewayKeys(parseEnvironment(gatewayEnvironment, { DATA_DIR: dataDir }));
      expect(keys.signingKey.equals(developmentKeyPair(dataDir, 'gateway').privateKey)).toBe(true);
      expect(Object.keys(keys.registryKeys).sort()).toEqual(['applications', 'payments', 'permits', 'persons']);
      expect(keys.registryKeys.applications!.equals(developmentKeyPair(dataDir, 'registry-applications').publicKey)).toBe(true);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe('CORS_ORIGINS (issue 19)', () => {
  it('allows no other origin by default, and the origins listed', () => {
    expect(parseEnvironment(gatewayEnvironment, {}).CORS_ORIGINS).toEqual([]);
    expect(parseEnvironment(gatewayEnvironment, { CORS_ORIGINS: 'https://dashboard.migration.gov.az, http://localhost:5173' }).CORS_ORIGINS).toEqual([
      'https://dashboard.migration.gov.az',
      'http://localhost:5173',
    ]);
  });

  it.each(['*', 'https://*.gov.az', 'https://dashboard.gov.az/', 'https://dashboard.gov.az/app', 'dashboard.gov.az', 'ftp://dashboard.gov.az'])(
    'refuses %s, naming the variable',
    (value) => {
      expect(() => parseEnvironment(gatewayEnvironment, { CORS_ORIGINS: value })).toThrow(/CORS_ORIGINS: .* is not an origin/);
    },
  );
});

describe('RESPONSE_COMPRESSION', () => {
  it('is on by default, off when told, and names the variable for anything else', () => {
    expect(gatewayConfig(parseEnvironment(gatewayEnvironment, {})).http.compression).toBe(true);
    expect(gatewayConfig(parseEnvironment(gatewayEnvironment, { RESPONSE_COMPRESSION: 'off' })).http.compression).toBe(false);
    expect(() => parseEnvironment(gatewayEnvironment, { RESPONSE_COMPRESSION: 'gzip' })).toThrow(/RESPONSE_COMPRESSION/);
  });
});

describe('the dashboard sign-in (DASHBOARD_OIDC_*, issue 23)', () => {
  it('has none by default: the page says no sign-in is configured', () => {
    expect(gatewayConfig(parseEnvironment(gatewayEnvironment, {})).dashboard).toEqual({});
  });

  it('signs in at the issuer with the client id, asking for openid and aggregates:read unless told otherwise', () => {
    const env = parseEnvironment(gatewayEnvironment, { DASHBOARD_OIDC_ISSUER: 'https://id.migration.gov.az/realms/staff', DASHBOARD_OIDC_CLIENT_ID: 'dmx-dashboard' });
    expect(gatewayConfig(env).dashboard).toEqual({ signIn: { issuer: 'https://id.migration.gov.az/realms/staff', clientId: 'dmx-dashboard', scope: 'openid aggregates:read' } });
  });

  it('names the variable when the issuer is not a URL or comes without a client id', () => {
    expect(() => parseEnvironment(gatewayEnvironment, { DASHBOARD_OIDC_ISSUER: 'id.migration.gov.az', DASHBOARD_OIDC_CLIENT_ID: 'x' })).toThrow(/DASHBOARD_OIDC_ISSUER/);
    expect(() => parseEnvironment(gatewayEnvironment, { DASHBOARD_OIDC_ISSUER: 'https://id.migration.gov.az' })).toThrow(/DASHBOARD_OIDC_CLIENT_ID: is required with DASHBOARD_OIDC_ISSUER/);
  });
});
