import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Supergraph } from '@apollo/federation-internals';
import { parse } from 'graphql';
import { AGENCIES, CALLING_AGENCIES } from '../authorization/agencies';
import { filterOperation } from '../authorization/filter';
import { accessPolicy, supergraphForExecution } from '../authorization/policy';
import { committedOperations, idePresets, PUBLIC_PRESET } from './graphiql-presets';
import { loadManifest } from '../persisted-operations/persisted-operations';

const root = path.resolve(__dirname, '../../..');
const supergraphSdl = readFileSync(path.join(root, 'schema/supergraph.graphql'), 'utf8');
const schema = Supergraph.build(supergraphForExecution(supergraphSdl)).apiSchema().toGraphQLJSSchema();
const policy = accessPolicy(supergraphSdl);
const manifest = Object.values(loadManifest(path.join(root, 'schema/persisted-operations.json')).operations);

describe("the IDE's presets", () => {
  const presets = idePresets(schema, policy, committedOperations(manifest, path.join(root, 'test/operations')));

  it('are one per agency profile, not the registries', () => {
    const agencies = CALLING_AGENCIES;
    expect(presets.map((preset) => preset.agency)).toEqual([...agencies, PUBLIC_PRESET]);
    for (const preset of presets.filter((candidate) => candidate.agency !== PUBLIC_PRESET)) expect(preset.purpose).toBe(AGENCIES[preset.agency].purposes[0]);
  });

  it('each open on a committed query its profile may run, nothing of it forbidden', () => {
    for (const preset of presets) {
      expect({ agency: preset.agency, committed: preset.example.committed }).toEqual({ agency: preset.agency, committed: true });
      expect(manifest).toContain(preset.example.text);
      const document = parse(preset.example.text);
      const claims = preset.agency === PUBLIC_PRESET ? null : { agency: preset.agency, subject: 'graphiql', scopes: preset.scopes };
      expect(filterOperation(schema, document, document.definitions[0] as never, policy, claims).denials).toEqual([]);
    }
  });

  it('write an example from the scopes when no committed operation fits', () => {
    const written = idePresets(schema, policy, []);
    const bank = written.find((preset) => preset.agency === 'bank')!;
    expect(bank.example.committed).toBe(false);
    expect(bank.example.text).toMatch(/^query BankExample \{\n {2}paymentByCode\(code: "\d{12}"\) \{/);
    for (const preset of written) {
      const document = parse(preset.example.text);
      const claims = preset.agency === PUBLIC_PRESET ? null : { agency: preset.agency, subject: 'graphiql', scopes: preset.scopes };
      expect(filterOperation(schema, document, document.definitions[0] as never, policy, claims).denials).toEqual([]);
    }
  });
});
