import { readFileSync } from 'node:fs';
import path from 'node:path';
import { buildASTSchema, parse, type OperationDefinitionNode } from 'graphql';
import { AGENCIES } from './agencies';
import { accessPolicy } from './policy';
import { prepareOperation, purposeError, readsCountsOnly } from './authorization';

const supergraphSdl = readFileSync(path.resolve(__dirname, '../../../schema/supergraph.graphql'), 'utf8');
const policy = accessPolicy(supergraphSdl);
const schema = buildASTSchema(parse(supergraphSdl), { assumeValidSDL: true });
const claimsOf = (agency: string) => ({ agency, subject: `${agency}-1`, scopes: AGENCIES[agency].scopes });

/** The protected fields an operation serves to an agency, as the plugin plans them. */
function served(agency: string, text: string): string[] {
  const document = parse(text);
  return prepareOperation(schema, document, document.definitions[0] as OperationDefinitionNode, policy, claimsOf(agency)).served;
}

describe('what a refusal for want of a purpose says is read (issue 19, item 6)', () => {
  const dashboardReads = '{ applicationStatistics { open } paymentStatistics { outstandingFines } persons { totalCount } }';

  it('counts only, for the dashboard reading its statistics, and for the administrator reading only statistics', () => {
    expect(readsCountsOnly(served('internal-dashboard', dashboardReads), policy, claimsOf('internal-dashboard'))).toBe(true);
    expect(readsCountsOnly(served('administrator', '{ applicationStatistics { open } }'), policy, claimsOf('administrator'))).toBe(true);
  });

  it('personal data, when any field is served by a scope that reads records', () => {
    // The administrator holds persons:read, by which persons { totalCount } comes with the records' reach.
    expect(readsCountsOnly(served('administrator', dashboardReads), policy, claimsOf('administrator'))).toBe(false);
    expect(readsCountsOnly(served('police', '{ person(id: "x") { surname } }'), policy, claimsOf('police'))).toBe(false);
    expect(readsCountsOnly([], policy, claimsOf('internal-dashboard'))).toBe(false);
  });

  it('says counts to the dashboard, a write to a writer and personal data to the others, with the purposes to send', () => {
    const counts = purposeError('PURPOSE_REQUIRED', 'internal-dashboard', ['STATISTICS'], 'counts');
    expect(counts.message).toBe('Counts over the registries (no personal data) are read for a declared purpose: send the x-dmx-purpose header with one of STATISTICS.');
    expect(counts.extensions).toMatchObject({ code: 'PURPOSE_REQUIRED', http: { status: 400 } });
    expect(purposeError('PURPOSE_REQUIRED', 'police', ['PUBLIC_ORDER'], 'read').message).toMatch(/^Personal data is read for a declared purpose: .*PUBLIC_ORDER\.$/);
    expect(purposeError('PURPOSE_REQUIRED', 'police', ['PUBLIC_ORDER'], 'write').message).toMatch(/^The registries are written to for a declared purpose: .*PUBLIC_ORDER\.$/);
    expect(purposeError('PURPOSE_NOT_ALLOWED', 'police', ['PUBLIC_ORDER'], 'read').extensions).toMatchObject({ code: 'PURPOSE_NOT_ALLOWED', http: { status: 403 } });
  });
});
