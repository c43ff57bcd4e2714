import {
  getNamedType,
  GraphQLError,
  isCompositeType,
  isObjectType,
  isInterfaceType,
  Kind,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLOutputType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionNode,
  type SelectionSetNode,
  SchemaMetaFieldDef,
  TypeMetaFieldDef,
  TypeNameMetaFieldDef,
} from 'graphql';
import { isAllowed, type Requirement } from '../../../protocol/access';
import type { VerifiedClaims } from '../../../protocol/claims';
import type { AccessPolicy } from './policy';

/**
 * Response keys the gateway adds to what it asks the subgraphs and removes from what it answers.
 * Clients may not use aliases with this prefix (refused at validation).
 */
export const INTERNAL_KEY_PREFIX = '_dmx';
/** Where the id of the person an object is about is asked for (for the audit record). */
export const PERSON_KEY = `${INTERNAL_KEY_PREFIX}Person`;
/** What stands in for a selection every field of which was left out (a selection set may not be empty). */
const EMPTY_KEY = `${INTERNAL_KEY_PREFIX}Empty`;

/**
 * Which field of each type leads to the person its data is about (a path of fields, dot-separated,
 * where it takes more than one): `null` for Person itself (its `id`). The audit records the ids of the
 * persons whose data an answer holds; this is how the gateway finds them without depending on what
 * the caller selected.
 */
export const PERSON_LINKS: Readonly<Record<string, string | null>> = {
  Person: null,
  Application: 'applicant',
  Permit: 'holder',
  Payment: 'payer',
  Fine: 'person',
  // So that a write returning a crossing or a document (recordBorderCrossing, addTravelDocument) names its person.
  BorderCrossing: 'person',
  TravelDocument: 'holder',
  // Writes whose answers hold no other link: a fact recorded, an application submitted.
  PersonFact: 'person',
  SubmitApplicationPayload: 'application.applicant',
};

/** The most selections an operation may have with its fragments inlined: a full picture of a person has about a hundred, GraphiQL's introspection a few hundred. */
export const MAX_INLINED_SELECTIONS = 20_000;

/** One step of the path to a field that was left out: its response key and its declared type. */
export interface PathStep {
  key: string;
  type: GraphQLOutputType;
}

/** A field the caller may not see, where it was asked for. */
export interface Denial {
  coordinate: string;
  requirement: Requirement;
  path: PathStep[];
}

export interface FilteredOperation {
  /** The operation as it is executed: without the denied fields, fragments inlined, with the audit's person ids asked for. */
  document: DocumentNode;
  denials: Denial[];
  /** Protected fields (with an access requirement) that are served, as `Type.field`, sorted. */
  served: string[];
  /** True when the gateway added keys of its own (INTERNAL_KEY_PREFIX) that the answer must lose. */
  addsInternalKeys: boolean;
}

/**
 * The operation the caller may have: every field whose requirement its claims do not meet is left
 * out (and reported as a denial at its path), named fragments are inlined so that each place is
 * judged on its own, and wherever protected data about a person is served, the person's id is asked
 * for under an internal key so that the audit can name whose data was read.
 */
export function filterOperation(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  policy: AccessPolicy,
  claims: VerifiedClaims | null,
): FilteredOperation {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  const denials: Denial[] = [];
  const served = new Set<string>();
  let addsInternalKeys = false;

  const writes = operation.operation === 'mutation';
  const rootType = schema.getRootType(operation.operation);
  if (!rootType) throw new Error(`the schema has no ${operation.operation} type`);

  let walked = 0;
  /** Filters a selection set on `parentType`; `underProtected` when the field owning it is protected. */
  function filterSet(set: SelectionSetNode, parentType: GraphQLCompositeType, path: PathStep[], underProtected: boolean): SelectionSetNode {
    const selections: SelectionNode[] = [];
    let holdsProtected = false;
    for (const selection of set.selections) {
      // Inlining fragments that spread one another can multiply a small document without end (the
      // cost limit counts such a document, but not under introspection's __schema): refused past a bound.
      if ((walked += 1) > MAX_INLINED_SELECTIONS) {
        throw new GraphQLError(`The operation is too large once its fragments are inlined (over ${MAX_INLINED_SELECTIONS} selections).`, {
          extensions: { code: 'GRAPHQL_VALIDATION_FAILED', http: { status: 400 } },
        });
      }
      if (selection.kind === Kind.FIELD) {
        const kept = filterField(selection, parentType, path);
        if (kept) {
          selections.push(kept.node);
          holdsProtected ||= kept.protected;
        }
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const type = selection.typeCondition ? (schema.getType(selection.typeCondition.name.value) as GraphQLCompositeType) : parentType;
        const inner = filterSet(selection.selectionSet, type, path, underProtected);
        selections.push({ ...selection, selectionSet: inner });
      } else {
        const fragment = fragments.get(selection.name.value);
        if (!fragment) continue; // validation has made sure every spread names a fragment
        const type = schema.getType(fragment.typeCondition.name.value) as GraphQLCompositeType;
        const inner = filterSet(fragment.selectionSet, type, path, underProtected);
        selections.push({ kind: Kind.INLINE_FRAGMENT, typeCondition: fragment.typeCondition, directives: selection.directives, selectionSet: inner });
      }
    }
    const link = (underProtected || holdsProtected) && parentType.name in PERSON_LINKS ? personLink(parentType) : null;
    if (link) selections.push(link);
    const empty = !selections.some((selection) => selection.kind === Kind.FIELD);
    if (empty) selections.push(field('__typename', EMPTY_KEY));
    addsInternalKeys ||= link !== null || empty;
    return { kind: Kind.SELECTION_SET, selections };
  }

  function filterField(node: FieldNode, parentType: GraphQLCompositeType, path: PathStep[]): { node: FieldNode; protected: boolean } | null {
    const name = node.name.value;
    const definition = fieldOf(schema, parentType, name);
    if (!definition) return { node, protected: false }; // validation has made sure every field exists
    const coordinate = `${parentType.name}.${name}`;
    const requirement = policy.get(coordinate) ?? null;
    const step = { key: node.alias?.value ?? name, type: definition.type };
    if (requirement) {
      if (!isAllowed(requirement, claims)) {
        denials.push({ coordinate, requirement, path: [...path, step] });
        return null;
      }
      served.add(coordinate);
    }
    const isProtected = requirement !== null;
    const type = getNamedType(definition.type);
    if (!node.selectionSet || !isCompositeType(type)) return { node, protected: isProtected };
    // A write is about the persons its answer names, whatever the caller selected of them.
    return { node: { ...node, selectionSet: filterSet(node.selectionSet, type, [...path, step], isProtected || writes) }, protected: isProtected };
  }

  /**
   * `_dmxPerson: id` on a person, `_dmxPerson: applicant { id }` on an application,
   * `_dmxPerson: application { applicant { id } }` on a submission's payload, and so on; null when the
   * caller may not follow the link.
   */
  function personLink(type: GraphQLCompositeType): FieldNode | null {
    const via = PERSON_LINKS[type.name];
    if (via === null) return field('id', PERSON_KEY);
    const hops = via.split('.');
    let on: GraphQLCompositeType = type;
    for (const hop of hops) {
      if (!isAllowed(policy.get(`${on.name}.${hop}`) ?? null, claims)) return null;
      on = getNamedType(fieldOf(schema, on, hop)!.type) as GraphQLCompositeType;
    }
    const inner = hops.reduceRight<SelectionSetNode>((selections, hop) => ({ kind: Kind.SELECTION_SET, selections: [{ ...field(hop), selectionSet: selections }] }), {
      kind: Kind.SELECTION_SET,
      selections: [field('id')],
    });
    return { ...(inner.selections[0] as FieldNode), alias: { kind: Kind.NAME, value: PERSON_KEY } };
  }

  const selectionSet = filterSet(operation.selectionSet, rootType, [], false);
  return {
    document: { kind: Kind.DOCUMENT, definitions: [{ ...operation, selectionSet }] },
    denials,
    served: [...served].sort(),
    addsInternalKeys,
  };
}

/**
 * A field of a type, the introspection fields included: `__schema` and `__type` on the query type
 * lead into the introspection types, which are walked like any other, so that the fragments the
 * tools spread there (FullType, InputValue, TypeRef) are inlined too (no definition is kept).
 */
function fieldOf(schema: GraphQLSchema, type: GraphQLCompositeType, name: string): GraphQLField<unknown, unknown> | undefined {
  if (name === TypeNameMetaFieldDef.name) return TypeNameMetaFieldDef;
  if (type === schema.getQueryType() && name === SchemaMetaFieldDef.name) return SchemaMetaFieldDef;
  if (type === schema.getQueryType() && name === TypeMetaFieldDef.name) return TypeMetaFieldDef;
  return isObjectType(type) || isInterfaceType(type) ? type.getFields()[name] : undefined;
}

function field(name: string, alias?: string): FieldNode {
  return {
    kind: Kind.FIELD,
    name: { kind: Kind.NAME, value: name },
    ...(alias ? { alias: { kind: Kind.NAME, value: alias } } : {}),
  };
}
