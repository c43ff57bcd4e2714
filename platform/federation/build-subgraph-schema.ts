import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import { printSchemaWithDirectives } from '@graphql-tools/utils';
import { parse, type GraphQLSchema } from 'graphql';
import { buildSchema, createResolversMap, getMetadataStorage, type NonEmptyArray } from 'type-graphql';
import { enforceAccess } from '../../protocol/access';

/** The Federation 2 directives the subgraphs may use. */
const FEDERATION_LINK = `extend schema
  @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key", "@shareable", "@external", "@requires", "@provides", "@requiresScopes", "@authenticated"])
`;

const ROOT_DESCRIPTIONS = {
  Query: "Reads of the State Migration Service's registries (persons, applications, payments, permits) and of the rules behind their answers.",
  Mutation: 'Changes to the registries, each checked by the shared rules before anything is written.',
};

export interface ReferenceResolver<Context> {
  __resolveReference(reference: { id: string }, context: Context): unknown;
}

export interface SubgraphSchemaDefinition {
  /** type-graphql resolver classes; entity types and key-only references are found through them. */
  resolvers: NonEmptyArray<Function>;
  /** Types no resolver returns but the schema must contain (key-only references to other subgraphs' entities). */
  orphanedTypes?: Function[];
  /** `__resolveReference` per entity type this subgraph owns or extends. */
  referenceResolvers: Record<string, ReferenceResolver<never>>;
}

/**
 * Every object type whose plain fields may be read as properties is marked `simpleResolvers`, before
 * any schema is built: type-graphql then gives a plain field no resolver of its own, and graphql reads
 * the property (the JIT inlines the read) instead of calling a closure that allocates per field and
 * value. type-graphql's resolver is kept where it does more: for a type (or its interfaces) with a
 * middleware or `@Authorized` (which only it runs) or a field whose GraphQL name is not its property's. Field
 * resolvers (`@FieldResolver`, methods) are not plain fields and keep theirs. Access is not
 * type-graphql's: `enforceAccess` wraps the fields that declare `@requiresScopes`.
 */
function readPlainFieldsAsProperties(): void {
  const storage = getMetadataStorage();
  const needsResolvers = new Set<Function>([
    ...storage.middlewares.map(({ target }) => target),
    ...storage.resolverMiddlewares.map(({ target }) => target),
    ...storage.authorizedFields.map(({ target }) => target),
    ...storage.authorizedResolver.map(({ target }) => target),
    ...storage.fields.filter(({ name, schemaName }) => name !== schemaName).map(({ target }) => target),
  ]);
  for (const objectType of storage.objectTypes) {
    const targets = [objectType.target, ...(objectType.interfaceClasses ?? [])];
    if (!targets.some((target) => needsResolvers.has(target))) objectType.simpleResolvers ??= true;
  }
}

/**
 * type-graphql classes -> a Federation 2 subgraph schema. type-graphql prints the classes with their
 * `@key` and other directives, the federation `@link` is put in front, and `@apollo/subgraph` builds
 * the schema with `_service` and `_entities`; type-graphql's resolvers and the reference resolvers are
 * attached to it.
 */
export async function buildFederatedSchema(definition: SubgraphSchemaDefinition): Promise<GraphQLSchema> {
  readPlainFieldsAsProperties();
  const classSchema = await buildSchema({
    resolvers: definition.resolvers,
    orphanedTypes: definition.orphanedTypes,
    // A subgraph may have no Query of its own; federation adds the root fields.
    skipCheck: true,
    validate: false,
  });
  // type-graphql has no way to describe the root types; the contract describes every type.
  const query = classSchema.getQueryType();
  if (query) query.description = ROOT_DESCRIPTIONS.Query;
  const mutation = classSchema.getMutationType();
  if (mutation) mutation.description = ROOT_DESCRIPTIONS.Mutation;
  const resolvers = createResolversMap(classSchema) as GraphQLResolverMap<unknown>;
  for (const [typeName, reference] of Object.entries(definition.referenceResolvers)) {
    resolvers[typeName] = { ...(resolvers[typeName] as object), ...reference } as GraphQLResolverMap<unknown>[string];
  }
  // The subgraph checks the forwarded claims itself, field by field, as the schema declares.
  return enforceAccess(
    buildSubgraphSchema({
      typeDefs: parse(FEDERATION_LINK + printSchemaWithDirectives(classSchema)),
      resolvers,
    }),
  );
}
