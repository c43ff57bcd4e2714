import { Directive } from 'type-graphql';
import type { Scope } from '../protocol/access';

// Apart from access.ts, so that the gateway, which reads requirements from the supergraph, never loads
// type-graphql: only the registries build schemas from classes.

/**
 * Declares that a field needs one of the given scope sets: `RequiresScopes('a', ['b', 'c'])` is
 * "a, or b and c together" (Federation's `@requiresScopes(scopes: [["a"], ["b", "c"]])`).
 */
export function RequiresScopes(...alternatives: (Scope | readonly Scope[])[]): ReturnType<typeof Directive> {
  const scopes = alternatives.map((alternative) => (typeof alternative === 'string' ? [alternative] : [...alternative]));
  return Directive(`@requiresScopes(scopes: ${JSON.stringify(scopes)})`);
}
