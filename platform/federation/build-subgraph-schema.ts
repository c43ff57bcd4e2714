import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import { printSchemaWithDirectives } from '@graphql-tools/utils';
import { parse, type GraphQLSchema } from 'graphql';
import { buildSchema, createResolversMap, type NonEmptyArray } from 'type-graphql';
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
 * type-graphql classes -> a Federation 2 subgraph schema. type-graphql prints the classes with their
 * `@key` and other directives, the federation `@link` is put in front, and `@apollo/subgraph` builds
 * the schema with `_service` and `_entities`; type-graphql's resolvers and the reference resolvers are
 * attached to it.
 */
export async function buildFederatedSchema(definition: SubgraphSchemaDefinition): Promise<GraphQLSchema> {
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
