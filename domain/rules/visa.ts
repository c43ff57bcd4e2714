/**
 * VISA-01..03: whether a visa is needed, the e-Visa terms, the visa types.
 */
import { reason } from './catalog';
import { parameterAt } from './parameters';
import { Decision, IsoDate, Money, Reason, RuleInputError } from './types';

/** VISA-03: the visa types the seeds name (S0 "tourist, business, transit, student, medical, etc."; S1 work visa). */
export type VisaType = 'TOURIST' | 'BUSINESS' | 'TRANSIT' | 'STUDENT' | 'MEDICAL' | 'WORK';
export const VISA_TYPES: readonly VisaType[] = ['TOURIST', 'BUSINESS', 'TRANSIT', 'STUDENT', 'MEDICAL', 'WORK'];

export function isVisaType(value: string): value is VisaType {
  return (VISA_TYPES as readonly string[]).includes(value);
}

const ALPHA3 = /^[A-Z]{3}$/;

/** Normalises ISO 3166-1 alpha-3 codes (upper case) and rejects anything else. */
export function normaliseCitizenships(citizenships: readonly string[]): string[] {
  return citizenships.map((code) => {
    const upper = String(code).trim().toUpperCase();
    if (!ALPHA3.test(upper)) {
      throw new RuleInputError(`Citizenship must be an ISO 3166-1 alpha-3 code: ${code}`, 'INVALID_ARGUMENT');
    }
    return upper;
  });
}

/** The first of the person's citizenships that is visa-exempt on `asOf`, or null (stateless: always null). */
export function visaExemptCitizenship(citizenships: readonly string[], asOf: IsoDate): string | null {
  const exempt = parameterAt('VISA_EXEMPT_CITIZENSHIPS', asOf).value;
  return normaliseCitizenships(citizenships).find((code) => exempt.includes(code)) ?? null;
}

export interface VisaRequirementDecision extends Decision<'VISA_REQUIRED' | 'VISA_NOT_REQUIRED'> {
  exemptCitizenship: string | null;
}

/**
 * VISA-01: a visa is required unless one of the person's citizenships is on the exempt list in force on
 * `asOf`. A stateless person (no citizenship) always needs a visa.
 */
export function evaluateVisaRequirement(citizenships: readonly string[], asOf: IsoDate): VisaRequirementDecision {
  const codes = normaliseCitizenships(citizenships);
  const exemptCitizenship = visaExemptCitizenship(codes, asOf);
  if (exemptCitizenship) {
    return {
      outcome: 'VISA_NOT_REQUIRED',
      exemptCitizenship,
      reasons: [
        reason(
          'VISA-01',
          `Citizens of ${exemptCitizenship} are exempt from the visa regime; visa-free stay applies (STAY-01).`,
          `${exemptCitizenship} vətəndaşları viza rejimindən azaddır; vizasız olma tətbiq olunur (STAY-01).`,
          { exemptCitizenship },
        ),
      ],
    };
  }
  const stateless = codes.length === 0;
  return {
    outcome: 'VISA_REQUIRED',
    exemptCitizenship: null,
    reasons: [
      stateless
        ? reason('VISA-01', 'A stateless person needs a visa to enter Azerbaijan.', 'Vətəndaşlığı olmayan şəxsə Azərbaycana giriş üçün viza tələb olunur.')
        : reason(
            'VISA-01',
            `No citizenship held (${codes.join(', ')}) is exempt from the visa regime: a visa is required.`,
            `Vətəndaşlığı (${codes.join(', ')}) viza rejimindən azad deyil: viza tələb olunur.`,
            { citizenships: codes },
          ),
    ],
  };
}

export interface EVisaTerms {
  entries: 'SINGLE';
  maxStayDays: number;
  processingWorkingDays: number;
  fee: Money;
  reasons: Reason[];
}

/** VISA-02: the e-Visa terms in force on `asOf`. */
export function eVisaTerms(asOf: IsoDate): EVisaTerms {
  const maxStayDays = parameterAt('EVISA_MAX_STAY_DAYS', asOf).value;
  const processingWorkingDays = parameterAt('EVISA_PROCESSING_WORKING_DAYS', asOf).value;
  const fee = parameterAt('EVISA_FEE', asOf).value;
  return {
    entries: 'SINGLE',
    maxStayDays,
    processingWorkingDays,
    fee,
    reasons: [
      reason(
        'VISA-02',
        `e-Visa: single entry, stay up to ${maxStayDays} days, issued within ${processingWorkingDays} working days, fee ${fee.amount} ${fee.currency}.`,
        `Elektron viza: birdəfəlik giriş, ${maxStayDays} günədək qalma, ${processingWorkingDays} iş günü ərzində, rüsum ${fee.amount} ${fee.currency}.`,
      ),
    ],
  };
}

export interface EVisaRequest {
  requestedStayDays: number;
  entries: 'SINGLE' | 'MULTIPLE';
}

/** VISA-02: does a requested e-Visa fit the terms (single entry, at most 30 days)? */
export function evaluateEVisaRequest(request: EVisaRequest, asOf: IsoDate): Decision<'WITHIN_TERMS' | 'OUTSIDE_TERMS'> {
  const terms = eVisaTerms(asOf);
  const reasons: Reason[] = [];
  if (!Number.isInteger(request.requestedStayDays) || request.requestedStayDays < 1) {
    reasons.push(reason('VISA-02', 'The requested stay must be a whole number of days, at least 1.', 'Tələb olunan müddət ən azı 1 tam gün olmalıdır.'));
  } else if (request.requestedStayDays > terms.maxStayDays) {
    reasons.push(
      reason(
        'VISA-02',
        `An e-Visa allows a stay of up to ${terms.maxStayDays} days; ${request.requestedStayDays} were requested.`,
        `Elektron viza ${terms.maxStayDays} günədək qalmağa imkan verir; ${request.requestedStayDays} gün istənilib.`,
        { requestedStayDays: request.requestedStayDays, maxStayDays: terms.maxStayDays },
      ),
    );
  }
  if (request.entries !== 'SINGLE') {
    reasons.push(reason('VISA-02', 'An e-Visa is single-entry only.', 'Elektron viza yalnız birdəfəlik girişlidir.'));
  }
  return reasons.length ? { outcome: 'OUTSIDE_TERMS', reasons } : { outcome: 'WITHIN_TERMS', reasons: terms.reasons };
}
