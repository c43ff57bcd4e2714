/**
 * PR-01, PR-GR-01..10, PR-RF-01..16: permanent residence.
 *
 * Every fact is three-valued: true, false, or unknown (null/undefined). An unknown fact that decides a rule
 * gives UNDETERMINED with a reason naming the rule; nothing passes silently.
 *
 * Choices where the seeds are silent:
 * - PR-01: the two years are an unbroken run of temporary residence permits covering the evaluation date,
 *   complete on the second anniversary of the run's first day (see continuousResidence). A person whose
 *   current temporary permit was granted as a family member of a 45.1.8–45.1.11 holder is outside PR-01.
 * - PR-RF-10 applies to a permanent permit already held (extension), with "any one year counted from the
 *   permit's issue" read as the successive permit years: [issue, first anniversary), [first, second), ...
 *   A day counts as abroad only when the person was outside all day: the exit day and the entry day are days
 *   present. Days before the first recorded entry after issue count as abroad; with no crossings at all the
 *   person is taken as present (the permit is issued in Azerbaijan), and anomalies in the records (an exit
 *   without entry after the first) make a result of 180 days or fewer UNDETERMINED.
 * - PR-RF-07/08: a withdrawal followed by no replacement document within 10 working days; while the 10 working
 *   days are running the rule is UNDETERMINED (it may still be cured).
 */
import {
  PERMANENT_RESIDENCE_GROUND_TITLES,
  PERMANENT_RESIDENCE_REFUSAL_TITLES,
  reason,
} from './catalog';
import { addDays, addYears, compareIsoDates, minDate, parseIsoDate, toDayNumber } from './dates';
import { FineFact, evaluateOutstandingFines } from './fines';
import { parameterAt } from './parameters';
import { CrossingFact, deriveStayPeriods } from './stay';
import { ContinuousResidence, TemporaryResidencePermitFact, continuousResidence } from './temporary-residence';
import { Decision, IsoDate, Reason, RecordedFact } from './types';
import { addWorkingDays } from './working-days';

const pad = (n: number) => String(n).padStart(2, '0');

export type PermanentResidenceGroundId = `PR-GR-${'01' | '02' | '03' | '04' | '05' | '06' | '07' | '08' | '09' | '10'}`;
export type PermanentResidenceRefusalId =
  `PR-RF-${'01' | '02' | '03' | '04' | '05' | '06' | '07' | '08' | '09' | '10' | '11' | '12' | '13' | '14' | '15' | '16'}`;

export const PERMANENT_RESIDENCE_GROUNDS = PERMANENT_RESIDENCE_GROUND_TITLES.map((text, index) => ({
  id: `PR-GR-${pad(index + 1)}` as PermanentResidenceGroundId,
  text,
}));

export const PERMANENT_RESIDENCE_REFUSALS = PERMANENT_RESIDENCE_REFUSAL_TITLES.map((text, index) => ({
  id: `PR-RF-${pad(index + 1)}` as PermanentResidenceRefusalId,
  text,
}));

/** Refusal grounds decided directly from a recorded fact (true = the ground applies). */
export type RecordedRefusalId = Exclude<PermanentResidenceRefusalId, 'PR-RF-07' | 'PR-RF-08' | 'PR-RF-10' | 'PR-RF-16'>;

export interface WithdrawalFact {
  /** Day the sponsor (RF-07) or the housing consenter (RF-08) asked to withdraw. */
  withdrawnOn: IsoDate;
  /** Day another document was provided, or null. */
  replacementProvidedOn: IsoDate | null;
}

export interface PermanentResidenceFacts {
  temporaryResidencePermits: readonly TemporaryResidencePermitFact[];
  ground: {
    id: PermanentResidenceGroundId;
    /** The Service verified the circumstances of the ground. */
    verified?: RecordedFact;
    /** PR-GR-02/03/04: the amount invested, the value of the real estate, the deposit, in manat. */
    amountAzn?: number | null;
  } | null;
  /** true = the refusal ground applies, false = checked and does not, null/undefined = not known. */
  recordedRefusals: Partial<Record<RecordedRefusalId, RecordedFact>>;
  /** PR-RF-02 does not apply to spouses of Azerbaijani citizens. */
  spouseOfCitizen?: RecordedFact;
  /** PR-RF-06 does not apply when a close relative (citizen or PR holder) undertakes the support. */
  supportUndertakenByCloseRelative?: RecordedFact;
  /** null = none recorded; undefined = not known. */
  sponsorWithdrawal?: WithdrawalFact | null;
  housingConsentWithdrawal?: WithdrawalFact | null;
  /** For an extension: the permanent permit held, with the 45.1 article it was issued under. */
  permanentPermit?: { issuedOn: IsoDate; groundArticle?: string | null } | null;
  crossings: readonly CrossingFact[];
  /** Administrative fines for breaking the rules of stay and residence; undefined = not known. */
  fines?: readonly FineFact[];
}

export type EligibilityOutcome = 'ELIGIBLE' | 'NOT_ELIGIBLE' | 'UNDETERMINED';

export interface RuleCheck {
  ruleId: string;
  /** PASS: does not bar; FAIL: bars; UNKNOWN: cannot tell from the facts. */
  result: 'PASS' | 'FAIL' | 'UNKNOWN' | 'NOT_APPLICABLE';
}

export interface PermanentResidenceDecision extends Decision<EligibilityOutcome> {
  continuousTemporaryResidence: ContinuousResidence;
  checks: RuleCheck[];
  /** Rule IDs that bar the application. */
  failedRules: string[];
  /** Rule IDs whose facts are unknown. */
  undeterminedRules: string[];
}

/** PR-01: two years of continuous lawful temporary residence, not as a 45.1.8–45.1.11 family member. */
export function evaluateTwoYearTemporaryResidence(
  permits: readonly TemporaryResidencePermitFact[],
  asOf: IsoDate,
): { check: RuleCheck; residence: ContinuousResidence; reasons: Reason[] } {
  const years = parameterAt('PR_MIN_CONTINUOUS_TEMPORARY_RESIDENCE_YEARS', asOf).value;
  const residence = continuousResidence(permits, years, asOf);
  if (!residence.since) {
    return {
      residence,
      check: { ruleId: 'PR-01', result: 'FAIL' },
      reasons: [reason('PR-01', `No temporary residence permit is valid on ${asOf}.`, `${asOf} tarixində etibarlı müvəqqəti yaşamaq icazəsi yoxdur.`)],
    };
  }
  if (!residence.complete) {
    return {
      residence,
      check: { ruleId: 'PR-01', result: 'FAIL' },
      reasons: [
        reason(
          'PR-01',
          `Continuous temporary residence since ${residence.since} completes ${years} years only on ${residence.completesOn}.`,
          `${residence.since} tarixindən fasiləsiz müvəqqəti yaşama ${years} ili yalnız ${residence.completesOn} tarixində tamamlayır.`,
          { since: residence.since, completesOn: residence.completesOn },
        ),
      ],
    };
  }
  const current = permits.filter(
    (permit) => compareIsoDates(permit.validFrom, asOf) <= 0 && compareIsoDates(asOf, permit.validUntil) <= 0,
  );
  const familyFlags = current.map((permit) => permit.grantedAsFamilyMemberOf45_1_8To11);
  const reasons = [
    reason(
      'PR-01',
      `Continuous lawful temporary residence since ${residence.since}: ${years} years completed on ${residence.completesOn}.`,
      `${residence.since} tarixindən fasiləsiz qanuni müvəqqəti yaşama: ${years} il ${residence.completesOn} tarixində tamamlanıb.`,
      { since: residence.since, completesOn: residence.completesOn },
    ),
  ];
  if (familyFlags.some((flag) => flag === true)) {
    reasons.push(
      reason(
        'PR-01',
        'The temporary permit was granted as a family member of a holder under 45.1.8–45.1.11; such persons cannot apply on this basis.',
        'Müvəqqəti icazə 45.1.8–45.1.11-ci maddələr üzrə icazə sahibinin ailə üzvü kimi verilib; belə şəxslər bu əsasla müraciət edə bilməz.',
      ),
    );
    return { residence, check: { ruleId: 'PR-01', result: 'FAIL' }, reasons };
  }
  if (familyFlags.some((flag) => flag === null || flag === undefined)) {
    reasons.push(
      reason(
        'PR-01',
        'It is not recorded whether the temporary permit was granted as a family member of a 45.1.8–45.1.11 holder (recorded with the permit: issueApplication, familyMemberOfSpecialHolder).',
        'Müvəqqəti icazənin 45.1.8–45.1.11 üzrə icazə sahibinin ailə üzvü kimi verilib-verilmədiyi qeyd olunmayıb.',
      ),
    );
    return { residence, check: { ruleId: 'PR-01', result: 'UNKNOWN' }, reasons };
  }
  return { residence, check: { ruleId: 'PR-01', result: 'PASS' }, reasons };
}

function evaluateGround(facts: PermanentResidenceFacts, asOf: IsoDate): { check: RuleCheck; reasons: Reason[] } {
  const ground = facts.ground;
  if (!ground) {
    return {
      check: { ruleId: 'PR-GR-01', result: 'FAIL' },
      reasons: [reason('PR-01', 'No ground of PR-GR-01..10 is claimed.', 'PR-GR-01..10 əsaslarından heç biri göstərilməyib.')],
    };
  }
  const title = PERMANENT_RESIDENCE_GROUNDS.find((candidate) => candidate.id === ground.id)!.text;
  const thresholdName =
    ground.id === 'PR-GR-02' ? 'PR_GR_MIN_INVESTMENT_AZN' : ground.id === 'PR-GR-03' ? 'PR_GR_MIN_REAL_ESTATE_AZN' : ground.id === 'PR-GR-04' ? 'PR_GR_MIN_DEPOSIT_AZN' : null;
  if (thresholdName) {
    const minimum = parameterAt(thresholdName, asOf).value;
    if (ground.amountAzn === null || ground.amountAzn === undefined) {
      return {
        check: { ruleId: ground.id, result: 'UNKNOWN' },
        reasons: [reason(ground.id, `${title.en}: the amount is not recorded (recordPersonFact, kind PERMANENT_RESIDENCE_GROUND, amountAzn).`, `${title.az}: məbləğ qeyd olunmayıb (recordPersonFact).`)],
      };
    }
    if (ground.amountAzn < minimum) {
      return {
        check: { ruleId: ground.id, result: 'FAIL' },
        reasons: [
          reason(ground.id, `${ground.amountAzn} manat is below the minimum of ${minimum} manat.`, `${ground.amountAzn} manat ${minimum} manatlıq minimumdan azdır.`, {
            amountAzn: ground.amountAzn,
            minimumAzn: minimum,
          }),
        ],
      };
    }
    if (ground.verified === false) {
      return { check: { ruleId: ground.id, result: 'FAIL' }, reasons: [reason(ground.id, `${title.en}: not confirmed.`, `${title.az}: təsdiqlənməyib.`)] };
    }
    return {
      check: { ruleId: ground.id, result: 'PASS' },
      reasons: [
        reason(ground.id, `${title.en}: ${ground.amountAzn} manat, at least ${minimum}.`, `${title.az}: ${ground.amountAzn} manat, ən azı ${minimum}.`, {
          amountAzn: ground.amountAzn,
          minimumAzn: minimum,
        }),
      ],
    };
  }
  if (ground.verified === true) {
    return { check: { ruleId: ground.id, result: 'PASS' }, reasons: [reason(ground.id, `Ground established: ${title.en}.`, `Əsas təsdiqlənib: ${title.az}.`)] };
  }
  if (ground.verified === false) {
    return { check: { ruleId: ground.id, result: 'FAIL' }, reasons: [reason(ground.id, `Ground not confirmed: ${title.en}.`, `Əsas təsdiqlənməyib: ${title.az}.`)] };
  }
  return { check: { ruleId: ground.id, result: 'UNKNOWN' }, reasons: [reason(ground.id, `Ground claimed but not verified: ${title.en} (recordPersonFact, kind PERMANENT_RESIDENCE_GROUND).`, `Əsas göstərilib, lakin yoxlanılmayıb: ${title.az} (recordPersonFact).`)] };
}

export interface PermitYearAbsence {
  yearFrom: IsoDate;
  yearUntil: IsoDate;
  daysAbroad: number;
}

/**
 * Days wholly spent outside Azerbaijan in each permit year from `issuedOn` up to `asOf` (the current year is
 * counted up to `asOf`). `uncertain` is set when the crossing records have gaps.
 */
export function daysAbroadPerPermitYear(
  crossings: readonly CrossingFact[],
  issuedOn: IsoDate,
  asOf: IsoDate,
): { years: PermitYearAbsence[]; uncertain: boolean; noRecords: boolean } {
  const periods = deriveStayPeriods(crossings, asOf);
  const noRecords = periods.length === 0;
  let uncertain = false;
  const present: Array<{ from: number; to: number }> = [];
  periods.forEach((period, index) => {
    const end = toDayNumber(period.endDate);
    if (period.entryDate) {
      present.push({ from: toDayNumber(period.entryDate), to: end });
    } else if (index === 0) {
      // The records begin while the person is inside: present until this exit.
      present.push({ from: Number.NEGATIVE_INFINITY, to: end });
    } else {
      // An exit without an entry after earlier records: the entry is missing; counted as present (generous).
      uncertain = true;
      present.push({ from: toDayNumber(periods[index - 1].endDate) + 1, to: end });
    }
  });
  if (noRecords) present.push({ from: Number.NEGATIVE_INFINITY, to: Number.POSITIVE_INFINITY });

  const years: PermitYearAbsence[] = [];
  for (let k = 0; ; k += 1) {
    const yearFrom = addYears(issuedOn, k);
    if (compareIsoDates(yearFrom, asOf) > 0) break;
    const yearUntil = minDate(addDays(addYears(issuedOn, k + 1), -1), asOf);
    const from = toDayNumber(yearFrom);
    const to = toDayNumber(yearUntil);
    const covered = new Set<number>();
    for (const range of present) {
      for (let day = Math.max(range.from, from); day <= Math.min(range.to, to); day += 1) covered.add(day);
    }
    years.push({ yearFrom, yearUntil, daysAbroad: to - from + 1 - covered.size });
  }
  return { years, uncertain, noRecords };
}

function evaluateDaysAbroad(facts: PermanentResidenceFacts, asOf: IsoDate): { check: RuleCheck; reasons: Reason[] } {
  const permit = facts.permanentPermit;
  if (!permit) {
    return {
      check: { ruleId: 'PR-RF-10', result: 'NOT_APPLICABLE' },
      reasons: [reason('PR-RF-10', 'No permanent permit is held yet, so days abroad since its issue do not apply.', 'Hələ daimi yaşamaq icazəsi yoxdur; verildiyi gündən xaricdə olma günləri tətbiq olunmur.')],
    };
  }
  if (permit.groundArticle === '45.1.2' || permit.groundArticle === '45.1.7') {
    return {
      check: { ruleId: 'PR-RF-10', result: 'NOT_APPLICABLE' },
      reasons: [
        reason('PR-RF-10', `The permit was issued under ${permit.groundArticle}, to which the 180-day rule does not apply.`, `İcazə ${permit.groundArticle} üzrə verilib; 180 gün qaydası buna şamil edilmir.`, {
          groundArticle: permit.groundArticle,
        }),
      ],
    };
  }
  const limit = parameterAt('PR_RF_MAX_DAYS_ABROAD_PER_YEAR', asOf).value;
  const { years, uncertain, noRecords } = daysAbroadPerPermitYear(facts.crossings, permit.issuedOn, asOf);
  const worst = years.reduce<PermitYearAbsence | null>((max, year) => (!max || year.daysAbroad > max.daysAbroad ? year : max), null);
  const worstDays = worst?.daysAbroad ?? 0;
  const detail = { maxDaysAbroad: worstDays, limit, yearFrom: worst?.yearFrom ?? null, yearUntil: worst?.yearUntil ?? null };
  // Three-valued: more than the limit bars only where the permit's article is known not to be exempt;
  // the limit or fewer never bars, whatever the article.
  if (worst && worstDays > limit && permit.groundArticle === undefined) {
    return {
      check: { ruleId: 'PR-RF-10', result: 'UNKNOWN' },
      reasons: [
        reason(
          'PR-RF-10',
          `${worstDays} days outside Azerbaijan in the permit year ${worst.yearFrom}..${worst.yearUntil}, more than ${limit}; whether this bars depends on the article the permit was issued under, which is not recorded (45.1.2 and 45.1.7 are exempt; recorded with the permit: issueApplication, groundArticle).`,
          `${worst.yearFrom}..${worst.yearUntil} icazə ilində Azərbaycandan kənarda ${worstDays} gün, ${limit} gündən çox; bunun maneə olub-olmaması icazənin verildiyi maddədən asılıdır, o isə qeyd olunmayıb (45.1.2 və 45.1.7 istisnadır).`,
          detail,
        ),
      ],
    };
  }
  if (worst && worstDays > limit) {
    return {
      check: { ruleId: 'PR-RF-10', result: 'FAIL' },
      reasons: [
        reason(
          'PR-RF-10',
          `${worstDays} days outside Azerbaijan in the permit year ${worst.yearFrom}..${worst.yearUntil}, more than ${limit}.`,
          `${worst.yearFrom}..${worst.yearUntil} icazə ilində Azərbaycandan kənarda ${worstDays} gün, ${limit} gündən çox.`,
          detail,
        ),
      ],
    };
  }
  if (uncertain) {
    return {
      check: { ruleId: 'PR-RF-10', result: 'UNKNOWN' },
      reasons: [reason('PR-RF-10', `At most ${worstDays} days abroad per permit year, but the crossing records have gaps.`, `İcazə ilində ən çox ${worstDays} gün xaricdə, lakin keçid qeydlərində boşluqlar var.`, detail)],
    };
  }
  return {
    check: { ruleId: 'PR-RF-10', result: 'PASS' },
    reasons: [
      reason(
        'PR-RF-10',
        noRecords
          ? 'No border crossings are recorded since the permit: no days abroad.'
          : `At most ${worstDays} days outside Azerbaijan in any permit year, not more than ${limit}.`,
        noRecords ? 'İcazədən sonra sərhəd keçidi qeydə alınmayıb: xaricdə gün yoxdur.' : `İstənilən icazə ilində ən çox ${worstDays} gün xaricdə, ${limit} gündən çox deyil.`,
        detail,
      ),
    ],
  };
}

function evaluateWithdrawal(
  ruleId: 'PR-RF-07' | 'PR-RF-08',
  withdrawal: WithdrawalFact | null | undefined,
  asOf: IsoDate,
): { check: RuleCheck; reasons: Reason[] } {
  const what = ruleId === 'PR-RF-07' ? ['the sponsor', 'təminatçı'] : ['the housing consenter', 'yaşayış sahəsi üzrə razılıq verən şəxs'];
  if (withdrawal === undefined) {
    return { check: { ruleId, result: 'UNKNOWN' }, reasons: [reason(ruleId, `Whether ${what[0]} withdrew is not recorded (recordPersonFact, kind PERMANENT_RESIDENCE_REFUSAL_GROUND, ruleId ${ruleId}).`, `${what[1]} imtina edib-etmədiyi qeyd olunmayıb (recordPersonFact).`)] };
  }
  if (withdrawal === null) return { check: { ruleId, result: 'PASS' }, reasons: [] };
  const days = parameterAt('PR_RF_REPLACEMENT_DOCUMENT_WORKING_DAYS', asOf).value;
  const deadline = addWorkingDays(withdrawal.withdrawnOn, days);
  if (withdrawal.replacementProvidedOn && compareIsoDates(withdrawal.replacementProvidedOn, deadline) <= 0) {
    return {
      check: { ruleId, result: 'PASS' },
      reasons: [reason(ruleId, `Another document was provided on ${withdrawal.replacementProvidedOn}, within ${days} working days.`, `${days} iş günü ərzində, ${withdrawal.replacementProvidedOn} tarixində başqa sənəd təqdim edilib.`)],
    };
  }
  if (compareIsoDates(asOf, deadline) <= 0) {
    return {
      check: { ruleId, result: 'UNKNOWN' },
      reasons: [reason(ruleId, `${what[0]} withdrew on ${withdrawal.withdrawnOn}; another document may still be given until ${deadline}.`, `${what[1]} ${withdrawal.withdrawnOn} tarixində imtina edib; başqa sənəd ${deadline} tarixinədək təqdim edilə bilər.`, { deadline })],
    };
  }
  return {
    check: { ruleId, result: 'FAIL' },
    reasons: [reason(ruleId, `${what[0]} withdrew on ${withdrawal.withdrawnOn} and no other document was given by ${deadline}.`, `${what[1]} ${withdrawal.withdrawnOn} tarixində imtina edib və ${deadline} tarixinədək başqa sənəd təqdim edilməyib.`, { deadline })],
  };
}

function evaluateRecordedRefusal(id: RecordedRefusalId, facts: PermanentResidenceFacts): { check: RuleCheck; reasons: Reason[] } {
  const title = PERMANENT_RESIDENCE_REFUSALS.find((candidate) => candidate.id === id)!.text;
  if (id === 'PR-RF-02' && facts.spouseOfCitizen === true) {
    return { check: { ruleId: id, result: 'NOT_APPLICABLE' }, reasons: [reason(id, 'Spouse of an Azerbaijani citizen: this ground does not apply.', 'Azərbaycan vətəndaşının həyat yoldaşı: bu əsas tətbiq olunmur.')] };
  }
  if (id === 'PR-RF-06' && facts.supportUndertakenByCloseRelative === true) {
    return { check: { ruleId: id, result: 'NOT_APPLICABLE' }, reasons: [reason(id, 'A close relative who is a citizen or permanent resident undertakes the support.', 'Vətəndaş və ya daimi yaşayan yaxın qohum təminatı öz üzərinə götürüb.')] };
  }
  const fact = facts.recordedRefusals[id];
  if (fact === true) return { check: { ruleId: id, result: 'FAIL' }, reasons: [reason(id, `Refusal ground: ${title.en}.`, `İmtina əsası: ${title.az}.`)] };
  if (fact === false) return { check: { ruleId: id, result: 'PASS' }, reasons: [] };
  return { check: { ruleId: id, result: 'UNKNOWN' }, reasons: [reason(id, `Not recorded: ${title.en} (recordPersonFact, kind PERMANENT_RESIDENCE_REFUSAL_GROUND, ruleId ${id}).`, `Qeyd olunmayıb: ${title.az} (recordPersonFact).`)] };
}

function evaluateFines(fines: readonly FineFact[] | undefined, asOf: IsoDate): { check: RuleCheck; reasons: Reason[] } {
  if (fines === undefined) {
    return { check: { ruleId: 'PR-RF-16', result: 'UNKNOWN' }, reasons: [reason('PR-RF-16', 'Administrative fines are not known.', 'İnzibati cərimələr məlum deyil.')] };
  }
  const decision = evaluateOutstandingFines(fines, asOf);
  if (decision.outcome === 'OUTSTANDING') {
    return {
      check: { ruleId: 'PR-RF-16', result: 'FAIL' },
      reasons: [
        reason('PR-RF-16', 'An administrative fine for breaking the rules of stay and residence is unpaid.', 'Olma və yaşama qaydalarının pozulmasına görə inzibati cərimə ödənilməyib.'),
        ...decision.reasons,
      ],
    };
  }
  return { check: { ruleId: 'PR-RF-16', result: 'PASS' }, reasons: [] };
}

const RECORDED_REFUSALS: readonly RecordedRefusalId[] = PERMANENT_RESIDENCE_REFUSALS.map((refusal) => refusal.id).filter(
  (id): id is RecordedRefusalId => !['PR-RF-07', 'PR-RF-08', 'PR-RF-10', 'PR-RF-16'].includes(id),
);

/** PR-01, PR-GR, PR-RF: may a permanent residence permit be granted (or extended) on `asOf`? */
export function evaluatePermanentResidenceEligibility(facts: PermanentResidenceFacts, asOf: IsoDate): PermanentResidenceDecision {
  parseIsoDate(asOf);
  const twoYears = evaluateTwoYearTemporaryResidence(facts.temporaryResidencePermits, asOf);
  // An extension of a permanent permit does not need the two years again.
  const parts = [
    facts.permanentPermit ? { check: { ruleId: 'PR-01', result: 'NOT_APPLICABLE' as const }, reasons: [] } : twoYears,
    evaluateGround(facts, asOf),
    ...RECORDED_REFUSALS.slice(0, 6).map((id) => evaluateRecordedRefusal(id, facts)),
    evaluateWithdrawal('PR-RF-07', facts.sponsorWithdrawal, asOf),
    evaluateWithdrawal('PR-RF-08', facts.housingConsentWithdrawal, asOf),
    ...RECORDED_REFUSALS.slice(6, 7).map((id) => evaluateRecordedRefusal(id, facts)),
    evaluateDaysAbroad(facts, asOf),
    ...RECORDED_REFUSALS.slice(7).map((id) => evaluateRecordedRefusal(id, facts)),
    evaluateFines(facts.fines, asOf),
  ];
  const checks = parts.map((part) => part.check);
  const failedRules = checks.filter((check) => check.result === 'FAIL').map((check) => check.ruleId);
  const undeterminedRules = checks.filter((check) => check.result === 'UNKNOWN').map((check) => check.ruleId);
  const outcome: EligibilityOutcome = failedRules.length ? 'NOT_ELIGIBLE' : undeterminedRules.length ? 'UNDETERMINED' : 'ELIGIBLE';
  return {
    outcome,
    continuousTemporaryResidence: twoYears.residence,
    checks,
    failedRules,
    undeterminedRules,
    reasons: parts.flatMap((part) => part.reasons),
  };
}

