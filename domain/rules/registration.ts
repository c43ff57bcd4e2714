/**
 * REG-01..03: registration by place of stay.
 *
 * Choices where the seeds are silent:
 * - The stay length is counted inclusively from the arrival day; "more than 15 days" means the 16th day of
 *   presence (or an intended stay of 16 days or more) triggers the duty.
 * - The deadline is counted in calendar days after the arrival day: arrival 1 March + 10 days = 11 March.
 * - Holders of a temporary or permanent residence permit register by place of residence, not of stay, so the
 *   duty does not apply to them (a documented assumption; the seeds describe registration for visitors).
 * - When the intended length is unknown and the stay has already passed 15 days, the duty applies with the
 *   deadline counted from arrival, so it may already be overdue.
 */
import { reason } from './catalog';
import { addDays, compareIsoDates, inclusiveDays, parseIsoDate } from './dates';
import { ParameterVariant, parameterAt } from './parameters';
import { Decision, IsoDate, Money, Reason } from './types';

export interface RegistrationFact {
  registeredOn: IsoDate;
  validUntil?: IsoDate | null;
}

export interface RegistrationRequirementFacts {
  /** Arrival day of the current stay. */
  entryDate: IsoDate;
  /** Declared departure date, when known (visa, ticket, application). */
  intendedDepartureDate?: IsoDate | null;
  /** A valid temporary or permanent residence permit on the evaluation date. */
  holdsResidencePermit: boolean;
  registrations: readonly RegistrationFact[];
}

export interface RegistrationDecision extends Decision<'REQUIRED' | 'NOT_REQUIRED'> {
  /** Last day to register (REG-02), when required. */
  dueOn: IsoDate | null;
  /** First registration made during this stay, if any. */
  registeredOn: IsoDate | null;
  /** Required, not registered, and the deadline has passed. */
  overdue: boolean;
  /** Days present so far, arrival day included. */
  stayDays: number;
  /** Day on which the duty arises if the person is still present (16th day), when not yet required. */
  requiredFrom: IsoDate | null;
}

export function evaluateRegistrationRequirement(
  facts: RegistrationRequirementFacts,
  asOf: IsoDate,
  variant: ParameterVariant = 'SEED',
): RegistrationDecision {
  parseIsoDate(asOf);
  const threshold = parameterAt('REG_REQUIRED_AFTER_DAYS', asOf, variant).value;
  const deadlineDays = parameterAt('REG_DEADLINE_DAYS_AFTER_ARRIVAL', asOf, variant).value;
  const stayDays = inclusiveDays(facts.entryDate, asOf);
  const base = { registeredOn: null, overdue: false, stayDays };

  if (facts.holdsResidencePermit) {
    return {
      ...base,
      outcome: 'NOT_REQUIRED',
      dueOn: null,
      requiredFrom: null,
      reasons: [
        reason(
          'REG-01',
          'The person holds a residence permit and is registered by place of residence, not of stay.',
          'Şəxsin yaşama icazəsi var; o, olduğu yer üzrə deyil, yaşayış yeri üzrə qeydiyyatdadır.',
        ),
      ],
    };
  }

  const intendedDays = facts.intendedDepartureDate ? inclusiveDays(facts.entryDate, facts.intendedDepartureDate) : 0;
  const expectedDays = Math.max(stayDays, intendedDays);
  if (expectedDays <= threshold) {
    const requiredFrom = addDays(facts.entryDate, threshold);
    return {
      ...base,
      outcome: 'NOT_REQUIRED',
      dueOn: null,
      requiredFrom,
      reasons: [
        reason(
          'REG-01',
          `A stay of ${expectedDays} day(s) is not more than ${threshold} days: no registration by place of stay is needed yet; it becomes required on ${requiredFrom} if the person is still present.`,
          `${expectedDays} günlük qalma ${threshold} gündən artıq deyil: olduğu yer üzrə qeydiyyat hələ tələb olunmur; şəxs ${requiredFrom} tarixində ölkədə olarsa, tələb olunur.`,
          { stayDays, intendedDays, threshold, requiredFrom },
        ),
      ],
    };
  }

  const dueOn = addDays(facts.entryDate, deadlineDays);
  const registration = [...facts.registrations]
    .filter((r) => compareIsoDates(r.registeredOn, facts.entryDate) >= 0 && compareIsoDates(r.registeredOn, asOf) <= 0)
    .sort((a, b) => compareIsoDates(a.registeredOn, b.registeredOn))[0];
  const registeredOn = registration?.registeredOn ?? null;
  const overdue = registeredOn === null && compareIsoDates(asOf, dueOn) > 0;
  const reasons: Reason[] = [
    reason(
      'REG-01',
      `The stay is more than ${threshold} days (${expectedDays}): registration by place of stay is required.`,
      `Qalma müddəti ${threshold} gündən artıqdır (${expectedDays}): olduğu yer üzrə qeydiyyat tələb olunur.`,
      { stayDays, intendedDays, threshold },
    ),
    reason(
      'REG-02',
      `Registration is due within ${deadlineDays} days after arrival on ${facts.entryDate}, i.e. by ${dueOn}.`,
      `Qeydiyyat ${facts.entryDate} tarixində gəlişdən sonra ${deadlineDays} gün ərzində, yəni ${dueOn} tarixinədək aparılmalıdır.`,
      { dueOn, deadlineDays, variant },
    ),
  ];
  if (registeredOn) {
    const late = compareIsoDates(registeredOn, dueOn) > 0;
    reasons.push(
      reason(
        'REG-02',
        late ? `Registered on ${registeredOn}, after the deadline.` : `Registered on ${registeredOn}, within the deadline.`,
        late ? `${registeredOn} tarixində, müddət bitdikdən sonra qeydiyyata alınıb.` : `${registeredOn} tarixində, müddət ərzində qeydiyyata alınıb.`,
        { registeredOn, late },
      ),
    );
  } else if (overdue) {
    reasons.push(
      reason('REG-02', `Not registered and the deadline ${dueOn} has passed.`, `Qeydiyyat yoxdur və ${dueOn} müddəti keçib.`, { dueOn }),
    );
  }
  return { outcome: 'REQUIRED', dueOn, registeredOn, overdue, stayDays, requiredFrom: null, reasons };
}

export const REGISTRATION_CHANNELS = ['ONLINE', 'REGIONAL_MIGRATION_OFFICE'] as const;

/** REG-03: registration by place of stay is free of charge, online or at a regional migration office. */
export function registrationTerms(asOf: IsoDate): { fee: Money; channels: readonly string[]; reasons: Reason[] } {
  const fee = parameterAt('REG_FEE', asOf).value;
  return {
    fee,
    channels: REGISTRATION_CHANNELS,
    reasons: [
      reason(
        'REG-03',
        'Registration by place of stay is free of charge and is done online or at a regional migration office.',
        'Olduğu yer üzrə qeydiyyat ödənişsizdir; onlayn və ya regional miqrasiya idarəsində aparılır.',
        { feeAmount: fee.amount, currency: fee.currency },
      ),
    ],
  };
}
