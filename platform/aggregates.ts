import { GraphQLError } from 'graphql';
import type { Scope } from '../protocol/access';
import type { ForwardedClaims } from '../protocol/claims';

/**
 * Aggregates reveal no individual (issue 18, item 1). A caller who may read the records themselves
 * gets every count whole; a caller who may only count them (aggregates:read, the internal dashboard)
 * gets a count only when it is at least the registry's threshold (AGGREGATE_MIN_COUNT): a smaller
 * group, an empty one included, could single a person out, so it is given as null, and the answer
 * says below which number counts are withheld (`suppressedBelow`).
 */
export const DEFAULT_AGGREGATE_MIN_COUNT = 10;

/** What one request's caller may be told of counts. */
export class AggregateDisclosure {
  constructor(
    private readonly claims: Pick<ForwardedClaims, 'scopes'> | null,
    /** Counts below this are withheld from a caller who may not read the records counted. */
    readonly minCount: number,
  ) {
    if (!Number.isInteger(minCount) || minCount < 1) throw new Error('the aggregate threshold must be a positive integer');
  }

  /** True when the caller holds every one of `recordScopes`: it may read the records counted, so it may count them exactly. */
  readsRecords(recordScopes: readonly Scope[]): boolean {
    const held = this.claims?.scopes ?? [];
    return recordScopes.every((scope) => held.includes(scope));
  }

  /** A count as the caller may see it: whole for a reader of the records, else null when under the threshold. */
  count(count: number, recordScopes: readonly Scope[]): number | null {
    return this.readsRecords(recordScopes) || count >= this.minCount ? count : null;
  }

  /** The threshold this caller's counts are withheld under; null when it gets every count whole. */
  suppressedBelow(recordScopes: readonly Scope[]): number | null {
    return this.readsRecords(recordScopes) ? null : this.minCount;
  }
}

/**
 * An argument a caller who may only count may not use (a cursor, a surname, a day of birth): FORBIDDEN
 * naming the argument. The schema cannot say it (`@requiresScopes` is for fields), so the registry does.
 */
export function forbiddenArgument(field: string, coordinate: string, reason: string): GraphQLError {
  return new GraphQLError(`Forbidden: ${coordinate} ${reason}`, { extensions: { code: 'FORBIDDEN', field } });
}
