import { buildASTSchema, isInterfaceType, isObjectType, parse } from 'graphql';
import { requirementOf, type Requirement } from '../../subgraphs/shared/access';

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
  const policy = new Map<string, Requirement>();
  for (const type of Object.values(schema.getTypeMap())) {
    if ((!isObjectType(type) && !isInterfaceType(type)) || type.name.startsWith('__')) continue;
    // The Router reads a type's requirement as one on every field returning it; this gateway asks for
    // requirements on fields, where a reader of the schema sees them, and refuses to start otherwise.
    if (requirementOf(type.astNode?.directives)) throw new Error(`${type.name}: access directives belong on fields, not on types`);
    for (const field of Object.values(type.getFields())) {
      const requirement = requirementOf(field.astNode?.directives);
      if (requirement) policy.set(`${type.name}.${field.name}`, requirement);
    }
  }
  return policy;
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
