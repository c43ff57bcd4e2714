import type { AggregateDisclosure } from './aggregates';
/**
 * What every resolver receives. Built once per request by the shared bootstrap; the subgraph adds
 * its services with their per-request loaders, so nothing cached outlives the request.
 */
export interface RequestContext<Services = unknown> {
  /** Correlates logs and, later, audit records across the gateway and the subgraphs. */
  requestId: string;
  /** Verified claims of the caller, forwarded by the gateway; null for a request without a token. */
  claims: ForwardedClaims | null;
  /** Today's date in Baku, the default evaluation date of rules. */
  today: string;
  /** The subgraph's services for this request; they own the request's DataLoaders. */
  services: Services;
  /** What this caller may be told of counts: whole, or withheld under AGGREGATE_MIN_COUNT (aggregates.ts). */
  aggregates: AggregateDisclosure;
}

/** Who is asking: the claims of the caller's verified token, as the gateway forwards them. */
export interface VerifiedClaims {
  agency: string;
  subject: string;
  scopes: readonly string[];
}

/**
 * The claims as a registry receives them. A read the gateway sends for several requests at once
 * (`gateway/fetch-batching.ts`) may serve several officers of one agency holding the same scopes: it
 * names every one of them. A write always names one (the registries refuse a write naming several).
 */
export interface ForwardedClaims {
  agency: string;
  /** The officers the fetch serves: one, or for a joined read up to MAX_BATCHED_REQUESTS, each once. */
  subjects: readonly string[];
  scopes: readonly string[];
}

/** The header a caller declares its purpose of use in (issue 5, item 3). */
export const PURPOSE_HEADER = 'x-dmx-purpose';

const ONE_REQUEST_ID = '[A-Za-z0-9._:-]{1,128}';

/** A caller's x-request-id is kept when it has this shape; otherwise one is made. */
export const REQUEST_ID = new RegExp(`^${ONE_REQUEST_ID}$`);

/** At most this many of the gateway's requests share one subgraph fetch (fetch-batching.ts). */
export const MAX_BATCHED_REQUESTS = 64;

/**
 * The x-request-id of a subgraph fetch: one request id, or the ids of the requests a batched fetch
 * answers, joined by commas, so that a registry's log line names every request it served.
 */
export const SUBGRAPH_REQUEST_ID = new RegExp(`^${ONE_REQUEST_ID}(?:,${ONE_REQUEST_ID}){0,${MAX_BATCHED_REQUESTS - 1}}$`);

/** The gateway forwards the verified claims to the subgraphs in this header, covered by its signature. */
export const CLAIMS_HEADER = 'x-dmx-claims';

/** The header for one caller's request: its verified claims. */
export function encodeClaims(claims: VerifiedClaims): string {
  return Buffer.from(JSON.stringify(claims), 'utf8').toString('base64url');
}

/** The claims a header carries, unchecked; null when it is not base64url JSON. */
function readClaimsHeader(header: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(Buffer.from(header, 'base64url').toString('utf8'));
    return value && typeof value === 'object' ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

const isStringList = (value: unknown): value is string[] => Array.isArray(value) && value.every((each) => typeof each === 'string');

/** Claims but the subject, the same whatever order their fields and scopes are in. */
function withoutSubject(claims: Record<string, unknown>): string {
  const { subject: _, ...rest } = claims;
  return JSON.stringify(
    Object.keys(rest)
      .sort()
      .map((name) => [name, name === 'scopes' && isStringList(rest.scopes) ? [...rest.scopes].sort() : rest[name]]),
  );
}

/**
 * A claims header as fetch batching needs it: what requests must have in common to share one fetch
 * (every claim but the subject, so that every request of the fetch may read the same fields,
 * whatever claims are added later), and the officer it names. A header that cannot be read is a key
 * of its own.
 */
export function claimsForJoining(header: string): { key: string; subject: string | null } {
  const value = readClaimsHeader(header);
  if (!value || typeof value.subject !== 'string') return { key: `unreadable ${header}`, subject: null };
  return { key: withoutSubject(value), subject: value.subject };
}

/**
 * The header of one fetch serving requests whose headers have the same key (claimsForJoining): their
 * other claims, and every officer they come from, each once, in order of first appearance.
 */
export function joinClaims(headers: readonly string[]): string {
  if (headers.every((header) => header === headers[0])) return headers[0];
  const subjects = new Set<string>();
  let shared: { claims: Record<string, unknown>; key: string } | null = null;
  for (const header of headers) {
    const value = readClaimsHeader(header);
    if (!value || typeof value.subject !== 'string') throw new Error('joinClaims: a header without one subject');
    const key = withoutSubject(value);
    shared ??= { claims: value, key };
    if (key !== shared.key) throw new Error('joinClaims: headers whose other claims differ');
    subjects.add(value.subject);
  }
  if (subjects.size === 1) return headers[0];
  const { subject: _, ...others } = shared!.claims;
  return Buffer.from(JSON.stringify({ ...others, subjects: [...subjects] }), 'utf8').toString('base64url');
}

/**
 * The forwarded claims, or null when there are none (a public request) or they are malformed: one
 * `subject`, or `subjects` naming two to MAX_BATCHED_REQUESTS distinct officers.
 */
export function decodeClaims(header: string | undefined): ForwardedClaims | null {
  if (!header) return null;
  const value = readClaimsHeader(header);
  if (!value || typeof value.agency !== 'string' || !isStringList(value.scopes)) return null;
  const { agency, scopes } = value;
  if (typeof value.subject === 'string' && value.subjects === undefined) return { agency, subjects: [value.subject], scopes };
  const { subjects } = value;
  const joined = value.subject === undefined && isStringList(subjects) && subjects.length >= 2 && subjects.length <= MAX_BATCHED_REQUESTS && new Set(subjects).size === subjects.length;
  return joined ? { agency, subjects, scopes } : null;
}

/** One caller's claims as a registry receives them. */
export function forwarded(claims: VerifiedClaims): ForwardedClaims {
  return { agency: claims.agency, subjects: [claims.subject], scopes: claims.scopes };
}

/** The one officer a request comes from, as `agency:subject`; null without claims or for a read serving several. */
export function callerOf(claims: ForwardedClaims | null): string | null {
  return claims && claims.subjects.length === 1 ? `${claims.agency}:${claims.subjects[0]}` : null;
}

/** The time zone the Migration Code's days are counted in. */
export const REGISTRY_TIME_ZONE = 'Asia/Baku';

/** Built once: building an Intl formatter costs about 0.1 ms of CPU, formatting with one very little. */
const BAKU_DATE = new Intl.DateTimeFormat('en-CA', { timeZone: REGISTRY_TIME_ZONE, year: 'numeric', month: '2-digit', day: '2-digit' });

/** The calendar date in Baku at `instant`, 'YYYY-MM-DD'. */
export function dateInBaku(instant: Date): string {
  return BAKU_DATE.format(instant);
}
