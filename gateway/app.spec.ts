import { ApolloGateway } from '@apollo/gateway';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { newSigningKeyPair } from '../protocol/request-signing';
import { apolloGatewayWithoutDataCollection, createGateway } from './app';
import { loadSupergraph } from './supergraph';

// Where @apollo/gateway makes its meter that reports to Apollo; looked up through the module's exports at construction.
const apolloTelemetry = require('@apollo/gateway/dist/utilities/opentelemetry') as { createDataCollectionExporter: () => { shutdown(): Promise<void> } };
const SDL_FREE = { supergraphSdl: 'type Query { ok: Boolean }' };

describe('the gateway reports nothing to Apollo', () => {
  let made: jest.SpyInstance;
  beforeEach(() => {
    // Counted, never run: nothing is probed or sent from a test.
    made = jest.spyOn(apolloTelemetry, 'createDataCollectionExporter').mockImplementation(() => ({ shutdown: async () => undefined }));
  });
  afterEach(() => made.mockRestore());

  it('is what a stock ApolloGateway does when nothing says otherwise', () => {
    const before = process.env.APOLLO_TELEMETRY_DISABLED;
    delete process.env.APOLLO_TELEMETRY_DISABLED;
    try {
      new ApolloGateway(SDL_FREE);
      expect(made).toHaveBeenCalledTimes(1);
    } finally {
      if (before !== undefined) process.env.APOLLO_TELEMETRY_DISABLED = before;
    }
  });

  it.each([[undefined], ['false'], ['0']])('is never done by ours, APOLLO_TELEMETRY_DISABLED being %s, which it leaves as it was', (setting) => {
    const before = process.env.APOLLO_TELEMETRY_DISABLED;
    if (setting === undefined) delete process.env.APOLLO_TELEMETRY_DISABLED;
    else process.env.APOLLO_TELEMETRY_DISABLED = setting;
    try {
      expect(apolloGatewayWithoutDataCollection(SDL_FREE)).toBeInstanceOf(ApolloGateway);
      expect(made).not.toHaveBeenCalled();
      expect(process.env.APOLLO_TELEMETRY_DISABLED).toBe(setting);
    } finally {
      if (before === undefined) delete process.env.APOLLO_TELEMETRY_DISABLED;
      else process.env.APOLLO_TELEMETRY_DISABLED = before;
    }
  });
});

describe('the gateway sends Apollo neither its operations nor its schema', () => {
  const SETTINGS = { APOLLO_KEY: 'service:dmx:not-a-real-key', APOLLO_GRAPH_REF: 'dmx@production', APOLLO_SCHEMA_REPORTING: 'true' };

  it('has usage and schema reporting switched off even with an Apollo key and schema reporting asked for', async () => {
    const before = Object.fromEntries(Object.keys(SETTINGS).map((name) => [name, process.env[name]]));
    Object.assign(process.env, SETTINGS);
    const warnings: string[] = [];
    const logger = { debug() {}, info() {}, warn: (message: unknown) => void warnings.push(String(message)), error: (message: unknown) => void warnings.push(String(message)) };
    const app = createGateway({
      supergraph: loadSupergraph(readFileSync(path.resolve(__dirname, '../schema/supergraph.graphql'), 'utf8')),
      development: false,
      subgraphs: { signingKey: newSigningKeyPair().privateKey },
      features: [],
      logger,
    });
    try {
      await app.apollo.start();
      const reporting = (app.apollo as any).internals.plugins.filter((plugin: any) => ['UsageReporting', 'SchemaReporting'].includes(plugin.__internal_plugin_id__));
      expect(reporting.map((plugin: any) => [plugin.__internal_plugin_id__, plugin.__is_disabled_plugin__ === true])).toEqual([
        ['UsageReporting', true],
        ['SchemaReporting', true],
      ]);
      // @apollo/gateway's own warning (a local supergraph over the key's managed one) reached the service's log, not the console.
      expect(warnings.some((warning) => /managed federation/i.test(warning))).toBe(true);
    } finally {
      await app.apollo.stop();
      for (const [name, value] of Object.entries(before)) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    }
  });
});
