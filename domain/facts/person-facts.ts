import { temporaryResidencePermitsOf, type PermitRecord } from './permit-facts';
import type {
  CrossingFact,
  ExemptionClaim,
  FineFact,
  IsoDate,
  PermanentResidenceFacts,
  PermanentResidenceGroundId,
  RecordedFact,
  RecordedRefusalId,
  WithdrawalFact,
  WorkPermitExemptionId,
} from '../rules';

/** The kinds of fact about a person the rules read, each recorded with its evidence (permits registry). */
export type PersonFactKind =
  | 'WORK_PERMIT_EXEMPTION'
  | 'PERMANENT_RESIDENCE_GROUND'
  | 'PERMANENT_RESIDENCE_REFUSAL_GROUND'
  | 'LAWFUL_INCOME'
  | 'CONSTITUTION_UNDERTAKING'
  | 'STATE_LANGUAGE_KNOWLEDGE';

/** A recorded fact in the fields the rules read. */
export interface PersonFactRecord {
  kind: PersonFactKind | string;
  ruleId: string | null;
  /** true: the Service established that it holds; false: checked, and it does not. */
  established: boolean;
  amountAzn: number | null;
  businessTripDaysInYear: number | null;
  fieldSetByCabinet: boolean | null;
  spouseRegisteredAtResidence: boolean | null;
  validFrom: IsoDate;
  validUntil: IsoDate | null;
}

const range = (prefix: string, from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => `${prefix}${String(from + i).padStart(2, '0')}`);

/**
 * The rule each kind of fact is recorded under. WP-EX-01 is the permanent residence permit itself, PR-RF-10
 * comes from the crossings and PR-RF-16 from the fines: none of these is recorded as a fact. PR-RF-07/08 are
 * withdrawals: established from the day of the withdrawal (validFrom), ruled out (or cured by another
 * document) by a record that is not established.
 */
export const FACT_RULE_IDS: Readonly<Record<PersonFactKind, readonly string[]>> = {
  WORK_PERMIT_EXEMPTION: range('WP-EX-', 2, 21),
  PERMANENT_RESIDENCE_GROUND: range('PR-GR-', 1, 10),
  PERMANENT_RESIDENCE_REFUSAL_GROUND: [...range('PR-RF-', 1, 9), ...range('PR-RF-', 11, 15)],
  LAWFUL_INCOME: ['CIT-01'],
  CONSTITUTION_UNDERTAKING: ['CIT-01'],
  STATE_LANGUAGE_KNOWLEDGE: ['CIT-01'],
};

/** PR-GR-02, 03, 04: grounds whose amount (investment, real estate value, deposit) the rule compares with its minimum. */
export const GROUNDS_WITH_AMOUNT: readonly string[] = ['PR-GR-02', 'PR-GR-03', 'PR-GR-04'];

function covers(fact: PersonFactRecord, asOf: IsoDate): boolean {
  return fact.validFrom <= asOf && (fact.validUntil === null || asOf <= fact.validUntil);
}

/**
 * Per kind and rule, the fact that stands on `asOf`: the last recorded of those whose validity covers the
 * day (a later record corrects an earlier one). `facts` are in the order they were recorded.
 */
export function factsInForce(facts: readonly PersonFactRecord[], asOf: IsoDate): PersonFactRecord[] {
  const standing = new Map<string, PersonFactRecord>();
  for (const fact of facts) if (covers(fact, asOf)) standing.set(`${fact.kind} ${fact.ruleId ?? ''}`, fact);
  return [...standing.values()];
}

/**
 * WP-EX-02..21 as the work-permit rules read them: the last record of each exemption, whatever its dates,
 * so that the rule itself says when its circumstances start or ended.
 */
export function exemptionClaimsOf(facts: readonly PersonFactRecord[]): ExemptionClaim[] {
  const last = new Map<string, PersonFactRecord>();
  for (const fact of facts) if (fact.kind === 'WORK_PERMIT_EXEMPTION' && fact.ruleId) last.set(fact.ruleId, fact);
  return [...last.values()].map((fact) => ({
    id: fact.ruleId as WorkPermitExemptionId,
    verified: fact.established,
    validFrom: fact.validFrom,
    validUntil: fact.validUntil,
    businessTripDaysInYear: fact.businessTripDaysInYear,
    fieldSetByCabinet: fact.fieldSetByCabinet ?? undefined,
    spouseRegisteredAtResidence: fact.spouseRegisteredAtResidence ?? undefined,
  }));
}

/**
 * PR-GR and PR-RF facts on `asOf`. The ground asked about (or, when none is asked, the one recorded as
 * established) with whether the Service verified it and its amount; each refusal ground recorded: true when
 * it applies, false when checked and it does not; a ground not recorded stays unknown.
 */
export function permanentResidenceFactsOf(
  facts: readonly PersonFactRecord[],
  asked: PermanentResidenceGroundId | null,
  asOf: IsoDate,
): {
  ground: { id: PermanentResidenceGroundId; verified: RecordedFact; amountAzn: number | null } | null;
  recordedRefusals: Partial<Record<RecordedRefusalId, RecordedFact>>;
  sponsorWithdrawal?: WithdrawalFact | null;
  housingConsentWithdrawal?: WithdrawalFact | null;
} {
  const standing = factsInForce(facts, asOf);
  const grounds = standing.filter((fact) => fact.kind === 'PERMANENT_RESIDENCE_GROUND');
  const recorded = asked ? grounds.find((fact) => fact.ruleId === asked) : grounds.find((fact) => fact.established);
  const id = asked ?? (recorded?.ruleId as PermanentResidenceGroundId | undefined) ?? null;
  const recordedRefusals: Partial<Record<RecordedRefusalId, RecordedFact>> = {};
  const withdrawals: { sponsorWithdrawal?: WithdrawalFact | null; housingConsentWithdrawal?: WithdrawalFact | null } = {};
  for (const fact of standing) {
    if (fact.kind !== 'PERMANENT_RESIDENCE_REFUSAL_GROUND') continue;
    const withdrawal = fact.established ? { withdrawnOn: fact.validFrom, replacementProvidedOn: null } : null;
    if (fact.ruleId === 'PR-RF-07') withdrawals.sponsorWithdrawal = withdrawal;
    else if (fact.ruleId === 'PR-RF-08') withdrawals.housingConsentWithdrawal = withdrawal;
    else recordedRefusals[fact.ruleId as RecordedRefusalId] = fact.established;
  }
  return {
    ground: id ? { id, verified: recorded ? recorded.established : null, amountAzn: recorded?.amountAzn ?? null } : null,
    recordedRefusals,
    ...withdrawals,
  };
}

/** CIT-01's conditions on `asOf`: true, false, or null where nothing is recorded. */
export function citizenshipFactsOf(
  facts: readonly PersonFactRecord[],
  asOf: IsoDate,
): { lawfulIncome: RecordedFact; constitutionUndertaking: RecordedFact; stateLanguageDocument: RecordedFact } {
  const standing = factsInForce(facts, asOf);
  const of = (kind: PersonFactKind): RecordedFact => standing.find((fact) => fact.kind === kind)?.established ?? null;
  return { lawfulIncome: of('LAWFUL_INCOME'), constitutionUndertaking: of('CONSTITUTION_UNDERTAKING'), stateLanguageDocument: of('STATE_LANGUAGE_KNOWLEDGE') };
}

/**
 * Everything PR-01, PR-GR and PR-RF read, from the records of the registries: the residence permits, the
 * crossings (PR-RF-10, from the issue of the permanent permit held, if any), the outstanding fines (PR-RF-16)
 * and the facts recorded about the person. The one mapping, for the permits registry and the demo's checks.
 */
export function permanentResidenceFactsFrom(records: {
  permits: readonly (PermitRecord & { issuedOn: IsoDate })[];
  crossings: readonly CrossingFact[];
  outstandingFines: readonly FineFact[];
  facts: readonly PersonFactRecord[];
  ground: PermanentResidenceGroundId | null;
  asOf: IsoDate;
}): PermanentResidenceFacts {
  const lastPermanent = records.permits.filter((permit) => permit.kind === 'PERMANENT_RESIDENCE_PERMIT').at(-1);
  return {
    temporaryResidencePermits: temporaryResidencePermitsOf(records.permits),
    ...permanentResidenceFactsOf(records.facts, records.ground, records.asOf),
    permanentPermit: lastPermanent ? { issuedOn: lastPermanent.issuedOn, ...(lastPermanent.groundArticle ? { groundArticle: lastPermanent.groundArticle } : {}) } : null,
    crossings: records.crossings,
    fines: records.outstandingFines,
  };
}
