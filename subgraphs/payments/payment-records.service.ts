import { randomUUID } from 'node:crypto';
import type { Database } from '../shared/db/database';
import { luhnCheckDigit } from '../shared/facts/payment-codes';
import { badUserInput, invalidTransition } from '../shared/errors';
import { GraphQLError } from 'graphql';
import { parseId } from '../shared/ids';
import { RULE_OFFENCE } from '../shared/facts/fine-facts';
import { addDays, checkFineAmount } from '../shared/rules';
import type { CancelStateDutyInput, IssueFineInput, RecordPaymentInput, StateDutyInput } from './payment-input.type';
import type { PaymentService } from './payment.service';
import { PaymentStore } from './payment.store';
import type { Fine, Payment } from './payment.type';

const AMOUNT = /^\d{1,10}(\.\d{1,2})?$/;
const IDEMPOTENCY_KEY = /^[A-Za-z0-9._:-]{8,128}$/;

/** Exact decimal comparison of two amounts written with up to two digits after the point. */
function cents(amount: string): bigint {
  const [whole, fraction = ''] = amount.split('.');
  return BigInt(whole) * 100n + BigInt(fraction.padEnd(2, '0'));
}

/**
 * Writes of the payments registry. Billing a duty is idempotent on the application; a payment is taken
 * exactly once per channel transaction key, never twice for one duty, and only for the exact amount.
 */
export class PaymentRecordsService {
  constructor(
    private readonly db: Database,
    private readonly payments: PaymentService,
    private readonly today: string,
  ) {}

  async billStateDuty(input: StateDutyInput): Promise<Payment> {
    const applicationId = parseId(input.applicationId, 'input.applicationId');
    const personId = parseId(input.personId, 'input.personId');
    if (!AMOUNT.test(input.amount) || cents(input.amount) <= 0n) throw badUserInput('input.amount must be a positive decimal amount', 'input.amount');
    const store = new PaymentStore(this.db);
    const serial = await store.nextSerial();
    await store.insertStateDuty({
      id: randomUUID(),
      code: serial + luhnCheckDigit(serial),
      applicationId,
      personId,
      amount: input.amount,
      currency: input.currency,
      createdOn: input.createdOn,
    });
    return (await this.payments.ofApplication(applicationId))[0];
  }

  /** Idempotent: cancelling again, or an application that was never billed, changes nothing. */
  async cancelStateDuty(input: CancelStateDutyInput): Promise<Payment | null> {
    const applicationId = parseId(input.applicationId, 'input.applicationId');
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
    const earlier = await store.paymentIdByIdempotencyKey(key);
    if (earlier) {
      // A retry of a payment already taken: the same answer, nothing more.
      if (earlier !== payment.id) throw badUserInput('input.idempotencyKey was used for another payment code', 'input.idempotencyKey');
      return this.fresh(payment.id);
    }
    if (payment.status !== 'UNPAID') throw invalidTransition(`This ${payment.purpose === 'FINE' ? 'fine' : 'duty'} is ${payment.status.toLowerCase()}: it cannot be paid again.`);
    if (cents(input.amount) !== cents(payment.amount.amount)) {
      throw badUserInput(`input.amount must be exactly ${payment.amount.amount} ${payment.amount.currency}`, 'input.amount');
    }
    const paid = await store.markPaid(payment.id, input.channel, this.today, key).catch((error: unknown) => {
      // The same key raced in on another request and won: that payment is this one.
      if ((error as { code?: string }).code === '23505') return false;
      throw error;
    });
    if (!paid) {
      const winner = await store.paymentIdByIdempotencyKey(key);
      if (winner === payment.id) return this.fresh(payment.id);
      throw invalidTransition('This payment was taken by another transaction in the meantime: it cannot be paid again.');
    }
    return this.fresh(payment.id);
  }

  /** FINE-01: the amount must lie in the range the rules give for the offence (F3). */
  async issueFine(input: IssueFineInput): Promise<Fine> {
    const personId = parseId(input.personId, 'input.personId');
    const key = input.idempotencyKey.trim();
    if (!IDEMPOTENCY_KEY.test(key)) throw badUserInput('input.idempotencyKey: 8 to 128 letters, digits, dots, underscores, colons or hyphens', 'input.idempotencyKey');
    if (!AMOUNT.test(input.amount)) throw badUserInput('input.amount must be a decimal amount, e.g. 300.00', 'input.amount');
    const article = input.legalArticle.trim();
    if (article.length < 2 || article.length > 100) throw badUserInput('input.legalArticle must be 2 to 100 characters', 'input.legalArticle');
    const issuedOn = input.issuedOn ?? this.today;
    if (issuedOn > this.today) throw badUserInput('input.issuedOn must not be in the future', 'input.issuedOn');
    const dueOn = input.dueOn ?? addDays(issuedOn, 60);
    if (dueOn < issuedOn) throw badUserInput('input.dueOn must not be before issuedOn', 'input.dueOn');
    const amount = { amount: Number(input.amount), currency: 'AZN' as const };
    const check = checkFineAmount({ offence: RULE_OFFENCE[input.offence], imposedOn: issuedOn, amount, paidOn: null }, issuedOn);
    if (check.outcome === 'OUTSIDE_RANGE') {
      throw badUserInput(`input.amount: ${check.reasons.map((r) => `${r.ruleId}: ${r.message.en}`).join(' ')}`, 'input.amount');
    }
    const store = new PaymentStore(this.db);
    const serial = await store.nextSerial();
    const fineId = randomUUID();
    await this.db.transaction(async (tx) => {
      await new PaymentStore(tx).insertFine(
        { id: fineId, personId, offence: input.offence, legalArticle: article, amount: amount.amount.toFixed(2), currency: 'AZN', issuedOn, dueOn },
        key,
        { id: randomUUID(), code: serial + luhnCheckDigit(serial) },
      );
    });
    const id = (await store.fineIdByIdempotencyKey(key))!;
    return (await this.payments.fineByReference(id))!;
  }

  private async fresh(id: string): Promise<Payment> {
    this.payments.forget(id);
    return (await this.payments.paymentByReference(id))!;
  }
}
