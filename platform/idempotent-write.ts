import { GraphQLError } from 'graphql';
import { ErrorCode } from '../protocol/error-codes';

/**
 * A write's details as they are compared: each value normalised the way the store keeps it (an
 * amount as '350.00', a date as 'YYYY-MM-DD'). A detail left undefined was not sent (a default was
 * applied to it) and is not compared.
 */
export type WriteDetails = Readonly<Record<string, string | null | undefined>>;

/** The details that were sent and differ from those on record, in the order they were sent. */
export function differingDetails(sent: WriteDetails, recorded: WriteDetails): string[] {
  return Object.keys(sent).filter((name) => sent[name] !== undefined && sent[name] !== recorded[name]);
}

/** A key sent again with other details: refused, so that a second write is never answered with the first one's result. */
export function idempotencyKeyReused(field: string, differing: readonly string[]): GraphQLError {
  return new GraphQLError(
    `${field} is on record for a write with other details (${differing.join(', ')}): a retry must repeat the write exactly, a new write needs a new key.`,
    { extensions: { code: ErrorCode.IDEMPOTENCY_KEY_REUSED, field, differing: [...differing] } },
  );
}

/** One write taken once per key (an idempotency key, a feed's record id, a document's number). */
export interface OnceWrite<Recorded> {
  /** The argument that carries the key, named in a refusal (e.g. 'input.idempotencyKey'). */
  keyField: string;
  /** What was sent. */
  sent: WriteDetails;
  /** What is on record under the key, or null. */
  recorded(): Promise<Recorded | null>;
  /** The details of what is on record, in the shape of `sent`. */
  detailsOf(recorded: Recorded): WriteDetails;
  /**
   * Makes the write, when nothing was on record under the key: what it wrote, or null when it wrote
   * nothing (the key was taken meanwhile, as the store's unique constraint tells; or the write's own
   * condition failed). It may refuse with an error of its own.
   */
  write(): Promise<Recorded | null>;
  /** The refusal of a key on record with other details; IDEMPOTENCY_KEY_REUSED at `keyField` by default. */
  refuse?(differing: readonly string[], recorded: Recorded): GraphQLError;
}

export type OnceOutcome<Recorded> =
  /** Written now. */
  | { kind: 'written'; recorded: Recorded }
  /** Written before (a retry, or the winner of a race), with the same details: the same answer. */
  | { kind: 'repeated'; recorded: Recorded }
  /** Not written, and nothing on record under the key: the write's own condition failed (the caller says why). */
  | { kind: 'not-written' };

/**
 * The one mechanism of every idempotent write: what is on record under the key is looked up first
 * (a retry costs one read); otherwise the write is made, and the store's unique constraint decides
 * which of racing writes is taken. Whatever was taken is compared, detail by detail, with what was
 * sent: the same details are the same write and get its answer; any difference is refused. So a
 * reused key never passes one write off as another, however many arrive at once.
 */
export async function writeOnce<Recorded>(once: OnceWrite<Recorded>): Promise<OnceOutcome<Recorded>> {
  const earlier = await once.recorded();
  if (earlier) return compare(once, earlier);
  const written = await once.write();
  if (written) return { kind: 'written', recorded: written };
  const winner = await once.recorded();
  return winner ? compare(once, winner) : { kind: 'not-written' };
}

function compare<Recorded>(once: OnceWrite<Recorded>, recorded: Recorded): OnceOutcome<Recorded> {
  const differing = differingDetails(once.sent, once.detailsOf(recorded));
  if (differing.length > 0) throw once.refuse ? once.refuse(differing, recorded) : idempotencyKeyReused(once.keyField, differing);
  return { kind: 'repeated', recorded };
}

/** True for a unique constraint violation (SQLSTATE 23505), on PGlite and PostgreSQL alike. */
export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  const candidate = error as { code?: string; constraint?: string; message?: string } | null;
  if (candidate?.code !== '23505') return false;
  return constraint === undefined || candidate.constraint === constraint || Boolean(candidate.message?.includes(constraint));
}
