import type { ApolloServerPlugin } from '@apollo/server';

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
 * Serves GraphiQL at the gateway's URL when a browser asks for a page (development only). With
 * `headers`, the header editor starts with them: a development token and purpose, so that the
 * example queries answer at once; `npm run token` mints others. The page carries the whole
 * IDE inline (scripts, styles, editor workers), so it works on a machine with no internet; Apollo's
 * default landing page loads its IDE from a CDN.
 */
export function offlineGraphiQL(options: { headers?: () => Promise<Record<string, string>> } = {}): ApolloServerPlugin {
  return {
    async serverWillStart() {
      return {
        async renderLandingPage() {
          // Rendered per visit, so that the headers (a fresh development token) are never stale.
          return {
            html: async () =>
              // Loaded on the first visit: the module holds the whole IDE (43 MiB of RSS, measured), which a
              // gateway that never shows it (production) should not carry.
              (await import('@graphql-yoga/render-graphiql')).renderGraphiQL({
                title: 'DMX registries graph',
                endpoint: '/',
                defaultQuery: DEFAULT_QUERY,
                method: 'POST',
                ...(options.headers ? { headers: JSON.stringify(await options.headers(), null, 2) } : {}),
              }),
          };
        },
      };
    },
  };
}
