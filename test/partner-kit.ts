import { readdirSync, readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import {
  buildSchema,
  getNamedType,
  getOperationAST,
  isEnumType,
  isInputObjectType,
  isNonNullType,
  isScalarType,
  parse,
  typeFromAST,
  type DocumentNode,
  type GraphQLInputType,
  type GraphQLSchema,
  type OperationTypeNode,
} from 'graphql';
import { AGENCIES } from '../gateway/features/authorization/agencies';
import { loadManifest } from '../gateway/features/persisted-operations/persisted-operations';
import { ANONYMOUS, TODAY, type RunningGraph } from './harness';

/**
 * The partner kit as a partner's project sees it: every committed operation (read from the manifest,
 * so whatever test/operations holds), the agency profile it is meant for, and example variables from
 * the demo data. Shared by the tests that run the kit with real client libraries.
 */

const root = path.resolve(__dirname, '..');
export const OPERATIONS_DIR = path.join(root, 'test/operations');
export const MANIFEST_FILE = path.join(root, 'schema/persisted-operations.json');

export interface CommittedOperation {
  name: string;
  kind: OperationTypeNode;
  /** The committed text (the manifest's). */
  text: string;
  document: DocumentNode;
  /** The agency profile named by the `# profile: …` comment before it; null for `public` (no token). */
  agency: string | null;
}

/** Every operation of the committed manifest, with its profile. */
export function committedOperations(): CommittedOperation[] {
  const profiles = operationProfiles();
  return Object.values(loadManifest(MANIFEST_FILE).operations).map((text) => {
    const document = parse(text);
    const operation = getOperationAST(document)!;
    const name = operation.name!.value;
    const profile = profiles.get(name);
    if (profile === undefined) throw new Error(`test/operations: no "# profile: <agency>" comment before ${name}`);
    if (profile !== 'public' && !AGENCIES[profile]) throw new Error(`test/operations: ${name} names the profile ${profile}, which gateway/features/authorization/agencies.ts does not have`);
    return { name, kind: operation.operation, text, document, agency: profile === 'public' ? null : profile };
  });
}

/** Operation name → profile, from the `# profile: <agency>` comment that comes before it in its file. */
function operationProfiles(): Map<string, string> {
  const profiles = new Map<string, string>();
  for (const file of readdirSync(OPERATIONS_DIR).filter((name) => name.endsWith('.graphql'))) {
    let profile: string | undefined;
    for (const line of readFileSync(path.join(OPERATIONS_DIR, file), 'utf8').split('\n')) {
      const named = /^#\s*profile:\s*([\w-]+)/.exec(line);
      if (named) profile = named[1];
      const operation = /^(?:query|mutation|subscription)\s+(\w+)/.exec(line);
      if (operation && profile) profiles.set(operation[1], profile);
      if (operation) profile = undefined;
    }
  }
  return profiles;
}

/** The headers of the caller an operation is meant for: its agency's token and first purpose, or none. */
export async function callerFor(graph: RunningGraph, operation: CommittedOperation): Promise<Record<string, string>> {
  if (!operation.agency) return { ...ANONYMOUS };
  return graph.caller(operation.agency, AGENCIES[operation.agency].purposes[0]);
}

/** Records of the demo world that operations take as variables, found in the registries' databases. */
export interface DemoRecords {
  personId: string;
  travelDocument: { country: string; number: string };
  applicationNumber: string;
  stateDuty: { code: string; amount: string };
}

export async function demoRecords(graph: RunningGraph): Promise<DemoRecords> {
  // Straight from the databases: an ad-hoc query is what safelist mode refuses.
  const [document] = await graph.subgraphs.persons!.db.query<{ person_id: string; issuing_country: string; number: string }>(
    'test.partner-kit.document',
    'select person_id, issuing_country, number from travel_documents order by person_id, number limit 1',
  );
  const [duty] = await graph.subgraphs.payments!.db.query<{ code: string; amount: string; application_id: string }>(
    'test.partner-kit.duty',
    "select code, amount::text as amount, application_id from payments where purpose = 'STATE_DUTY' and status = 'UNPAID' order by code limit 1",
  );
  const [application] = await graph.subgraphs.applications!.db.query<{ number: string }>('test.partner-kit.application', 'select number from applications where id = $1', [duty.application_id]);
  return {
    personId: document.person_id,
    travelDocument: { country: document.issuing_country, number: document.number },
    applicationNumber: application.number,
    stateDuty: { code: duty.code, amount: duty.amount },
  };
}

let apiSchema: GraphQLSchema | undefined;

/**
 * Variables for an operation: each required variable (and each required field of an input) from the
 * demo records by its name, else a value of its type. Optional variables are left out. A mutation may
 * still be refused by the registries' rules (with its own code): what is tested with these is that the
 * gateway accepts the persisted operation and runs it.
 */
export function exampleVariables(operation: CommittedOperation, records: DemoRecords): Record<string, unknown> {
  apiSchema ??= buildSchema(readFileSync(path.join(root, 'schema/api.graphql'), 'utf8'));
  const definition = getOperationAST(operation.document)!;
  const byDocument = definition.variableDefinitions?.some((variable) => variable.variable.name.value === 'country') ?? false;
  const valueOf = (name: string, type: GraphQLInputType): unknown => {
    const named = getNamedType(type);
    if (isInputObjectType(named)) {
      return Object.fromEntries(Object.values(named.getFields()).filter((field) => isNonNullType(field.type)).map((field) => [field.name, valueOf(field.name, field.type)]));
    }
    if (isEnumType(named)) return named.getValues()[0].value;
    if (!isScalarType(named)) throw new Error(`no example for ${name}`);
    switch (named.name) {
      case 'ID':
        return records.personId;
      case 'CountryCode':
        return records.travelDocument.country;
      case 'Date':
        return TODAY;
      case 'Int':
        return name === 'first' ? 3 : 30;
      case 'Float':
        return 1;
      case 'Boolean':
        return false;
      default:
        if (name === 'number') return byDocument ? records.travelDocument.number : records.applicationNumber;
        if (name === 'code' || name === 'paymentCode') return records.stateDuty.code;
        if (name === 'amount') return records.stateDuty.amount;
        if (name === 'idempotencyKey') return `partner-kit-${randomUUID()}`;
        return 'example';
    }
  };
  const variables: Record<string, unknown> = {};
  for (const variable of definition.variableDefinitions ?? []) {
    const type = typeFromAST(apiSchema, variable.type) as GraphQLInputType | undefined;
    if (!type) throw new Error(`${operation.name}: the variable $${variable.variable.name.value} has a type the API schema lacks`);
    if (!isNonNullType(type) || variable.defaultValue) continue;
    variables[variable.variable.name.value] = valueOf(variable.variable.name.value, type);
  }
  return variables;
}

/** Error codes that say the gateway did not take an operation as the persisted one it is, or the caller was wrong for it. */
export function refusalCodes(body: { errors?: { extensions?: { code?: unknown } }[] }): unknown[] {
  return (body.errors ?? []).map((error) => error.extensions?.code).filter((code) => typeof code === 'string' && (code.startsWith('PERSISTED_QUERY') || code === 'FORBIDDEN' || code === 'UNAUTHENTICATED'));
}
