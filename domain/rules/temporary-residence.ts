/**
 * TRP-01..03: temporary residence permits. Duty (F2) is in state-duty.ts, the 30-working-day deadline in
 * working-days.ts (applicationDueDate).
 */
import { reason } from './catalog';
import { addYears, compareIsoDates, continuousCoverageStart, fromDayNumber, toDayNumber } from './dates';
import { ParameterVariant, parameterAt } from './parameters';
import { Decision, IsoDate, LocalizedText, Reason, RecordedFact } from './types';
import { PermitTermRequest, checkTerm } from './work-permit';

/**
 * TRP-02: the grounds named by S0. The Code's own list is article 45.1.x; the seeds give the article numbers
 * of only a few (45.1.2, 45.1.7, 45.1.8–45.1.11) without their content, so a permit records its article
 * separately (`groundArticle`) when known.
 */
export type TemporaryResidenceGround = 'FAMILY_REUNIFICATION' | 'EDUCATION' | 'EMPLOYMENT' | 'INVESTMENT' | 'OTHER_LEGAL_GROUND';

export const TEMPORARY_RESIDENCE_GROUNDS: ReadonlyArray<{ ground: TemporaryResidenceGround; text: LocalizedText }> = [
  { ground: 'FAMILY_REUNIFICATION', text: { az: 'Ailənin birləşdirilməsi', en: 'Family reunification' } },
  { ground: 'EDUCATION', text: { az: 'Təhsil', en: 'Education' } },
  { ground: 'EMPLOYMENT', text: { az: 'Əmək fəaliyyəti', en: 'Employment' } },
  { ground: 'INVESTMENT', text: { az: 'İnvestisiya', en: 'Investment' } },
  { ground: 'OTHER_LEGAL_GROUND', text: { az: 'Miqrasiya Məcəlləsinin 45.1-ci maddəsindəki digər əsas', en: 'Another ground of Migration Code article 45.1' } },
];

export function describeTemporaryResidenceGround(ground: TemporaryResidenceGround): Reason {
  const entry = TEMPORARY_RESIDENCE_GROUNDS.find((candidate) => candidate.ground === ground);
  if (!entry) return reason('TRP-02', `Unknown temporary residence ground: ${ground}.`, `Naməlum müvəqqəti yaşama əsası: ${ground}.`);
  return reason('TRP-02', `Ground of temporary residence: ${entry.text.en}.`, `Müvəqqəti yaşama əsası: ${entry.text.az}.`, { ground });
}

export interface TemporaryResidencePermitFact {
  validFrom: IsoDate;
  validUntil: IsoDate;
  revokedOn?: IsoDate | null;
  ground?: TemporaryResidenceGround;
  /** Article of Migration Code 45.1 the permit was issued under, e.g. '45.1.2', when recorded. */
  groundArticle?: string | null;
  /** PR-01: granted as a family member of a holder whose permit is under 45.1.8–45.1.11. */
  grantedAsFamilyMemberOf45_1_8To11?: RecordedFact;
}

/** TRP-01: at most 1 year per permit (seed; F2 implies up to 3 years in published practice), 5 years in total. */
export function checkTemporaryResidenceTerm(
  request: PermitTermRequest,
  asOf: IsoDate,
  variant: ParameterVariant = 'SEED',
): Decision<'WITHIN_LIMITS' | 'EXCEEDS_LIMITS'> {
  return checkTerm('TRP-01', parameterAt('TRP_MAX_TERM_MONTHS', asOf, variant).value, parameterAt('TRP_MAX_TOTAL_MONTHS', asOf, variant).value, request);
}

function lastDay(permit: { validUntil: IsoDate | null; revokedOn?: IsoDate | null }): IsoDate | null {
  if (permit.revokedOn) {
    const dayBefore = fromDayNumber(toDayNumber(permit.revokedOn) - 1);
    return permit.validUntil === null || compareIsoDates(dayBefore, permit.validUntil) < 0 ? dayBefore : permit.validUntil;
  }
  return permit.validUntil;
}

export interface ContinuousResidence {
  /** First day of the unbroken run of permits covering `asOf`, or null when none covers it. */
  since: IsoDate | null;
  /** Day on which `years` of continuous residence are complete (the anniversary of `since`). */
  completesOn: IsoDate | null;
  complete: boolean;
}

/**
 * Continuous lawful residence on permits: the run of permits (touching or overlapping, no gap of a day)
 * that covers `asOf`. A period of N years that starts on day D is complete on the anniversary D + N years;
 * from 29 February the anniversary in a common year is 28 February.
 */
export function continuousResidence(
  permits: ReadonlyArray<{ validFrom: IsoDate; validUntil: IsoDate | null; revokedOn?: IsoDate | null }>,
  years: number,
  asOf: IsoDate,
): ContinuousResidence {
  const since = continuousCoverageStart(
    permits.map((permit) => ({ from: permit.validFrom, until: lastDay(permit) })),
    asOf,
  );
  if (!since) return { since: null, completesOn: null, complete: false };
  const completesOn = addYears(since, years);
  return { since, completesOn, complete: compareIsoDates(asOf, completesOn) >= 0 };
}
