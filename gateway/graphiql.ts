import type { ApolloServerPlugin } from '@apollo/server';
import { renderGraphiQL } from '@graphql-yoga/render-graphiql';

/** What a developer sees first in the IDE: the one-request person picture. */
const DEFAULT_QUERY = `# The registries graph of the State Migration Service.
# Open the schema (Docs) on the left; every type and field is described there.
# Run this, then copy an id into the second query.
query FirstPersons {
  persons(first: 5) {
    totalCount
    nodes { id givenName surname citizenship stateless }
  }
}

query PersonPicture($id: ID!) {
  person(id: $id) {
    givenName surname citizenship
    stayPeriods { entryDate exitDate days open }
    permits { kind number validUntil status }
    outstandingFines { offence amount { amount currency } paymentCode }
    applications { number type status dueOn payments { code status } }
  }
}
`;

/**
 * Serves GraphiQL at the gateway's URL when a browser asks for a page. The page carries the whole
 * IDE inline (scripts, styles, editor workers), so it works on a machine with no internet; Apollo's
 * default landing page loads its IDE from a CDN.
 */
export function offlineGraphiQL(): ApolloServerPlugin {
  return {
    async serverWillStart() {
      const html = renderGraphiQL({
        title: 'DMX registries graph',
        endpoint: '/',
        defaultQuery: DEFAULT_QUERY,
        method: 'POST',
      });
      return {
        async renderLandingPage() {
          return { html };
        },
      };
    },
  };
}
