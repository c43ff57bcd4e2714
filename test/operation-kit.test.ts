import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse, print, type OperationDefinitionNode } from 'graphql';
import { CALLING_AGENCIES } from '../gateway/features/authorization/agencies';
import { WELL_KNOWN } from '../demo/well-known';
import { ANONYMOUS, startGraph, type RunningGraph } from './harness';
import { KIT_VARIABLES, kitPurpose, operationKit, PUBLIC_PROFILE } from './operation-kit';

/**
 * Issue 19, item 4: the committed operations are a partner's kit. Every one runs, as the profile it
 * declares (`# profile:` in test/operations), on the well-known demo records, with no FORBIDDEN and
 * nothing missing: each selects only what its profile may read.
 */
describe('the committed operations are a partner kit (issue 19)', () => {
  const kit = operationKit();
  let graph: RunningGraph;

  beforeAll(async () => {
    graph = await startGraph({ persons: 20 });
  }, 180_000);
  afterAll(() => graph?.stop());

  it('declares a profile for every committed operation, the manifest holds no other, and each has its variables', () => {
    const manifest = JSON.parse(readFileSync(path.resolve(__dirname, '../schema/persisted-operations.json'), 'utf8')) as { operations: Record<string, string> };
    const committed = Object.values(manifest.operations).map((text) => (parse(text).definitions[0] as OperationDefinitionNode).name!.value);
    expect(kit.map((operation) => operation.name).sort()).toEqual([...committed].sort());
    expect(Object.keys(KIT_VARIABLES).sort()).toEqual(kit.map((operation) => operation.name).sort());
    // Every partner agency has something to run, and so has a caller without a token.
    const partners = CALLING_AGENCIES;
    expect(new Set(kit.map((operation) => operation.profile))).toEqual(new Set([...partners, PUBLIC_PROFILE]));
  });

  it('texts are those of test/operations as codegen prints them', () => {
    for (const operation of kit) expect(print(parse(operation.text))).toBe(operation.text);
  });

  it('finds the well-known records as well-known.ts tells them', async () => {
    const ask = async (name: string) => {
      const operation = kit.find((candidate) => candidate.name === name)!;
      const headers = operation.profile === PUBLIC_PROFILE ? ANONYMOUS : await graph.caller(operation.profile, kitPurpose(operation.profile));
      return (await graph.query(operation.text, KIT_VARIABLES[name], headers)).body.data as any;
    };
    const atTheBorder = (await ask('StatusByDocument')).personByDocument;
    expect(atTheBorder).toMatchObject({ id: WELL_KNOWN.personId, citizenship: 'TUR', legalStatus: { outcome: 'LAWFUL', registration: { required: true, overdue: false } } });
    expect((await ask('FinesByDocument')).personByDocument.outstandingFines).toEqual([
      expect.objectContaining({ offence: 'OVERSTAY', paymentCode: WELL_KNOWN.payments.fine.code, amount: { amount: WELL_KNOWN.payments.fine.amount, currency: 'AZN' } }),
    ]);
    expect((await ask('TrackApplication')).applicationByNumber).toMatchObject({ type: 'WORK_PERMIT', status: 'UNDER_REVIEW', payments: [{ code: WELL_KNOWN.payments.stateDuty.code, status: 'UNPAID' }] });
    expect((await ask('PaymentByCode')).paymentByCode).toMatchObject({ purpose: 'STATE_DUTY', status: 'UNPAID', amount: { amount: WELL_KNOWN.payments.stateDuty.amount } });
  });

  // Reads first, so that what the writes change (a fine issued, one paid) is seen after.
  const ordered = [...kit].sort((a, b) => Number(a.kind === 'mutation') - Number(b.kind === 'mutation'));

  it.each(ordered.map((operation) => [operation.name, operation.profile, operation] as const))('%s runs as %s, with no error and its data', async (_name, profile, operation) => {
    const purpose = kitPurpose(profile);
    const headers = profile === PUBLIC_PROFILE ? ANONYMOUS : await graph.caller(profile, purpose);
    const response = await fetch(graph.gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ query: operation.text, operationName: operation.name, variables: KIT_VARIABLES[operation.name] }),
    });
    const body = (await response.json()) as { data?: Record<string, unknown> | null; errors?: { message: string; path?: unknown[]; extensions?: { code?: string } }[] };
    expect({ status: response.status, errors: body.errors ?? [] }).toEqual({ status: 200, errors: [] });
    expect(body.data).toBeTruthy();
    // Each root field answers with a record: the well-known ones exist, and nothing of them is withheld.
    for (const [field, value] of Object.entries(body.data!)) expect({ field, value }).toEqual({ field, value: expect.anything() });
  });
});
