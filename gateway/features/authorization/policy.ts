import { buildASTSchema, parse } from 'graphql';
import { fieldRequirements, type Requirement } from '../../../protocol/access';

/** What each field of the graph asks of its caller, by coordinate (`Type.field`); absent means public. */
export type AccessPolicy = ReadonlyMap<string, Requirement>;

/**
 * Reads the access directives (`@requiresScopes`, `@authenticated`) the subgraphs declared, as
 * composed into the supergraph. Federation merges a field's requirements from every subgraph that
 * defines it; the supergraph keeps them, the API schema does not.
 */
export function accessPolicy(supergraphSdl: string): AccessPolicy {
  // The supergraph is plain GraphQL SDL; graphql-js keeps each field's directives on its AST node.
  const schema = buildASTSchema(parse(supergraphSdl), { assumeValidSDL: true });
  return new Map(fieldRequirements(schema).map(({ coordinate, requirement }) => [coordinate, requirement]));
}

/**
 * The supergraph as `@apollo/gateway` is given it. The gateway refuses a supergraph that links a
 * feature `for: SECURITY` it does not enforce itself, rightly: an unenforced `@requiresScopes` would
 * be silently open. This gateway enforces those features in its authorization plugin (built from
 * the original SDL, see accessPolicy), so the purpose marker of exactly these two features is
 * dropped; any other security feature still stops the gateway.
 */
export function supergraphForExecution(supergraphSdl: string): string {
  return supergraphSdl.replace(
    /(@link\(url: "https:\/\/specs\.apollo\.dev\/(?:requiresScopes|authenticated)\/v[0-9.]+"), for: SECURITY\)/g,
    '$1)',
  );
}
