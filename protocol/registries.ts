// The services behind the gateway, by name, and where they listen when the environment says nothing.

export type SubgraphName = 'persons' | 'applications' | 'payments' | 'permits' | 'audit';

/** The four registries, and the audit log of personal data access (its own service, owned by oversight). */
export const SUBGRAPH_NAMES: readonly SubgraphName[] = ['persons', 'applications', 'payments', 'permits', 'audit'];

/** Default ports when the environment names none; the gateway listens on 4000. */
export const DEFAULT_SUBGRAPH_PORTS: Record<SubgraphName, number> = {
  persons: 4001,
  applications: 4002,
  payments: 4003,
  permits: 4004,
  audit: 4005,
};

/** Default operations listeners (metrics, health, ready) when <NAME>_OPS_PORT says nothing; the gateway's is 9464 (OPS_PORT). */
export const DEFAULT_OPS_PORTS: Record<SubgraphName, number> = {
  persons: 9465,
  applications: 9466,
  payments: 9467,
  permits: 9468,
  audit: 9469,
};
