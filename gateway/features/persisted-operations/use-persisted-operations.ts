import { isRegistryCall } from '../authorization/agencies';
import type { GatewayFeature } from '../feature';
import type { GatewayContext } from '../../http/context';
import { persistedOperations, type PersistedOperationsManifest, type PersistedOperationsMode } from './persisted-operations';

/** Persisted operations in a mode (persisted-operations.ts); the safelist binds partners, the registries' own calls are exempt. */
export function usePersistedOperations(options: { manifest: PersistedOperationsManifest; mode: PersistedOperationsMode }): GatewayFeature {
  const persisted = persistedOperations<GatewayContext>(options.manifest, options.mode, { appliesTo: (context) => !isRegistryCall(context.claims) });
  return { name: 'persisted-operations', apolloPlugins: [persisted.plugin], apolloOptions: { persistedQueries: persisted.persistedQueries } };
}
