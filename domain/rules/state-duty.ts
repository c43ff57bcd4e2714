/**
 * State duties: WP-06 (F1), TRP-03 (F2), VISA-02 (e-Visa 20 USD), CIT-05 (a range only), REG-03 (free),
 * the payment rules PAY-01..03, and PAY-04: nothing is issued before its duty is paid.
 *
 * A combination the tables do not contain (a processing time that is not a tier, a duration longer than the
 * last column) is an ERROR decision with a reason, never a guess. Where the data gives only a range
 * (citizenship, permanent residence) the outcome is RANGE and says so.
 */
import { reason } from './catalog';
import { parseIsoDate } from './dates';
import { DutyTable, ParameterVariant, parameterAt } from './parameters';
import { ApplicationType, Decision, IsoDate, Money, MoneyRange, Reason } from './types';

/** ASSESSED: the tables leave the amount open (RANGE, UNKNOWN) and an officer has set it (PAY-04, see withAssessment). */
export type StateDutyOutcome = 'FIXED' | 'RANGE' | 'FREE' | 'UNKNOWN' | 'ERROR' | 'ASSESSED';

export interface StateDutyDecision extends Decision<StateDutyOutcome> {
  amount: Money | null;
  range: MoneyRange | null;
}

function fromTable(
  table: DutyTable,
  ruleIds: { rule: string; figure: string },
  durationMonths: number | null,
  processingWorkingDays: number | null,
): StateDutyDecision {
  const error = (en: string, az: string, detail?: Reason['detail']): StateDutyDecision => ({
    outcome: 'ERROR',
    amount: null,
    range: null,
    reasons: [reason(ruleIds.rule, en, az, detail)],
  });
  const tiers = Object.keys(table.byProcessingWorkingDays).map(Number);
  if (processingWorkingDays === null || !tiers.includes(processingWorkingDays)) {
    return error(
      `${ruleIds.figure} has no duty for a processing time of ${processingWorkingDays ?? 'unknown'} working days; its tiers are ${tiers.join(', ')}.`,
      `${ruleIds.figure} cədvəlində ${processingWorkingDays ?? 'naməlum'} iş günü üçün rüsum yoxdur; mövcud müddətlər: ${tiers.join(', ')}.`,
      { processingWorkingDays, tiers: tiers.map(String) },
    );
  }
  if (durationMonths === null || !Number.isFinite(durationMonths) || durationMonths <= 0) {
    return error('The permit duration in months must be a positive number.', 'İcazənin müddəti (ay) müsbət ədəd olmalıdır.');
  }
  const column = table.maxDurationMonths.findIndex((max) => durationMonths <= max);
  if (column < 0) {
    const longest = table.maxDurationMonths[table.maxDurationMonths.length - 1];
    return error(
      `${ruleIds.figure} has no duty for a duration of ${durationMonths} months; its longest column is up to ${longest} months.`,
      `${ruleIds.figure} cədvəlində ${durationMonths} aylıq müddət üçün rüsum yoxdur; ən uzun sütun ${longest} aydır.`,
      { durationMonths, longestMonths: longest },
    );
  }
  const amount = table.byProcessingWorkingDays[processingWorkingDays][column];
  const upTo = table.maxDurationMonths[column];
  return {
    outcome: 'FIXED',
    amount: { amount, currency: table.currency },
    range: null,
    reasons: [
      reason(
        ruleIds.rule,
        `State duty ${amount} ${table.currency}: duration up to ${upTo} months, processed within ${processingWorkingDays} working days (${ruleIds.figure}).`,
        `Dövlət rüsumu ${amount} ${table.currency}: ${upTo} ayadək müddət, ${processingWorkingDays} iş günü ərzində baxılma (${ruleIds.figure}).`,
        { amount, currency: table.currency, upToMonths: upTo, processingWorkingDays },
      ),
    ],
  };
}

/**
 * The state duty of an application. `durationMonths` and `processingWorkingDays` are used where the tables
 * need them (work permit, temporary residence) and ignored otherwise.
 */
export function stateDuty(
  applicationType: ApplicationType,
  durationMonths: number | null,
  processingWorkingDays: number | null,
  asOf: IsoDate,
  variant: ParameterVariant = 'SEED',
): StateDutyDecision {
  parseIsoDate(asOf);
  switch (applicationType) {
    case 'WORK_PERMIT':
    case 'WORK_PERMIT_EXTENSION':
      return fromTable(parameterAt('WP_DUTY_TABLE', asOf, variant).value, { rule: 'WP-06', figure: 'F1' }, durationMonths, processingWorkingDays);
    case 'TEMPORARY_RESIDENCE':
    case 'TEMPORARY_RESIDENCE_EXTENSION':
      return fromTable(parameterAt('TRP_DUTY_TABLE', asOf, variant).value, { rule: 'TRP-03', figure: 'F2' }, durationMonths, processingWorkingDays);
    case 'E_VISA': {
      const fee = parameterAt('EVISA_FEE', asOf, variant).value;
      const standard = parameterAt('EVISA_PROCESSING_WORKING_DAYS', asOf, variant).value;
      if (processingWorkingDays !== null && processingWorkingDays !== standard) {
        return {
          outcome: 'ERROR',
          amount: null,
          range: null,
          reasons: [
            reason(
              'VISA-02',
              `The e-Visa fee is known only for processing within ${standard} working days, not ${processingWorkingDays}.`,
              `Elektron viza rüsumu yalnız ${standard} iş günü üçün məlumdur, ${processingWorkingDays} üçün deyil.`,
            ),
          ],
        };
      }
      return {
        outcome: 'FIXED',
        amount: fee,
        range: null,
        reasons: [reason('VISA-02', `e-Visa fee: ${fee.amount} ${fee.currency}.`, `Elektron viza rüsumu: ${fee.amount} ${fee.currency}.`)],
      };
    }
    case 'CITIZENSHIP_ADMISSION':
    case 'CITIZENSHIP_RESTORATION':
    case 'CITIZENSHIP_TERMINATION': {
      const range = parameterAt('CIT_DUTY_RANGE', asOf, variant).value;
      return {
        outcome: 'RANGE',
        amount: null,
        range,
        reasons: [
          reason(
            'CIT-05',
            `The citizenship duty is ${range.min}–${range.max} ${range.currency} depending on type and reason; the data holds no exact figure per case.`,
            `Vətəndaşlıq rüsumu növ və səbəbdən asılı olaraq ${range.min}–${range.max} ${range.currency} təşkil edir; hər hal üçün dəqiq məbləğ məlumatlarda yoxdur.`,
            { min: range.min, max: range.max },
          ),
        ],
      };
    }
    case 'PERMANENT_RESIDENCE': {
      const range = parameterAt('RESIDENCE_S0_DUTY_RANGE', asOf, variant).value;
      return {
        outcome: 'RANGE',
        amount: null,
        range,
        reasons: [
          reason(
            'TRP-03',
            `S0 gives only a range for residence permits (${range.min}–${range.max} ${range.currency}); no table for permanent residence is in the data.`,
            `S0 yaşama icazələri üçün yalnız aralıq verir (${range.min}–${range.max} ${range.currency}); daimi yaşama üçün cədvəl yoxdur.`,
          ),
        ],
      };
    }
    case 'REGISTRATION_BY_PLACE_OF_STAY': {
      const fee = parameterAt('REG_FEE', asOf, variant).value;
      return {
        outcome: 'FREE',
        amount: fee,
        range: null,
        reasons: [reason('REG-03', 'Registration by place of stay is free of charge.', 'Olduğu yer üzrə qeydiyyat ödənişsizdir.')],
      };
    }
    case 'TEMPORARY_STAY_EXTENSION':
      return {
        outcome: 'UNKNOWN',
        amount: null,
        range: null,
        reasons: [
          reason(
            'STAY-PAND',
            'The seeds mention that a duty is paid for an extension of stay but give no amount; none is in the data.',
            'Mənbələr olma müddətinin uzadılması üçün rüsum ödənildiyini qeyd edir, lakin məbləğ vermir.',
          ),
        ],
      };
  }
}

/** An officer's assessment of one application's duty (assessStateDuty): the amount, and the day it was set. */
export interface DutyAssessment {
  amount: Money;
  assessedOn: IsoDate;
}

/**
 * PAY-04 with CIT-05 / TRP-03 / the stay extension: the duty of one application once an officer has
 * assessed the amount its tables leave open. The amount is the assessment's; the range (where the
 * tables give one) stays, as the bounds it was set within. A duty the tables fix or waive is theirs,
 * whatever is passed; without an assessment the tables' answer stands.
 */
export function withAssessment(duty: StateDutyDecision, assessment: DutyAssessment | null): StateDutyDecision {
  if (!assessment || (duty.outcome !== 'RANGE' && duty.outcome !== 'UNKNOWN')) return duty;
  const { amount, currency } = assessment.amount;
  const figure = amount.toFixed(2);
  return {
    outcome: 'ASSESSED',
    amount: assessment.amount,
    range: duty.range,
    reasons: [
      reason(
        'PAY-04',
        `State duty ${figure} ${currency}, assessed by an officer on ${assessment.assessedOn} where the tables give no fixed amount.`,
        `Dövlət rüsumu ${figure} ${currency}: cədvəllər sabit məbləğ vermədiyi üçün ${assessment.assessedOn} tarixində əməkdaş tərəfindən müəyyən edilib.`,
        { amount: figure, currency, assessedOn: assessment.assessedOn },
      ),
      ...duty.reasons,
    ],
  };
}

/** A state duty payment as the payments registry records it. */
export interface DutyPayment {
  code: string;
  status: 'UNPAID' | 'PAID' | 'CANCELLED';
}

export type DutyBeforeIssueOutcome = 'PAID' | 'NOT_DUE' | 'NOT_PAID';

/**
 * PAY-04: an application's permit or document is issued only once its state duty is paid; a duty-free
 * application (REG-03) needs none. `payments` are the application's state duty payments; a cancelled one
 * counts for nothing. Where the tables give no fixed amount (RANGE, UNKNOWN) the duty is billed only
 * once an officer has assessed it, so "not billed" says which step is missing.
 */
export function checkDutyBeforeIssue(duty: StateDutyDecision, payments: readonly DutyPayment[]): Decision<DutyBeforeIssueOutcome> {
  if (duty.outcome === 'FREE') {
    return {
      outcome: 'NOT_DUE',
      reasons: [
        reason('PAY-04', 'No state duty is due: the application is duty-free.', 'Dövlət rüsumu tələb olunmur: müraciət rüsumsuzdur.'),
        ...duty.reasons,
      ],
    };
  }
  const paid = payments.find((payment) => payment.status === 'PAID');
  if (paid) {
    return {
      outcome: 'PAID',
      reasons: [reason('PAY-04', `The state duty is paid (payment code ${paid.code}).`, `Dövlət rüsumu ödənilib (ödəniş kodu ${paid.code}).`, { code: paid.code })],
    };
  }
  const unpaid = payments.find((payment) => payment.status === 'UNPAID');
  if (unpaid) {
    return {
      outcome: 'NOT_PAID',
      reasons: [
        reason(
          'PAY-04',
          `The state duty is not paid yet: it is payable by payment code ${unpaid.code}; the application is issued once it is paid.`,
          `Dövlət rüsumu hələ ödənilməyib: ${unpaid.code} ödəniş kodu ilə ödənilir; müraciət ödənişdən sonra icra olunur.`,
          { code: unpaid.code },
        ),
      ],
    };
  }
  const assessed = duty.outcome === 'FIXED';
  return {
    outcome: 'NOT_PAID',
    reasons: [
      assessed
        ? reason(
            'PAY-04',
            'The state duty has not been billed yet (the payments registry has no payment for this application); it is issued once the duty is billed and paid.',
            'Dövlət rüsumu hələ hesablanmayıb (ödənişlər reyestrində bu müraciət üzrə ödəniş yoxdur); rüsum hesablanıb ödənildikdən sonra icra olunur.',
          )
        : reason(
            'PAY-04',
            'The state duty of this application has no fixed amount and has not been assessed: an officer assesses it (assessStateDuty), then it is billed and paid.',
            'Bu müraciətin dövlət rüsumunun sabit məbləği yoxdur və hələ müəyyən edilməyib: əməkdaş onu müəyyən edir (assessStateDuty), sonra hesablanır və ödənilir.',
          ),
    ],
  };
}

/** The largest duty an officer may assess where the data gives no amount at all (UNKNOWN): a bound against typing errors, not a figure of the seeds. */
export const MAX_ASSESSED_DUTY_AZN = 10_000;

/**
 * PAY-04 with CIT-05 / TRP-03 / the stay extension: where the data gives a range or no amount, an officer
 * assesses the duty of one application. The amount must lie within the range the seeds give (CIT-05:
 * 50–1000 AZN; S0 residence permits: 40–200 AZN); where they give none, it must be positive. A fixed or free
 * duty is never assessed by hand.
 */
export function checkDutyAssessment(duty: StateDutyDecision, assessed: Money): Decision<'ACCEPTED' | 'REFUSED'> {
  const refuse = (en: string, az: string): Decision<'REFUSED'> => ({ outcome: 'REFUSED', reasons: [reason('PAY-04', en, az), ...duty.reasons] });
  if (duty.outcome === 'FIXED' || duty.outcome === 'FREE' || duty.outcome === 'ERROR') {
    return refuse(
      'This application\'s duty is set by the tables (or it is duty-free); it is not assessed by hand.',
      'Bu müraciətin rüsumu cədvəllə müəyyən edilir (və ya rüsumsuzdur); əl ilə müəyyən edilmir.',
    );
  }
  if (!Number.isFinite(assessed.amount) || assessed.amount <= 0) return refuse('The assessed duty must be a positive amount.', 'Müəyyən edilən rüsum müsbət məbləğ olmalıdır.');
  if (Math.round(assessed.amount * 100) !== assessed.amount * 100) return refuse('The assessed duty has at most two decimals.', 'Müəyyən edilən rüsumun ən çox iki onluq rəqəmi olur.');
  if (duty.range) {
    const { min, max, currency } = duty.range;
    if (assessed.currency !== currency || assessed.amount < min || assessed.amount > max) {
      return refuse(
        `The assessed duty must be ${min}–${max} ${currency} for this application.`,
        `Bu müraciət üçün müəyyən edilən rüsum ${min}–${max} ${currency} olmalıdır.`,
      );
    }
  } else if (assessed.currency !== 'AZN' || assessed.amount > MAX_ASSESSED_DUTY_AZN) {
    return refuse(`The assessed duty must be in AZN and at most ${MAX_ASSESSED_DUTY_AZN} AZN.`, `Müəyyən edilən rüsum AZN ilə və ən çox ${MAX_ASSESSED_DUTY_AZN} AZN olmalıdır.`);
  }
  return {
    outcome: 'ACCEPTED',
    reasons: [
      reason(
        'PAY-04',
        `State duty assessed at ${assessed.amount} ${assessed.currency}; the application is issued once it is paid.`,
        `Dövlət rüsumu ${assessed.amount} ${assessed.currency} məbləğində müəyyən edildi; müraciət ödənişdən sonra icra olunur.`,
        { amount: assessed.amount, currency: assessed.currency },
      ),
    ],
  };
}

export type PaymentChannel = 'ONLINE_SERVICE_SITE' | 'BANK_BRANCH' | 'EXPRESSPAY_TERMINAL' | 'ASAN_PAYMENT_TERMINAL';
export const PAYMENT_CHANNELS: readonly PaymentChannel[] = ['ONLINE_SERVICE_SITE', 'BANK_BRANCH', 'EXPRESSPAY_TERMINAL', 'ASAN_PAYMENT_TERMINAL'];

/** PAY-01..03: what applicants can do after applying: track the status, look up the payment code, pay. */
export function paymentAndTrackingTerms(): { channels: readonly PaymentChannel[]; reasons: Reason[] } {
  return {
    channels: PAYMENT_CHANNELS,
    reasons: [
      reason('PAY-01', 'The status of an application can be tracked on the Service site.', 'Müraciətin statusu Xidmətin saytında izlənilə bilər.'),
      reason('PAY-02', 'Each state duty has a payment code that can be looked up.', 'Hər dövlət rüsumunun axtarıla bilən ödəniş kodu var.'),
      reason(
        'PAY-03',
        "Duties are paid online on the Service's site, at bank branches, and at expressPay and ASAN payment terminals.",
        'Rüsumlar Xidmətin saytında onlayn, bank filiallarında, expressPay və ASAN ödəniş terminallarında ödənilir.',
      ),
    ],
  };
}
