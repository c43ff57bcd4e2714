import { MAX_BATCHED_REQUESTS } from './headers';

/** Who is asking: the claims of the caller's verified token, as the gateway forwards them. */
export interface VerifiedClaims {
  agency: string;
  subject: string;
  scopes: readonly string[];
}

/**
 * The claims as a registry receives them. A read the gateway sends for several requests at once
 * (`gateway/subgraph-fetch/fetch-batching.ts`) may serve several officers of one agency holding the same scopes: it
 * names every one of them. A write always names one (the registries refuse a write naming several).
 */
export interface ForwardedClaims {
  agency: string;
  /** The officers the fetch serves: one, or for a joined read up to MAX_BATCHED_REQUESTS, each once. */
  subjects: readonly string[];
  scopes: readonly string[];
}

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
