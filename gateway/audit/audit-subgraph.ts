import 'reflect-metadata';
import type { GraphQLDataSource, GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { graphql, type GraphQLSchema } from 'graphql';
import { Arg, Ctx, Directive, Field, FieldResolver, ID, Int, ObjectType, Resolver, Root } from 'type-graphql';
import { RequiresScopes } from '../../subgraphs/shared/access';
import { badUserInput } from '../../subgraphs/shared/errors';
import { buildFederatedSchema } from '../../subgraphs/shared/federation/build-subgraph-schema';
import type { VerifiedClaims } from '../../subgraphs/shared/context';
import type { AuditLog } from './audit-log';

/**
 * The audit as part of the graph: `Person.dataAccessLog` lets oversight see who read a person's data,
 * when and why. It is served by the gateway itself, in process (the audit log is the gateway's), as a
 * fifth subgraph composed like the others.
 */
export const AUDIT_SUBGRAPH = { name: 'audit', url: 'in-process:audit' } as const;

interface AuditContext {
  claims: VerifiedClaims | null;
  audit: AuditLog;
}

@ObjectType({ description: "One recorded read of a person's data (audit of personal data access)." })
class DataAccessRecord {
  @Field(() => Int, { description: 'Position in the hash-chained audit log.' })
  seq: number;

  @Field(() => String, { description: 'When it was recorded (ISO 8601, UTC).' })
  at: string;

  @Field(() => String, { nullable: true, description: 'The agency that read.' })
  agency: string | null;

  @Field(() => String, { nullable: true, description: 'The user (token subject) that read.' })
  subject: string | null;

  @Field(() => String, { nullable: true, description: 'The purpose of use declared.' })
  purpose: string | null;

  @Field(() => String, { description: 'The operation, by name (or its kind when unnamed).' })
  operation: string;

  @Field(() => [String], { description: 'The protected fields served, as Type.field.' })
  fields: readonly string[];

  @Field(() => String, { description: 'SERVED, PARTIAL, ERROR, or the code the request was refused with.' })
  outcome: string;

  @Field(() => String, { description: 'The request id, to correlate with the logs.' })
  requestId: string;
}

@Directive('@key(fields: "id")')
@ObjectType({ description: 'A foreigner or stateless person known to the State Migration Service (persons registry).' })
class Person {
  @Field(() => ID, { description: 'Stable registry identifier (UUID).' })
  id: string;
}

@Resolver(() => Person)
class PersonAuditResolver {
  @RequiresScopes('audit:read')
  @FieldResolver(() => [DataAccessRecord], {
    nullable: true,
    description: "Who read this person's data, when and for which purpose, newest first (audit of personal data access).",
  })
  async dataAccessLog(
    @Root() person: Person,
    @Arg('first', () => Int, { defaultValue: 50, description: 'How many records, newest first (1 to 500).' }) first: number,
    @Ctx() context: AuditContext,
  ): Promise<DataAccessRecord[]> {
    if (!Number.isInteger(first) || first < 1 || first > 500) throw badUserInput('first must be from 1 to 500', 'first');
    return context.audit.forPerson(person.id, first);
  }
}

export function auditSubgraphSchema(): Promise<GraphQLSchema> {
  return buildFederatedSchema({
    resolvers: [PersonAuditResolver],
    orphanedTypes: [Person, DataAccessRecord],
    referenceResolvers: { Person: { __resolveReference: (reference: { id: string }) => reference } },
  });
}

/** The audit subgraph as the gateway calls it: in process, with the caller's verified claims. */
export class AuditDataSource implements GraphQLDataSource<{ claims?: VerifiedClaims | null }> {
  constructor(
    private readonly schema: GraphQLSchema,
    private readonly audit: AuditLog,
  ) {}

  async process(options: GraphQLDataSourceProcessOptions<{ claims?: VerifiedClaims | null }>) {
    const { request, context } = options;
    const contextValue: AuditContext = { claims: (context as { claims?: VerifiedClaims | null }).claims ?? null, audit: this.audit };
    const result = await graphql({ schema: this.schema, source: request.query!, variableValues: request.variables, operationName: request.operationName, contextValue });
    return result as Awaited<ReturnType<GraphQLDataSource['process']>>;
  }
}
