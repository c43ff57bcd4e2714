import { readFileSync } from 'node:fs';
import path from 'node:path';
import { QueryPlanner } from '@apollo/query-planner';
import { AGENCIES, CALLING_AGENCIES } from '../gateway/features/authorization/agencies';
import { mintRegistryToken, REGISTRY_PURPOSE } from '../protocol/registry-token';
import type { PersistedOperationsManifest } from '../gateway/features/persisted-operations/persisted-operations';
import { ANONYMOUS, expectData, startGraph, type RunningGraph } from './harness';
import { KIT_VARIABLES } from './operation-kit';

/**
 * Issue 6, "query plans warmed from the safelist" (here from the persisted operations, in the default
 * allow mode): a gateway started with warming serves every persisted operation, for every agency and
 * for a caller without a token, from plans made before its first request. The planner is watched:
 * whatever it plans after the start was not warmed.
 */
describe('query plans warmed from the persisted operations (issue 6)', () => {
  const manifest = JSON.parse(readFileSync(path.resolve(__dirname, '../schema/persisted-operations.json'), 'utf8')) as PersistedOperationsManifest;
  let graph: RunningGraph;
  let planned: jest.SpyInstance;
  let variables: Record<string, Record<string, unknown>>;

  beforeAll(async () => {
    graph = await startGraph({ persons: 12, warmQueryPlans: true });
    // Inputs found through the graph itself (an ad-hoc query, planned now, before the count starts).
    const found = expectData(
      await graph.query<{ persons: { nodes: { id: string; travelDocuments: { issuingCountry: string; number: string }[]; applications: { number: string; payments: { code: string }[] }[] }[] } }>(
        '{ persons(first: 12) { nodes { id travelDocuments { issuingCountry number } applications { number payments { code } } } } }',
      ),
    ).persons.nodes;
    const person = found.find((node) => node.travelDocuments.length > 0)!;
    const application = found.flatMap((node) => node.applications).find((candidate) => candidate.payments.length > 0)!;
    variables = {
      // The partner kit's operations on the well-known records (person 0 of every demo world); the rest on records found here.
      ...KIT_VARIABLES,
      PersonPicture: { id: person.id },
      PersonsWithRelations: { first: 3 },
      PersonByDocument: { country: person.travelDocuments[0].issuingCountry, number: person.travelDocuments[0].number },
      ApplicationByNumber: { number: application.number },
      PaymentByCode: { code: application.payments[0].code },
      Dashboard: {},
    };
    planned = jest.spyOn(QueryPlanner.prototype, 'buildQueryPlan');
  });
  afterAll(async () => {
    planned.mockRestore();
    await graph.stop();
  });
  beforeEach(() => planned.mockClear());

  /** A persisted operation's name: its text's first line is `query <Name>…` or `mutation <Name>…`. */
  const nameOf = (text: string) => /^(?:query|mutation) (\w+)/m.exec(text)![1];

  /** Sends a persisted operation with its variables, giving the gateway its name only when `named`. */
  const send = async (text: string, headers: Record<string, string>, named = false) => {
    const name = nameOf(text);
    const response = await fetch(graph.gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ query: text, variables: variables[name], operationName: named ? name : undefined }),
    });
    return { status: response.status, body: (await response.json()) as { data?: unknown; errors?: { extensions?: { code?: string } }[] } };
  };

  it('every persisted operation, as every agency and an anonymous caller ask for it, with or without its name, runs without planning', async () => {
    const callers: Record<string, string>[] = [ANONYMOUS];
    for (const agency of CALLING_AGENCIES) callers.push(await graph.caller(agency, AGENCIES[agency].purposes[0]));
    // The registries' own calls: a token a registry signs with its own key.
    callers.push({ authorization: `Bearer ${await mintRegistryToken(graph.registryKey, 'applications')}`, 'x-dmx-purpose': REGISTRY_PURPOSE });
    expect(callers.length).toBe(Object.keys(AGENCIES).length + 1);
    const texts = Object.values(manifest.operations);
    expect(texts.length).toBe(Object.keys(variables).length);
    let executed = 0;
    for (const text of texts) {
      for (const headers of callers) {
        for (const named of [false, true]) {
          const { status, body } = await send(text, headers, named);
          // Executed, with the fields the caller may not read refused (an anonymous dashboard: all of
          // them, so its data is null), and not refused before execution, which would need no plan.
          const codes = new Set((body.errors ?? []).map((error) => error.extensions?.code));
          codes.delete('FORBIDDEN');
          expect({ status, codes: [...codes] }).toEqual({ status: 200, codes: [] });
          executed += 1;
        }
      }
    }
    expect(executed).toBe(texts.length * callers.length * 2);
    // A write may make a registry read through the graph (payments asks persons whether a fine's person
    // exists: PersonOnRecord). That is the registry's own operation, not a persisted one: planned on first use, once.
    const persisted = new Set(texts.map(nameOf));
    const plannedNames = planned.mock.calls.map(([operation]) => (operation as { name?: string }).name);
    expect(plannedNames.filter((name) => !name || persisted.has(name))).toEqual([]);
    expect(new Set(plannedNames).size).toBe(plannedNames.length);
  });

  it('an operation that is not persisted is planned on first use, once', async () => {
    const adHoc = '{ persons(first: 2) { nodes { id surname } } }';
    expectData(await graph.query(adHoc));
    expectData(await graph.query(adHoc));
    expect(planned).toHaveBeenCalledTimes(1);
  });

  it('a token with fewer scopes than its agency’s profile gets its own plan on first use (warming covers the profiles)', async () => {
    const text = Object.values(manifest.operations).find((candidate) => candidate.startsWith('query PersonPicture'))!;
    const police = await graph.caller('police', 'PUBLIC_ORDER', { scopes: ['persons:read', 'status:read'] });
    const { status } = await send(text, police);
    expect(status).toBe(200);
    expect(planned).toHaveBeenCalledTimes(1);
  });
});
