import { z } from 'zod';

/** The longest token subject an entry holds; the gateway refuses tokens with a longer one. */
export const MAX_SUBJECT_LENGTH = 200;

/** The longest operation name an entry holds; the gateway cuts longer names to it. */
export const MAX_OPERATION_LENGTH = 200;

/**
 * What the gateway records of one operation that touched protected (personal) data, as it sends it
 * to the audit subgraph (the contract between the two). The audit subgraph checks what it receives
 * against this schema; the gateway keeps within its limits, so that no caller's input fails a batch.
 */
export const auditEntrySchema = z.object({
  agency: z.string().max(100).nullable(),
  subject: z.string().max(MAX_SUBJECT_LENGTH).nullable(),
  purpose: z.string().max(64).nullable(),
  /** The operation's name, or its kind when it has none. */
  operation: z.string().max(MAX_OPERATION_LENGTH),
  /** The protected fields served, as `Type.field`. */
  fields: z.array(z.string().max(200)).max(1000),
  /** The persons whose data the answer held. */
  personIds: z.array(z.string().regex(/^[0-9A-Za-z-]{1,64}$/)).max(100_000),
  /** The caller's request id (x-request-id), to correlate with the logs; the caller may choose it, so it is not unique. */
  requestId: z.string().max(128),
  /**
   * The record's own id, made by the gateway once per record and sent again with every retry of it:
   * the audit log stores a record once per id, so a retried or replayed POST adds nothing. Not the
   * request id, which the caller chooses: reused, it would let a caller have its own reads dropped.
   */
  entryId: z.string().regex(/^[0-9A-Za-z._:-]{8,128}$/),
  /** SERVED, PARTIAL (with errors), ERROR, or the code the request was refused with. */
  outcome: z.string().max(64),
});

export type AuditEntry = z.infer<typeof auditEntrySchema>;

/**
 * The largest POST of records the audit log takes: more than the largest entry the schema allows
 * (100,000 ids of 64 characters and a thousand fields of 200, under 7.5 MB as JSON), so that any
 * entry the gateway may send is taken, alone if need be.
 */
export const AUDIT_INTAKE_MAX_BYTES = 16 * 2 ** 20;

/**
 * How much the gateway puts in one POST of records: entries of requests answered together go
 * together up to this size, and a larger entry goes alone. Well under the intake's limit, so the
 * entries of many requests never add up to a POST the audit log refuses (with them, every request
 * whose entry was in it).
 */
export const AUDIT_POST_BYTES = 2 ** 20;
