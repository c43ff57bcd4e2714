import { GraphQLError } from 'graphql';
import { GraphClientError, type GraphClient } from './graph-client';

/** What a registry's write needs to know of the person it is about (payments: a fine; permits: a fact). */
export interface PersonOnRecord {
  birthDate: string;
}

/** The person on record in the persons registry, or null when it has no person with this id. */
export type PersonLookup = (personId: string) => Promise<PersonOnRecord | null>;

/**
 * Only the persons registry owns persons: another registry asks it through the graph, as the registry
 * (its token, its CASE_PROCESSING purpose), so the read is authorized and audited like anyone's.
 */
const PERSON_ON_RECORD = /* GraphQL */ `
  query PersonOnRecord($id: ID!) {
    person(id: $id) {
      birthDate
    }
  }
`;

/** Answers that mean the persons registry could not be asked now (nothing is known, so nothing is written). */
const OUT_OF_REACH = new Set(['SUBGRAPH_UNAVAILABLE', 'AUDIT_UNAVAILABLE', 'SERVER_BUSY', 'RATE_LIMITED']);

export function personLookupThroughGraph(graph: GraphClient, requestId: string): PersonLookup {
  return async (personId) => {
    try {
      const { person } = await graph.query<{ person: PersonOnRecord | null }>(PERSON_ON_RECORD, { id: personId }, requestId);
      return person;
    } catch (error) {
      if (error instanceof GraphClientError && error.codes.every((code) => OUT_OF_REACH.has(code))) {
        throw new GraphQLError('The persons registry cannot be reached to check the person: nothing was written; retry later.', {
          extensions: { code: 'SUBGRAPH_UNAVAILABLE', registry: 'persons' },
        });
      }
      throw error;
    }
  };
}
