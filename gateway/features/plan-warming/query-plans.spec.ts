import { readFileSync } from 'node:fs';
import path from 'node:path';
import { apolloGatewayWithoutDataCollection } from '../../app';
import { operationFromDocument } from '@apollo/federation-internals';
import { prettyFormatQueryPlan, type QueryPlan } from '@apollo/query-planner';
import { Kind, OperationTypeNode, parse, type OperationDefinitionNode } from 'graphql';
import { prepareOperation } from '../authorization/authorization';
import { accessPolicy, supergraphForExecution } from '../authorization/policy';
import { loadManifest, operationHash, type PersistedOperationsManifest } from '../persisted-operations/persisted-operations';
import { queryPlanKey } from '../../apollo-internals';
import { queryPlanCache } from '../../supergraph';
import { warmedCallers, warmQueryPlans } from './query-plans';

const supergraphSdl = readFileSync(path.resolve(__dirname, '../../../schema/supergraph.graphql'), 'utf8');
const executable = supergraphForExecution(supergraphSdl);
const policy = accessPolicy(supergraphSdl);
const manifest = loadManifest(path.resolve(__dirname, '../../../schema/persisted-operations.json'));

function operationOf(text: string): { document: ReturnType<typeof parse>; operation: OperationDefinitionNode; name: string } {
  const document = parse(text);
  const operation = document.definitions.find((definition): definition is OperationDefinitionNode => definition.kind === Kind.OPERATION_DEFINITION)!;
  return { document, operation, name: operation.name!.value };
}

describe('warmQueryPlans (issue 6)', () => {
  it('stores, for every persisted operation and agency, the plan the gateway itself would make, under both keys the gateway looks up', async () => {
    const plannerConfig = { cache: queryPlanCache() };
    const { cache } = plannerConfig;
    const gateway = apolloGatewayWithoutDataCollection({ supergraphSdl: executable, queryPlannerConfig: plannerConfig });
    // Loading clears the cache (as a supergraph update would), so warming comes after it, as at start.
    const { schema } = await gateway.load();
    const warmed = await warmQueryPlans({ supergraphSdl: executable, policy, manifest, plannerConfig });
    expect(warmed.failed).toEqual([]);
    expect(warmed.operations).toBe(Object.keys(manifest.operations).length);

    const own = gateway.__testing().queryPlanner!;
    const apiSchema = own.supergraph.apiSchema();
    const distinct = new Set<string>();
    for (const text of Object.values(manifest.operations)) {
      const { document, operation, name } = operationOf(text);
      for (const claims of warmedCallers()) {
        // The schema Apollo Server hands the access plugin: the gateway's own.
        const { document: filtered, queryHash } = prepareOperation(schema, document, operation, policy, claims);
        distinct.add(`${name} ${queryHash}`);
        const named = await cache.get(queryPlanKey(queryHash, name));
        expect(named).toBeDefined();
        expect(await cache.get(queryPlanKey(queryHash, undefined))).toBe(named);
        const expected = own.buildQueryPlan(operationFromDocument(apiSchema, filtered, { operationName: name }));
        expect(prettyFormatQueryPlan(named as QueryPlan)).toBe(prettyFormatQueryPlan(expected));
      }
    }
    expect(warmed.plans).toBe(distinct.size);
    // Operations read different fields per agency: more plans than operations.
    expect(warmed.plans).toBeGreaterThan(warmed.operations);
    await gateway.stop();
  });

  it('queryPlanKey: the query hash alone, or the SHA-256 of the hash and the operation name (test/query-plans.test.ts shows the gateway finds its plans there)', () => {
    const hash = operationHash('query A { __typename }');
    expect(queryPlanKey(hash, undefined)).toBe(hash);
    expect(queryPlanKey(hash, 'A')).toBe(operationHash(`${hash}A`));
  });

  it('an operation the supergraph cannot plan is reported by name and caller, and the others are still warmed', async () => {
    const broken = 'query Broken { noSuchField }';
    const withBroken: PersistedOperationsManifest = { ...manifest, operations: { ...manifest.operations, [operationHash(broken)]: broken } };
    const warmed = await warmQueryPlans({ supergraphSdl: executable, policy, manifest: withBroken, plannerConfig: { cache: queryPlanCache() } });
    expect(warmed.failed.length).toBe(warmedCallers().length);
    expect(warmed.failed[0]).toEqual({ name: 'Broken', caller: 'anonymous', reason: expect.stringContaining('noSuchField') });
    expect(new Set(warmed.failed.map((failure) => failure.name))).toEqual(new Set(['Broken']));
    expect(warmed.operations).toBe(Object.keys(manifest.operations).length);
  });

  it('the cache is bounded: the least recently used plans go first', async () => {
    const cache = queryPlanCache(4096);
    const plan = (operation: string): QueryPlan => ({ kind: 'QueryPlan', node: { kind: 'Fetch', serviceName: 'persons', operation, operationName: undefined, operationKind: OperationTypeNode.QUERY } });
    for (let index = 0; index < 40; index += 1) {
      // Plan 0 is read before every insert, plan 1 never again: the older one is kept, the unused one goes.
      await cache.get('plan 0');
      await cache.set(`plan ${index}`, plan(`query { f${index}: __typename ${'x'.repeat(100)} }`));
    }
    expect(await cache.get('plan 0')).toBeDefined();
    expect(await cache.get('plan 1')).toBeUndefined();
    expect(await cache.get('plan 39')).toBeDefined();
  });
});
