import { GraphQLError } from 'graphql';
import { GraphClientError, type GraphClient } from '../../platform/graph-client';

/** What the permits registry needs to know of the application a permit is issued on. */
export interface ApplicationOnRecord {
  id: string;
  status: string;
}

/** The application with this tracking number, or null when the applications registry has none. */
export type ApplicationLookup = (number: string) => Promise<ApplicationOnRecord | null>;

/**
 * The applications registry owns applications: asked through the graph by the public tracking number
 * (PAY-01), whose id and status need no scope beyond the registry's own.
 */
const APPLICATION_ON_RECORD = /* GraphQL */ `
  query ApplicationOnRecord($number: String!) {
    applicationByNumber(number: $number) {
      id
      status
    }
  }
`;

const OUT_OF_REACH = new Set(['SUBGRAPH_UNAVAILABLE', 'AUDIT_UNAVAILABLE', 'SERVER_BUSY', 'RATE_LIMITED']);

export function applicationLookupThroughGraph(graph: GraphClient, requestId: string): ApplicationLookup {
  return async (number) => {
    try {
      const { applicationByNumber } = await graph.query<{ applicationByNumber: ApplicationOnRecord | null }>(APPLICATION_ON_RECORD, { number }, requestId);
      return applicationByNumber;
    } catch (error) {
      if (error instanceof GraphClientError && error.codes.every((code) => OUT_OF_REACH.has(code))) {
        throw new GraphQLError('The applications registry cannot be reached to check the application: nothing was written; retry later.', {
          extensions: { code: 'SUBGRAPH_UNAVAILABLE', registry: 'applications' },
        });
      }
      throw error;
    }
  };
}
