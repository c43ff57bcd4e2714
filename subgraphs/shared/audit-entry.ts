/**
 * What the gateway records of one operation that touched protected (personal) data, as it sends it
 * to the audit subgraph (the contract between the two).
 */
export interface AuditEntry {
  agency: string | null;
  subject: string | null;
  purpose: string | null;
  /** The operation's name, or its kind when it has none. */
  operation: string;
  /** The protected fields served, as `Type.field`. */
  fields: readonly string[];
  /** The persons whose data the answer held. */
  personIds: readonly string[];
  requestId: string;
  /** SERVED, PARTIAL (with errors), ERROR, or the code the request was refused with. */
  outcome: string;
}

