import { randomUUID } from 'node:crypto';
import type { Database } from '../../platform/db/database';
import { randomDigits } from '../../platform/random-digits';
import { luhnCheckDigit } from '../../domain/facts/payment-codes';
import { badUserInput, invalidTransition } from '../../platform/errors';
import { GraphQLError } from 'graphql';
import { parseId } from '../../platform/ids';
import { isUniqueViolation, writeOnce } from '../../platform/idempotent-write';
import { checkDay, eventDays, notBeforeBirth, relayedDays, type DayWindow, type WriteDates } from '../../platform/plausible-dates';
import { RULE_OFFENCE } from '../../domain/facts/fine-facts';
import { addDays, checkFineAmount } from '../../domain/rules';
import type { CancelStateDutyInput, IssueFineInput, RecordPaymentInput, StateDutyInput } from './payment-input.type';
import type { PaymentService } from './payment.service';
import { PaymentStore, type FineRow, type PaymentRow } from './payment.store';
import type { Fine, Payment } from './payment.type';
import type { PersonLookup } from '../../platform/person-lookup';

const AMOUNT = /^\d{1,10}(\.\d{1,2})?$/;
const IDEMPOTENCY_KEY = /^[A-Za-z0-9._:-]{8,128}$/;

/** Exact decimal comparison of two amounts written with up to two digits after the point. */
function cents(amount: string): bigint {
  const [whole, fraction = ''] = amount.split('.');
  return BigInt(whole) * 100n + BigInt(fraction.padEnd(2, '0'));
}

/** An amount as the store keeps it, two digits after the point ('350' and '350.0' are '350.00'). */
function canonicalAmount(amount: string): string {
  const value = cents(amount);
  return `${value / 100n}.${(value % 100n).toString().padStart(2, '0')}`;
}

/** A fine falls due no earlier than it is imposed, and within a year of it (a plausibility bound, not a rule of law). */
function dueDays(issuedOn: string): DayWindow {
  return { earliest: { date: issuedOn, label: 'the day it is imposed' }, latest: { date: addDays(issuedOn, 365), label: 'a year after it is imposed' } };
}

/**
 * Writes of the payments registry. Billing a duty is idempotent on the application; a payment is taken
 * exactly once per channel transaction key, never twice for one duty, and only for the exact amount.
 */
/** Tries at a new payment code before a write gives up (codes alike twice running: something else is wrong). */
const CODE_ATTEMPTS = 4;

const randomCodeDigits = () => randomDigits(11);

export class PaymentRecordsService {
  constructor(
    private readonly db: Database,
    private readonly payments: PaymentService,
    private readonly today: string,
    private readonly writeDates: WriteDates,
    /** The persons registry, asked through the graph whether a person exists. */
    private readonly personOnRecord: PersonLookup,
    /** Eleven digits for a new payment code (random; a test may give its own). */
    private readonly codeDigits: () => string = randomCodeDigits,
  ) {}

  /**
   * Writes with a new payment code: eleven random digits and a Luhn check digit. A code is what a payer
   * brings to a bank or terminal, and what a bank looks a payment up by, so it must not be guessed from
   * another (a serial was: a bank could sweep the codes after its own). Two codes alike (one in about
   * 10^11 divided by the codes on record) make the write fail on the code's unique index, and it is made
   * again with another.
   */
  private async withNewCode<T>(write: (code: string) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt += 1) {
      const digits = this.codeDigits();
      try {
        return await write(digits + luhnCheckDigit(digits));
      } catch (error) {
        if (attempt >= CODE_ATTEMPTS || !isUniqueViolation(error, 'payments_code_key')) throw error;
      }
    }
  }

  async billStateDuty(input: StateDutyInput): Promise<Payment> {
    const applicationId = parseId(input.applicationId, 'input.applicationId');
    const personId = parseId(input.personId, 'input.personId');
    if (!AMOUNT.test(input.amount) || cents(input.amount) <= 0n) throw badUserInput('input.amount must be a positive decimal amount', 'input.amount');
    checkDay(input.createdOn, 'input.createdOn', relayedDays(this.today));
    const store = new PaymentStore(this.db);
    const duty = async () => (await store.paymentsOfApplications([applicationId])).find((payment) => payment.purpose === 'STATE_DUTY') ?? null;
    // One duty per application: a message resent is the same bill; the same application billed otherwise is refused.
    const outcome = await writeOnce<PaymentRow>({
      keyField: 'input.applicationId',
      sent: { personId, amount: canonicalAmount(input.amount), currency: input.currency, createdOn: input.createdOn },
      recorded: duty,
      detailsOf: (billed) => ({ personId: billed.personId, amount: canonicalAmount(billed.amount), currency: billed.currency, createdOn: billed.createdOn }),
      write: async () => {
        const inserted = await this.withNewCode((code) =>
          store.insertStateDuty({ id: randomUUID(), code, applicationId, personId, amount: input.amount, currency: input.currency, createdOn: input.createdOn }),
        );
        return inserted ? duty() : null;
      },
    });
    if (outcome.kind === 'not-written') throw new Error('A duty was refused by its application, yet none is on record for it');
    return (await this.payments.ofApplication(applicationId))[0];
  }

  /** Idempotent: cancelling again, or an application that was never billed, changes nothing. */
  async cancelStateDuty(input: CancelStateDutyInput): Promise<Payment | null> {
    const applicationId = parseId(input.applicationId, 'input.applicationId');
    checkDay(input.cancelledOn, 'input.cancelledOn', relayedDays(this.today));
    await new PaymentStore(this.db).cancelStateDuty(applicationId);
    return (await this.payments.ofApplication(applicationId))[0] ?? null;
  }

  async recordPayment(input: RecordPaymentInput): Promise<Payment> {
    const key = input.idempotencyKey.trim();
    if (!IDEMPOTENCY_KEY.test(key)) throw badUserInput('input.idempotencyKey: 8 to 128 letters, digits, dots, underscores, colons or hyphens', 'input.idempotencyKey');
    if (!AMOUNT.test(input.amount)) throw badUserInput('input.amount must be a decimal amount, e.g. 350.00', 'input.amount');
    const payment = await this.payments.byCode(input.code);
    if (!payment) throw new GraphQLError('No payment has this code', { extensions: { code: 'NOT_FOUND', field: 'input.code' } });

    const store = new PaymentStore(this.db);
    const outcome = await writeOnce<PaymentRow>({
      keyField: 'input.idempotencyKey',
      sent: { code: payment.code, channel: input.channel, amount: canonicalAmount(input.amount) },
      recorded: () => store.paymentByIdempotencyKey(key),
      detailsOf: (taken) => ({ code: taken.code, channel: taken.channel, amount: canonicalAmount(taken.amount) }),
      write: async () => {
        if (payment.status !== 'UNPAID') throw invalidTransition(`This ${payment.purpose === 'FINE' ? 'fine' : 'duty'} is ${payment.status.toLowerCase()}: it cannot be paid again.`);
        if (cents(input.amount) !== cents(payment.amount.amount)) {
          throw badUserInput(`input.amount must be exactly ${payment.amount.amount} ${payment.amount.currency}`, 'input.amount');
        }
        return store.markPaid(payment.id, input.channel, this.today, key).catch((error: unknown) => {
          // The same key raced in on another request and won: writeOnce compares that payment with this one.
          if (isUniqueViolation(error)) return null;
          throw error;
        });
      },
    });
    if (outcome.kind === 'not-written') throw invalidTransition('This payment was taken by another transaction in the meantime: it cannot be paid again.');
    return this.fresh(outcome.recorded.id);
  }

  /** FINE-01: the amount must lie in the range the rules give for the offence (F3). */
  async issueFine(input: IssueFineInput): Promise<Fine> {
    const personId = parseId(input.personId, 'input.personId');
    const key = input.idempotencyKey.trim();
    if (!IDEMPOTENCY_KEY.test(key)) throw badUserInput('input.idempotencyKey: 8 to 128 letters, digits, dots, underscores, colons or hyphens', 'input.idempotencyKey');
    if (!AMOUNT.test(input.amount)) throw badUserInput('input.amount must be a decimal amount, e.g. 300.00', 'input.amount');
    const article = input.legalArticle.trim();
    if (article.length < 2 || article.length > 100) throw badUserInput('input.legalArticle must be 2 to 100 characters', 'input.legalArticle');
    const events = eventDays(this.today, this.writeDates);
    if (input.issuedOn) checkDay(input.issuedOn, 'input.issuedOn', events);
    const issuedOn = input.issuedOn ?? this.today;
    const dueOn = input.dueOn ?? addDays(issuedOn, 60);
    checkDay(dueOn, 'input.dueOn', dueDays(issuedOn));
    const amount = { amount: Number(input.amount), currency: 'AZN' as const };
    const check = checkFineAmount({ offence: RULE_OFFENCE[input.offence], imposedOn: issuedOn, amount, paidOn: null }, issuedOn);
    if (check.outcome === 'OUTSIDE_RANGE') {
      throw badUserInput(`input.amount: ${check.reasons.map((r) => `${r.ruleId}: ${r.message.en}`).join(' ')}`, 'input.amount');
    }
    // Payments does not own persons: a fine for a person the persons registry does not know is refused.
    const person = await this.personOnRecord(personId);
    if (!person) throw badUserInput('input.personId: the persons registry has no person with this id', 'input.personId');
    checkDay(issuedOn, 'input.issuedOn', notBeforeBirth(events, person.birthDate));

    const store = new PaymentStore(this.db);
    const fine: FineRow = { id: randomUUID(), personId, offence: input.offence, legalArticle: article, amount: amount.amount.toFixed(2), currency: 'AZN', issuedOn, dueOn };
    const outcome = await writeOnce<FineRow>({
      keyField: 'input.idempotencyKey',
      // The days are compared only when sent: a retry the next day that leaves them to their defaults is the same fine.
      sent: { personId, offence: fine.offence, legalArticle: article, amount: fine.amount, issuedOn: input.issuedOn ?? undefined, dueOn: input.dueOn ?? undefined },
      recorded: () => store.fineByIdempotencyKey(key),
      detailsOf: (taken) => ({ personId: taken.personId, offence: taken.offence, legalArticle: taken.legalArticle, amount: canonicalAmount(taken.amount), issuedOn: taken.issuedOn, dueOn: taken.dueOn }),
      write: async () => {
        const inserted = await this.withNewCode((code) => this.db.transaction((tx) => new PaymentStore(tx).insertFine(fine, key, { id: randomUUID(), code })));
        return inserted ? fine : null;
      },
    });
    if (outcome.kind === 'not-written') throw new Error('A fine was refused by its issuance key, yet none is on record under it');
    return (await this.payments.fineByReference(outcome.recorded.id))!;
  }

  private async fresh(id: string): Promise<Payment> {
    this.payments.forget(id);
    return (await this.payments.paymentByReference(id))!;
  }
}
