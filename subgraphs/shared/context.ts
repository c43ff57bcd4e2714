/**
 * What every resolver receives. Built once per request by the shared bootstrap; the subgraph adds
 * its services with their per-request loaders, so nothing cached outlives the request.
 */
export interface RequestContext<Services = unknown> {
  /** Correlates logs and, later, audit records across the gateway and the subgraphs. */
  requestId: string;
  /**
   * Verified claims of the caller forwarded by the gateway; null until partner authentication is
   * in place (issue: partner agencies), and for public operations.
   */
  claims: VerifiedClaims | null;
  /** Today's date in Baku, the default evaluation date of rules. */
  today: string;
  /** The subgraph's services for this request; they own the request's DataLoaders. */
  services: Services;
}

export interface VerifiedClaims {
  agency: string;
  subject: string;
  scopes: readonly string[];
  purpose?: string;
}

/** The time zone the Migration Code's days are counted in. */
export const REGISTRY_TIME_ZONE = 'Asia/Baku';

/** The calendar date in Baku at `instant`, 'YYYY-MM-DD'. */
export function dateInBaku(instant: Date): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone: REGISTRY_TIME_ZONE,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(instant);
}
