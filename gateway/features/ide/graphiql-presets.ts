import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import {
  getNamedType,
  isLeafType,
  isNonNullType,
  isObjectType,
  Kind,
  parse,
  type GraphQLObjectType,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';
import { isAllowed } from '../../../protocol/access';
import type { VerifiedClaims } from '../../../protocol/claims';
import { WELL_KNOWN } from '../../../demo/well-known';
import { AGENCIES, CALLING_AGENCIES } from '../authorization/agencies';
import { filterOperation } from '../authorization/filter';
import type { AccessPolicy } from '../authorization/policy';

/**
 * The development IDE's presets: one per agency profile (not the registries' own), each calling as
 * that agency with its first purpose, and opening on an example that agency may run. The example is
 * a committed operation (the persisted operations manifest, generated from test/operations) when one
 * fits the profile, so that it runs in safelist mode too; otherwise a short query of fields the
 * profile's scopes allow, written here from the schema.
 */
export interface IdePreset {
  /** An agency of gateway/features/authorization/agencies.ts, or PUBLIC_PRESET for a caller without a token. */
  agency: string;
  /** The agency's name in English, for the switcher. */
  label: string;
  /** The profile's first purpose, sent in x-dmx-purpose; none without a token. */
  purpose: string | null;
  scopes: readonly string[];
  example: IdeExample;
}

export interface IdeExample {
  operationName: string;
  /** The operation's text: a committed one exactly as the manifest has it. */
  text: string;
  /** Values for its variables, naming the demo's well-known records. */
  variables: Record<string, unknown>;
  /** True when the text is a committed (persisted) operation, which safelist mode accepts. */
  committed: boolean;
}

/** The preset the IDE opens with: every scope, so that any operation answers. */
export const DEFAULT_IDE_PRESET = 'administrator';
/** The preset of a caller without a token (public tracking), as test/operations names that profile. */
export const PUBLIC_PRESET = 'public';

/** A committed operation: its text as the manifest has it, and the profile its file declares it for. */
export interface CommittedOperation {
  text: string;
  /** From the `# profile: <agency>` line of the comment above it in test/operations; absent when none. */
  profile?: string;
}

/**
 * Values for the variables of an example, by the field and argument they are given to: the demo
 * world's well-known records (demo/well-known.ts), which every seed has.
 */
const DEMO_ARGUMENTS: Readonly<Record<string, unknown>> = {
  'person.id': WELL_KNOWN.personId,
  'personByDocument.country': WELL_KNOWN.travelDocument.country,
  'personByDocument.number': WELL_KNOWN.travelDocument.number,
  'applicationByNumber.number': WELL_KNOWN.applicationNumber,
  'paymentByCode.code': WELL_KNOWN.payments.stateDuty.code,
  'persons.first': 5,
};

/**
 * The committed operations, each with the profile its file declares for it (`# profile: <agency>` in
 * the comment right above it in test/operations/*.graphql). Read when the IDE starts, so that the
 * examples follow the committed kit; an operation of a file that cannot be read has no profile.
 */
export function committedOperations(manifestTexts: readonly string[], operationsDir: string): CommittedOperation[] {
  const declared = new Map<string, string>();
  let files: string[] = [];
  try {
    files = readdirSync(operationsDir).filter((file) => file.endsWith('.graphql')).sort();
  } catch {
    // No operations directory (an image without the tests): examples are chosen by fit alone.
  }
  for (const file of files) {
    try {
      const source = readFileSync(path.join(operationsDir, file), 'utf8');
      for (const definition of parse(source).definitions) {
        if (definition.kind !== Kind.OPERATION_DEFINITION || !definition.name || !definition.loc) continue;
        const profile = profileAbove(source, definition.loc.start);
        if (profile) declared.set(definition.name.value, profile);
      }
    } catch {
      // A file being edited may not parse for a moment; its operations just have no declared profile.
    }
  }
  return manifestTexts.map((text) => {
    const name = /^\s*(?:query|mutation|subscription)\s+(\w+)/.exec(text)?.[1];
    const profile = name ? declared.get(name) : undefined;
    return profile ? { text, profile } : { text };
  });
}

/** The `# profile:` line in the comment block that ends where a definition starts. */
function profileAbove(source: string, start: number): string | undefined {
  const above = source.slice(0, start).split('\n').slice(0, -1).reverse();
  for (const line of above) {
    const trimmed = line.trim();
    if (!trimmed.startsWith('#')) break;
    const match = /^#\s*profile:\s*(\S+)\s*$/.exec(trimmed);
    if (match) return match[1];
  }
  return undefined;
}

/**
 * The presets: one per agency profile, and one without a token. `schema` is the API schema the
 * gateway serves. Each opens on the committed query that fits its profile (asks nothing the profile
 * may not read, and has demo values for its variables), preferring one the kit declares for that
 * profile, then one fewer other profiles can run (what is particular to this agency), then one that
 * reads more.
 */
export function idePresets(schema: GraphQLSchema, policy: AccessPolicy, committed: readonly CommittedOperation[]): IdePreset[] {
  const operations = committed.flatMap(({ text, profile }) => {
    const document = parse(text);
    const operation = document.definitions.find((definition): definition is OperationDefinitionNode => definition.kind === Kind.OPERATION_DEFINITION);
    const variables = operation ? demoVariables(operation) : null;
    // Mutations change the demo data; an example only reads.
    return operation?.name && operation.operation === 'query' && variables ? [{ text, document, operation, variables, profile, name: operation.name.value }] : [];
  });
  const callers = [
    ...CALLING_AGENCIES.map((agency) => ({ agency, label: AGENCIES[agency].name.en, purpose: AGENCIES[agency].purposes[0], scopes: AGENCIES[agency].scopes })),
    { agency: PUBLIC_PRESET, label: 'Public (no token)', purpose: null, scopes: [] },
  ];
  // Which callers each operation fits, and how much protected data it reads for each.
  const fits = operations.map(({ document, operation }) =>
    callers.map(({ agency, scopes }) => {
      const claims: VerifiedClaims | null = agency === PUBLIC_PRESET ? null : { agency, subject: 'graphiql', scopes };
      const filtered = filterOperation(schema, document, operation, policy, claims);
      return filtered.denials.length === 0 ? filtered.served.length : null;
    }),
  );
  return callers.map((caller, index) => {
    const ranked = operations
      .map((operation, position) => ({ operation, position, served: fits[position][index], fitting: fits[position].filter((served) => served !== null).length }))
      .filter(({ served }) => served !== null)
      .sort(
        (a, b) =>
          Number(b.operation.profile === caller.agency) - Number(a.operation.profile === caller.agency) ||
          a.fitting - b.fitting ||
          b.served! - a.served! ||
          a.position - b.position,
      );
    const chosen = ranked[0]?.operation;
    const claims: VerifiedClaims | null = caller.agency === PUBLIC_PRESET ? null : { agency: caller.agency, subject: 'graphiql', scopes: caller.scopes };
    return {
      ...caller,
      example: chosen
        ? { operationName: chosen.name, text: chosen.text, variables: chosen.variables, committed: true }
        : writtenExample(schema, policy, caller.agency, claims),
    };
  });
}

/** The demo values for an operation's variables; null when a required one has none. */
function demoVariables(operation: OperationDefinitionNode): Record<string, unknown> | null {
  const given: Record<string, unknown> = {};
  for (const selection of operation.selectionSet.selections) {
    if (selection.kind !== Kind.FIELD) continue;
    for (const argument of selection.arguments ?? []) {
      const value = DEMO_ARGUMENTS[`${selection.name.value}.${argument.name.value}`];
      if (argument.value.kind === Kind.VARIABLE && value !== undefined) given[argument.value.name.value] = value;
    }
  }
  for (const definition of operation.variableDefinitions ?? []) {
    const required = definition.type.kind === Kind.NON_NULL_TYPE && !definition.defaultValue;
    if (required && !(definition.variable.name.value in given)) return null;
  }
  return given;
}

/**
 * An example written for a profile no committed operation fits: the first query field it may call
 * (one that needs a scope of its own before a public one) with the demo's values for its arguments,
 * and the plain fields of what it returns that the profile may read.
 */
function writtenExample(schema: GraphQLSchema, policy: AccessPolicy, agency: string, claims: VerifiedClaims | null): IdeExample {
  const query = schema.getQueryType()!;
  const allowed = (type: GraphQLObjectType, field: string) => isAllowed(policy.get(`${type.name}.${field}`) ?? null, claims);
  const candidates = Object.values(query.getFields())
    .filter((field) => allowed(query, field.name))
    .sort((a, b) => Number(policy.has(`Query.${b.name}`)) - Number(policy.has(`Query.${a.name}`)));
  const operationName = `${agency.replace(/(^|-)(\w)/g, (_, _dash: string, letter: string) => letter.toUpperCase())}Example`;
  for (const field of candidates) {
    const args = field.args.filter((arg) => isNonNullType(arg.type) && arg.defaultValue === undefined);
    if (!args.every((arg) => `${field.name}.${arg.name}` in DEMO_ARGUMENTS)) continue;
    const returned = getNamedType(field.type);
    if (!isObjectType(returned)) continue;
    const leaves = Object.values(returned.getFields())
      .filter((inner) => isLeafType(getNamedType(inner.type)) && !inner.args.some((arg) => isNonNullType(arg.type)) && allowed(returned, inner.name))
      .slice(0, 8)
      .map((inner) => inner.name);
    if (leaves.length === 0) continue;
    const argumentList = args.map((arg) => `${arg.name}: ${JSON.stringify(DEMO_ARGUMENTS[`${field.name}.${arg.name}`])}`).join(', ');
    const text = `query ${operationName} {\n  ${field.name}${argumentList ? `(${argumentList})` : ''} {\n${leaves.map((name) => `    ${name}\n`).join('')}  }\n}`;
    return { operationName, text, variables: {}, committed: false };
  }
  return { operationName, text: `query ${operationName} {\n  __typename\n}`, variables: {}, committed: false };
}
