import { printSchema, type GraphQLSchema } from 'graphql';
import { answerRefusal } from '../../http/refusal';
import { answerWhole, serveStaticAsset, StaticAsset } from '../../http/static-asset';
import { unauthenticated } from '../authentication/tokens';
import { withAccessNotes } from '../authorization/contract-notes';
import type { AccessPolicy } from '../authorization/policy';
import type { GatewayFeature } from '../feature';

/** Where a partner fetches the contract: the graph's schema as `schema/api.graphql` has it. */
export const CONTRACT_PATH = '/schema.graphql';

/**
 * The partners' contract over HTTP, for any caller with a valid token (of any agency): the API schema
 * the gateway serves, each field's description ending with who may read it, as `schema/api.graphql`
 * is written. Introspection is off in production; this is how a partner's tools (graphql-codegen's
 * schema from a URL, curl) get the schema from the gateway they call. It holds no data, so it needs no
 * purpose and is not audited; it asks for a token so that only partners see the contract.
 */
export function useContract(options: { policy: AccessPolicy }): GatewayFeature {
  let apiSchema: GraphQLSchema | undefined;
  let contract: StaticAsset | undefined;
  return {
    name: 'contract',
    pagePaths: [CONTRACT_PATH],
    apolloPlugins: [
      {
        async serverWillStart() {
          return {
            schemaDidLoadOrUpdate(loaded) {
              // Printed when first asked for, not at every start.
              apiSchema = loaded.apiSchema;
              contract = undefined;
            },
          };
        },
      },
    ],
    page(req) {
      if (new URL(req.url ?? '/', 'http://gateway').pathname !== CONTRACT_PATH) return undefined;
      return async (res, { claims }) => {
        if (req.method !== 'GET' && req.method !== 'HEAD') {
          answerWhole(req, res, 405, { allow: 'GET, HEAD', 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' }, `${CONTRACT_PATH} is read with GET or HEAD.\n`);
          return;
        }
        // A token the gateway refused never gets here (401 with its challenge, counted against the address).
        if (!claims) {
          // No credentials at all: the bare challenge, with no error code (RFC 6750, 3.1).
          answerRefusal(req, res, unauthenticated('the contract is given to partners: send "Authorization: Bearer <token>"', null));
          return;
        }
        // Apollo Server has started, and so loaded the schema, before the gateway listens.
        if (!apiSchema) throw new Error('The contract was asked for before the schema was loaded');
        contract ??= new StaticAsset('text/plain; charset=utf-8', Buffer.from(`${printSchema(withAccessNotes(apiSchema, options.policy)).trim()}\n`));
        // The same address always: a client asks again each time and gets 304 while the schema is the same.
        await serveStaticAsset(req, res, contract, { cacheControl: 'private, no-cache', headers: { 'x-content-type-options': 'nosniff' } });
      };
    },
  };
}

