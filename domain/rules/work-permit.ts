/**
 * WP-01..06 and WP-EX-01..21: may the person work, and on what.
 *
 * Choices where the seeds differ or are silent:
 * - WP-01: S0 says a permit is needed to work "for more than 90 days within a year"; S1 (the Code) exempts
 *   short work only as a business trip of at most 90 days a year in fields set by the Cabinet (WP-EX-09).
 *   Work of at most 90 days that is not such a business trip is therefore UNDETERMINED (the seeds disagree),
 *   never silently authorised.
 * - WP-EX-01 is derived from a permanent residence permit valid on the evaluation date (a lawful basis fact);
 *   WP-EX-09 needs the business-trip days of the year; WP-EX-17 needs the citizen spouse's registration at a
 *   place of residence; every other exemption must be recorded as verified. Unknown is UNDETERMINED.
 * - WP-02 applies to obtaining a first permit: for visa-regime citizens a WORK or BUSINESS visa valid on the
 *   evaluation date must be on file.
 */
import { WORK_PERMIT_EXEMPTION_TITLES, reason } from './catalog';
import { compareIsoDates, isWithin, parseIsoDate } from './dates';
import { ParameterVariant, parameterAt } from './parameters';
import { LawfulBasisFact } from './stay';
import { Decision, IsoDate, LocalizedText, Reason, RecordedFact } from './types';
import { visaExemptCitizenship } from './visa';

export type WorkPermitExemptionId =
  | 'WP-EX-01' | 'WP-EX-02' | 'WP-EX-03' | 'WP-EX-04' | 'WP-EX-05' | 'WP-EX-06' | 'WP-EX-07'
  | 'WP-EX-08' | 'WP-EX-09' | 'WP-EX-10' | 'WP-EX-11' | 'WP-EX-12' | 'WP-EX-13' | 'WP-EX-14'
  | 'WP-EX-15' | 'WP-EX-16' | 'WP-EX-17' | 'WP-EX-18' | 'WP-EX-19' | 'WP-EX-20' | 'WP-EX-21';

export interface WorkPermitExemption {
  id: WorkPermitExemptionId;
  /** Position in the Code's list as quoted by S1. */
  item: number;
  text: LocalizedText;
  /** How the exemption is established from facts. */
  test: 'PERMANENT_RESIDENCE_PERMIT' | 'BUSINESS_TRIP_DAYS' | 'SPOUSE_REGISTERED_AT_RESIDENCE' | 'RECORDED';
}

/** WP-EX-01..21 as data. */
export const WORK_PERMIT_EXEMPTIONS: readonly WorkPermitExemption[] = WORK_PERMIT_EXEMPTION_TITLES.map((text, index) => ({
  id: `WP-EX-${String(index + 1).padStart(2, '0')}` as WorkPermitExemptionId,
  item: index + 1,
  text,
  test: index === 0 ? 'PERMANENT_RESIDENCE_PERMIT' : index === 8 ? 'BUSINESS_TRIP_DAYS' : index === 16 ? 'SPOUSE_REGISTERED_AT_RESIDENCE' : 'RECORDED',
}));

export function workPermitExemption(id: WorkPermitExemptionId): WorkPermitExemption {
  return WORK_PERMIT_EXEMPTIONS.find((exemption) => exemption.id === id)!;
}

export interface ExemptionClaim {
  id: WorkPermitExemptionId;
  /** The Service verified the circumstances (diplomatic accreditation, media accreditation, ...). */
  verified?: RecordedFact;
  validFrom?: IsoDate | null;
  validUntil?: IsoDate | null;
  /** WP-EX-09: business-trip days in Azerbaijan in the current year, and whether the field is on the Cabinet's list. */
  businessTripDaysInYear?: number | null;
  fieldSetByCabinet?: RecordedFact;
  /** WP-EX-17: the citizen spouse is registered at a place of residence in Azerbaijan. */
  spouseRegisteredAtResidence?: RecordedFact;
}

export interface WorkPermitFact {
  validFrom: IsoDate;
  validUntil: IsoDate;
  revokedOn?: IsoDate | null;
  employer?: string;
  reference?: string;
}

export interface WorkAuthorizationFacts {
  citizenships: readonly string[];
  lawfulBases: readonly LawfulBasisFact[];
  workPermits: readonly WorkPermitFact[];
  exemptionClaims: readonly ExemptionClaim[];
  /** Planned or actual days of work in Azerbaijan in the year, when known (WP-01, S0 threshold). */
  workDaysInYear?: number | null;
}

export type ExemptionOutcome = 'APPLIES' | 'DOES_NOT_APPLY' | 'UNDETERMINED';

/** Does one exemption apply on `asOf`? */
export function evaluateExemption(
  id: WorkPermitExemptionId,
  facts: Pick<WorkAuthorizationFacts, 'lawfulBases' | 'exemptionClaims'>,
  asOf: IsoDate,
): Decision<ExemptionOutcome> {
  const exemption = workPermitExemption(id);
  const ok = (en: string, az: string): Decision<ExemptionOutcome> => ({ outcome: 'APPLIES', reasons: [reason(id, en, az)] });
  const no = (en: string, az: string): Decision<ExemptionOutcome> => ({ outcome: 'DOES_NOT_APPLY', reasons: [reason(id, en, az)] });
  const unknown = (en: string, az: string): Decision<ExemptionOutcome> => ({ outcome: 'UNDETERMINED', reasons: [reason(id, en, az)] });

  if (exemption.test === 'PERMANENT_RESIDENCE_PERMIT') {
    const permit = facts.lawfulBases.find(
      (basis) =>
        basis.kind === 'PERMANENT_RESIDENCE' &&
        isWithin(asOf, basis.validFrom, basis.validUntil) &&
        !(basis.revokedOn && compareIsoDates(basis.revokedOn, asOf) <= 0),
    );
    return permit
      ? ok('Holds a permanent residence permit: no work permit is needed.', 'Daimi yaşamaq icazəsi var: iş icazəsi tələb olunmur.')
      : no('No valid permanent residence permit.', 'Etibarlı daimi yaşamaq icazəsi yoxdur.');
  }
  const claim = facts.exemptionClaims.find((candidate) => candidate.id === id);
  if (!claim) return no(`Not claimed: ${exemption.text.en}.`, `İddia edilməyib: ${exemption.text.az}.`);
  if (claim.validFrom && compareIsoDates(asOf, claim.validFrom) < 0) {
    return no(`The circumstances start on ${claim.validFrom}.`, `Hallar ${claim.validFrom} tarixindən başlayır.`);
  }
  if (claim.validUntil && compareIsoDates(asOf, claim.validUntil) > 0) {
    return no(`The circumstances ended on ${claim.validUntil}.`, `Hallar ${claim.validUntil} tarixində bitib.`);
  }
  if (exemption.test === 'BUSINESS_TRIP_DAYS') {
    const limit = parameterAt('WP_BUSINESS_TRIP_EXEMPT_MAX_DAYS_PER_YEAR', asOf).value;
    if (claim.fieldSetByCabinet === false) return no('The field of the business trip is not one set by the Cabinet of Ministers.', 'Ezamiyyətin sahəsi Nazirlər Kabinetinin müəyyən etdiyi sahələrdən deyil.');
    if (claim.businessTripDaysInYear === null || claim.businessTripDaysInYear === undefined || claim.fieldSetByCabinet !== true) {
      return unknown('The business-trip days of the year or the field are not recorded (recordPersonFact, WP-EX-09).', 'İl ərzində ezamiyyət günləri və ya sahə qeyd olunmayıb (recordPersonFact).');
    }
    return claim.businessTripDaysInYear <= limit
      ? ok(`Business trip of ${claim.businessTripDaysInYear} days this year, not more than ${limit}.`, `Bu il ${claim.businessTripDaysInYear} günlük ezamiyyət, ${limit} gündən çox deyil.`)
      : no(`Business trips of ${claim.businessTripDaysInYear} days this year exceed ${limit}.`, `Bu il ezamiyyət günləri (${claim.businessTripDaysInYear}) ${limit} günü keçir.`);
  }
  if (exemption.test === 'SPOUSE_REGISTERED_AT_RESIDENCE') {
    if (claim.verified === false) return no('The marriage to an Azerbaijani citizen is not confirmed.', 'Azərbaycan vətəndaşı ilə nikah təsdiqlənməyib.');
    if (claim.spouseRegisteredAtResidence === false) {
      return no('The citizen spouse is not registered at a place of residence in Azerbaijan.', 'Vətəndaş həyat yoldaşı Azərbaycanda yaşayış yeri üzrə qeydiyyatda deyil.');
    }
    if (claim.verified !== true || claim.spouseRegisteredAtResidence !== true) {
      return unknown("The marriage or the spouse's registration at a place of residence is not recorded (recordPersonFact, WP-EX-17).", 'Nikah və ya həyat yoldaşının yaşayış yeri üzrə qeydiyyatı qeyd olunmayıb (recordPersonFact).');
    }
    return ok('Married to an Azerbaijani citizen registered at a place of residence.', 'Yaşayış yeri üzrə qeydiyyatda olan Azərbaycan vətəndaşı ilə nikahdadır.');
  }
  if (claim.verified === true) return ok(`Exempt: ${exemption.text.en}.`, `İstisna: ${exemption.text.az}.`);
  if (claim.verified === false) return no(`Not confirmed: ${exemption.text.en}.`, `Təsdiqlənməyib: ${exemption.text.az}.`);
  return unknown(`Claimed but not verified: ${exemption.text.en} (recordPersonFact, kind WORK_PERMIT_EXEMPTION, ruleId ${id}).`, `İddia edilib, lakin yoxlanılmayıb: ${exemption.text.az} (recordPersonFact).`);
}

/** Exemptions that apply, and those still undetermined, on `asOf`. */
export function findExemptions(
  facts: Pick<WorkAuthorizationFacts, 'lawfulBases' | 'exemptionClaims'>,
  asOf: IsoDate,
): { applicable: WorkPermitExemptionId[]; undetermined: WorkPermitExemptionId[]; reasons: Reason[] } {
  const applicable: WorkPermitExemptionId[] = [];
  const undetermined: WorkPermitExemptionId[] = [];
  const reasons: Reason[] = [];
  for (const exemption of WORK_PERMIT_EXEMPTIONS) {
    const claimed = exemption.test === 'PERMANENT_RESIDENCE_PERMIT' || facts.exemptionClaims.some((c) => c.id === exemption.id);
    if (!claimed) continue;
    const decision = evaluateExemption(exemption.id, facts, asOf);
    if (decision.outcome === 'APPLIES') applicable.push(exemption.id);
    if (decision.outcome === 'UNDETERMINED') undetermined.push(exemption.id);
    if (decision.outcome !== 'DOES_NOT_APPLY' || exemption.test !== 'PERMANENT_RESIDENCE_PERMIT') reasons.push(...decision.reasons);
  }
  return { applicable, undetermined, reasons };
}

export type WorkAuthorization =
  | { kind: 'WORK_PERMIT'; validUntil: IsoDate; reference?: string }
  | { kind: 'EXEMPTION'; exemptionId: WorkPermitExemptionId };

export interface WorkAuthorizationDecision extends Decision<'AUTHORIZED' | 'NOT_AUTHORIZED' | 'UNDETERMINED'> {
  authorizedBy: WorkAuthorization | null;
}

/** WP-01: may the person work on `asOf`, and on which permit or exemption? */
export function evaluateWorkAuthorization(facts: WorkAuthorizationFacts, asOf: IsoDate): WorkAuthorizationDecision {
  parseIsoDate(asOf);
  const permit = facts.workPermits.find(
    (candidate) =>
      isWithin(asOf, candidate.validFrom, candidate.validUntil) &&
      !(candidate.revokedOn && compareIsoDates(candidate.revokedOn, asOf) <= 0),
  );
  if (permit) {
    return {
      outcome: 'AUTHORIZED',
      authorizedBy: { kind: 'WORK_PERMIT', validUntil: permit.validUntil, reference: permit.reference },
      reasons: [
        reason(
          'WP-01',
          `Holds a work permit valid from ${permit.validFrom} to ${permit.validUntil}.`,
          `${permit.validFrom} – ${permit.validUntil} tarixlərində etibarlı iş icazəsi var.`,
          { validUntil: permit.validUntil },
        ),
      ],
    };
  }
  const exemptions = findExemptions(facts, asOf);
  if (exemptions.applicable.length) {
    const exemptionId = exemptions.applicable[0];
    return {
      outcome: 'AUTHORIZED',
      authorizedBy: { kind: 'EXEMPTION', exemptionId },
      reasons: [
        reason('WP-01', `No work permit is needed: exemption ${exemptionId} applies.`, `İş icazəsi tələb olunmur: ${exemptionId} istisnası tətbiq olunur.`, { exemptionId }),
        ...exemptions.reasons,
      ],
    };
  }
  if (exemptions.undetermined.length) {
    return {
      outcome: 'UNDETERMINED',
      authorizedBy: null,
      reasons: [
        reason(
          'WP-01',
          `No valid work permit; exemption(s) ${exemptions.undetermined.join(', ')} claimed but not established.`,
          `Etibarlı iş icazəsi yoxdur; ${exemptions.undetermined.join(', ')} istisnaları iddia edilib, lakin təsdiqlənməyib.`,
        ),
        ...exemptions.reasons,
      ],
    };
  }
  const threshold = parameterAt('WP_REQUIRED_ABOVE_WORK_DAYS_PER_YEAR', asOf).value;
  if (facts.workDaysInYear !== null && facts.workDaysInYear !== undefined && facts.workDaysInYear <= threshold) {
    return {
      outcome: 'UNDETERMINED',
      authorizedBy: null,
      reasons: [
        reason(
          'WP-01',
          `Work of ${facts.workDaysInYear} days this year: S0 requires a permit only above ${threshold} days, but the Code (S1) exempts short work only as a business trip in fields set by the Cabinet (WP-EX-09). Review needed.`,
          `Bu il ${facts.workDaysInYear} günlük iş: S0 icazəni yalnız ${threshold} gündən artıq iş üçün tələb edir, Məcəllə (S1) isə qısa işi yalnız Nazirlər Kabinetinin müəyyən etdiyi sahələrdə ezamiyyət kimi azad edir (WP-EX-09). Baxılmalıdır.`,
          { workDaysInYear: facts.workDaysInYear, threshold },
        ),
      ],
    };
  }
  return {
    outcome: 'NOT_AUTHORIZED',
    authorizedBy: null,
    reasons: [
      reason(
        'WP-01',
        'No valid work permit and no exemption applies: the person may not work.',
        'Etibarlı iş icazəsi yoxdur və heç bir istisna tətbiq olunmur: şəxs işləyə bilməz.',
      ),
      ...exemptions.reasons,
    ],
  };
}

/** WP-02: for a visa-regime citizen, applying for a work permit needs a WORK or BUSINESS visa valid on `asOf`. */
export function evaluateWorkPermitVisaRequirement(
  citizenships: readonly string[],
  lawfulBases: readonly LawfulBasisFact[],
  asOf: IsoDate,
): Decision<'NOT_APPLICABLE' | 'SATISFIED' | 'MISSING'> {
  const exempt = visaExemptCitizenship(citizenships, asOf);
  if (exempt) {
    return {
      outcome: 'NOT_APPLICABLE',
      reasons: [reason('WP-02', `Citizen of visa-exempt ${exempt}: no work or business visa is needed to apply.`, `Vizasız rejimli ${exempt} vətəndaşı: müraciət üçün əmək və ya işgüzar viza tələb olunmur.`)],
    };
  }
  const visa = lawfulBases.find(
    (basis) =>
      basis.kind === 'VISA' &&
      (basis.visaType === 'WORK' || basis.visaType === 'BUSINESS') &&
      isWithin(asOf, basis.validFrom, basis.validUntil) &&
      !(basis.revokedOn && compareIsoDates(basis.revokedOn, asOf) <= 0),
  );
  return visa
    ? {
        outcome: 'SATISFIED',
        reasons: [reason('WP-02', `A ${visa.visaType!.toLowerCase()} visa valid on ${asOf} is on file.`, `${asOf} tarixində etibarlı ${visa.visaType === 'WORK' ? 'əmək' : 'işgüzar səfər'} vizası var.`)],
      }
    : {
        outcome: 'MISSING',
        reasons: [
          reason(
            'WP-02',
            'A citizen of a visa-regime country needs a work visa or a business-trip visa to apply for a work permit.',
            'Viza rejimli ölkənin vətəndaşına iş icazəsi üçün müraciət zamanı əmək və ya işgüzar səfər vizası tələb olunur.',
          ),
        ],
      };
}

/** WP-04: the processing tiers in working days (standard first). */
export function workPermitProcessingTiers(asOf: IsoDate): { standard: number; tiers: readonly number[]; reasons: Reason[] } {
  const standard = parameterAt('WP_PROCESSING_WORKING_DAYS', asOf).value;
  const tiers = parameterAt('WP_PROCESSING_TIERS_WORKING_DAYS', asOf).value;
  return {
    standard,
    tiers,
    reasons: [
      reason(
        'WP-04',
        `Issued within ${standard} working days; faster tiers (${tiers.filter((t) => t !== standard).join(', ')} working days) cost more (F1).`,
        `${standard} iş günü ərzində verilir; daha sürətli müddətlər (${tiers.filter((t) => t !== standard).join(', ')} iş günü) daha bahadır (F1).`,
      ),
    ],
  };
}

export interface PermitTermRequest {
  requestedMonths: number;
  /** Months already granted by earlier permits (and extensions) of the same kind. */
  previousMonths: number;
}

/** WP-05: at most 2 years at a time (seed; published practice 1 year) and 5 years in total. */
export function checkWorkPermitTerm(request: PermitTermRequest, asOf: IsoDate, variant: ParameterVariant = 'SEED'): Decision<'WITHIN_LIMITS' | 'EXCEEDS_LIMITS'> {
  return checkTerm('WP-05', parameterAt('WP_MAX_TERM_MONTHS', asOf, variant).value, parameterAt('WP_MAX_TOTAL_MONTHS', asOf, variant).value, request);
}

/** Shared by WP-05 and TRP-01: a single term limit and a total limit, in months. */
export function checkTerm(
  ruleId: string,
  maxTermMonths: number,
  maxTotalMonths: number,
  request: PermitTermRequest,
): Decision<'WITHIN_LIMITS' | 'EXCEEDS_LIMITS'> {
  const reasons: Reason[] = [];
  if (!(request.requestedMonths > 0)) {
    reasons.push(reason(ruleId, 'The requested term must be positive.', 'Tələb olunan müddət müsbət olmalıdır.'));
  }
  if (request.requestedMonths > maxTermMonths) {
    reasons.push(
      reason(ruleId, `A term of ${request.requestedMonths} months exceeds the ${maxTermMonths}-month limit per permit.`, `${request.requestedMonths} aylıq müddət bir icazə üçün ${maxTermMonths} aylıq həddi keçir.`, {
        requestedMonths: request.requestedMonths,
        maxTermMonths,
      }),
    );
  }
  const total = request.previousMonths + request.requestedMonths;
  if (total > maxTotalMonths) {
    reasons.push(
      reason(ruleId, `In total ${total} months would exceed the ${maxTotalMonths}-month limit.`, `Cəmi ${total} ay ${maxTotalMonths} aylıq həddi keçər.`, {
        totalMonths: total,
        maxTotalMonths,
      }),
    );
  }
  if (reasons.length) return { outcome: 'EXCEEDS_LIMITS', reasons };
  return {
    outcome: 'WITHIN_LIMITS',
    reasons: [
      reason(ruleId, `${request.requestedMonths} months (total ${total}) is within ${maxTermMonths} months per permit and ${maxTotalMonths} in total.`, `${request.requestedMonths} ay (cəmi ${total}) bir icazə üçün ${maxTermMonths} ay və cəmi ${maxTotalMonths} ay həddindədir.`),
    ],
  };
}
