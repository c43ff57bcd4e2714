import { crashPoint } from '../../platform/crash-points';
import type { Database } from '../../platform/db/database';
import { badUserInput, dutyNotPaid, invalidTransition } from '../../platform/errors';
import { GraphQLError } from 'graphql';
import type { GraphClient } from '../../platform/graph-client';
import { parseId } from '../../platform/ids';
import { addDays, addMonths, checkDutyAssessment, checkDutyBeforeIssue, stateDuty, type ApplicationType, type DutyPayment } from '../../domain/rules';
import type { ApplicationService } from './application.service';
import { ApplicationStore, type ApplicationRow } from './application.store';
import type { Application } from './application.type';
import { loadDutyPayments } from './duty-payments';
import { allowed, PERMIT_KIND_OF, WORKFLOW, type ApplicationStatus, type WorkflowAction } from './workflow';

export interface StepInput {
  note?: string | null;
  /** ISSUE: the validity of the permit issued, and the address of a registration by place of stay. */
  validFrom?: string | null;
  validUntil?: string | null;
  address?: string | null;
  /** ISSUE of a residence permit: the 45.1 article it is issued under, and PR-01's family flag, where the officer knows them. */
  groundArticle?: string | null;
  familyMemberOfSpecialHolder?: boolean | null;
}

/** VISA-02: an e-Visa allows a stay of up to 30 days. */
const E_VISA_DAYS = 30;

const AMOUNT = /^\d{1,7}(\.\d{1,2})?$/;

/**
 * Officer and applicant steps on an application. Each step is checked against the workflow, recorded
 * in the history with who and when, and, for an issued permit, queued for the permits registry in the
 * same transaction, so a crash cannot lose it (the outbox relay delivers it, exactly once). Nothing is
 * issued before its state duty is paid (PAY-04), which the payments registry confirms through the graph.
 */
export class WorkflowService {
  constructor(
    private readonly db: Database,
    private readonly applications: ApplicationService,
    private readonly graph: GraphClient,
    private readonly requestId: string,
    private readonly today: string,
    /** The verified caller (agency:subject), whom the history names. */
    private readonly caller: string | null,
  ) {}

  async step(action: WorkflowAction, applicationId: string, input: StepInput = {}): Promise<Application> {
    const id = parseId(applicationId, 'id');
    const actor = this.actor();
    const note = input.note?.trim() || null;
    if (action === 'REJECT' && !note) throw badUserInput('note: a rejection must give its reasons', 'note');
    if (note && note.length > 2000) throw badUserInput('note must be at most 2000 characters', 'note');
    if (action === 'ISSUE') await this.assertDutyPaid(id);

    await this.db.transaction(async (tx) => {
      const store = new ApplicationStore(tx);
      const [row] = await store.findByIds([id]);
      if (!row) throw new GraphQLError(`No application with id ${id}`, { extensions: { code: 'NOT_FOUND' } });
      this.assertAllowed(action, row);
      const permit = action === 'ISSUE' ? this.permitOf(row, input) : null;
      const to = WORKFLOW[action].to;
      const decides = to === 'APPROVED' || to === 'REJECTED' || to === 'WITHDRAWN' || (to === 'ISSUED' && !row.decidedOn);
      const moved = await store.transition(id, row.version, to, decides ? { decidedOn: this.today, note } : null);
      if (!moved) {
        // Another step changed it after it was read: judge the step against what it is now.
        const [now] = await store.findByIds([id]);
        this.assertAllowed(action, now);
        throw invalidTransition(`The application changed while this step was taken; it is now ${now.status}. Read it again.`);
      }
      await store.insertEvent({ applicationId: id, fromStatus: row.status, toStatus: to, actor, note, occurredOn: this.today });
      if (permit) await store.enqueue(id, 'RECORD_ISSUED_PERMIT', permit);
      // Nothing is owed for an application withdrawn or refused: an unpaid duty is cancelled.
      if (to === 'WITHDRAWN' || to === 'REJECTED') await store.enqueue(id, 'CANCEL_STATE_DUTY', { applicationId: id, cancelledOn: this.today });
    });
    if (action === 'ISSUE') crashPoint('after-issue-commit');
    this.applications.forget(id);
    return (await this.applications.byId(id))!;
  }

  /**
   * PAY-04 and CIT-05/TRP-03: an officer sets the duty of an application whose amount the tables do not
   * fix; the payments registry bills it (through the outbox, like a fixed duty at intake). Once set it
   * stands: the same amount again is the same assessment, another amount is refused.
   */
  async assessDuty(applicationId: string, amountText: string, noteText: string | null | undefined): Promise<Application> {
    const id = parseId(applicationId, 'id');
    const actor = this.actor();
    const amountValue = amountText.trim();
    if (!AMOUNT.test(amountValue)) throw badUserInput('amount: a decimal number of AZN with at most two digits after the point, e.g. "150.00"', 'amount');
    const note = noteText?.trim() || null;
    if (note && note.length > 2000) throw badUserInput('note must be at most 2000 characters', 'note');
    const amount = Number(amountValue);

    await this.db.transaction(async (tx) => {
      const store = new ApplicationStore(tx);
      const [row] = await store.findByIds([id]);
      if (!row) throw new GraphQLError(`No application with id ${id}`, { extensions: { code: 'NOT_FOUND' } });
      if (!['SUBMITTED', 'UNDER_REVIEW', 'APPROVED'].includes(row.status)) {
        throw invalidTransition(`Cannot assess the duty of an application that is ${row.status}; allowed while SUBMITTED, UNDER_REVIEW or APPROVED.`);
      }
      const decision = checkDutyAssessment(this.dutyOf(row), { amount, currency: 'AZN' });
      if (decision.outcome === 'REFUSED') throw badUserInput(`amount: ${decision.reasons[0].message.en}`, 'amount');
      // The assessment is the application's (Application.stateDuty shows it); its bill goes through the outbox.
      if (!(await store.recordAssessedDuty(id, amount.toFixed(2), this.today))) {
        const [standing] = await store.findByIds([id]);
        if (Number(standing?.assessedDuty) === amount) return;
        throw invalidTransition(`The state duty of this application is already set at ${String(standing?.assessedDuty)} AZN; it is not set again.`);
      }
      const billed = await store.enqueue(id, 'CREATE_STATE_DUTY', {
        applicationId: id,
        personId: row.applicantId,
        amount: amount.toFixed(2),
        currency: 'AZN',
        createdOn: this.today,
      });
      // A bill already on record with no assessment beside it (none is made otherwise) must not be sent twice.
      if (!billed) throw invalidTransition('The state duty of this application is already billed; it is not assessed again.');
      await store.insertEvent({ applicationId: id, fromStatus: row.status, toStatus: row.status, actor, note: note ?? decision.reasons[0].message.en, occurredOn: this.today });
    });
    this.applications.forget(id);
    return (await this.applications.byId(id))!;
  }

  /** PAY-04: refuses to issue before the duty is paid; checked before anything is written, after the step itself is allowed. */
  private async assertDutyPaid(id: string): Promise<void> {
    const [row] = await new ApplicationStore(this.db).findByIds([id]);
    if (!row) return; // the step itself says NOT_FOUND
    this.assertAllowed('ISSUE', row);
    const duty = this.dutyOf(row);
    let payments: DutyPayment[] = [];
    if (duty.outcome !== 'FREE') {
      try {
        payments = await loadDutyPayments(this.graph, row, this.requestId);
      } catch (error) {
        throw new GraphQLError('The payments registry cannot confirm the state duty now (PAY-04); nothing was issued. Retry later.', {
          extensions: { code: 'SUBGRAPH_UNAVAILABLE' },
          originalError: error as Error,
        });
      }
    }
    const decision = checkDutyBeforeIssue(duty, payments);
    if (decision.outcome === 'NOT_PAID') throw dutyNotPaid(decision.reasons);
  }

  private dutyOf(row: ApplicationRow) {
    return stateDuty(row.type as ApplicationType, row.requestedDurationMonths, row.processingWorkingDays, row.submittedOn);
  }

  /** Who takes the step: the verified caller. Every step needs applications:write, so there always is one. */
  private actor(): string {
    if (!this.caller) throw new GraphQLError('A workflow step needs a verified caller.', { extensions: { code: 'FORBIDDEN' } });
    return this.caller;
  }

  private assertAllowed(action: WorkflowAction, row: ApplicationRow): void {
    const status = row.status as ApplicationStatus;
    if (!allowed(action, status)) {
      throw invalidTransition(
        `Cannot ${action.toLowerCase().replace(/_/g, ' ')} an application that is ${status}; allowed from ${WORKFLOW[action].from.join(' or ')}.`,
      );
    }
  }

  /** The permit an issued application produces, checked before anything is written. */
  private permitOf(row: ApplicationRow, input: StepInput): Record<string, unknown> | null {
    const type = row.type as ApplicationType;
    const kind = PERMIT_KIND_OF[type];
    if (!kind) {
      if (input.validFrom || input.validUntil || input.address) throw badUserInput(`a ${type} decision issues no permit: give no validity or address`, 'validFrom');
      return null;
    }
    const validFrom = input.validFrom ?? this.today;
    if (validFrom < row.submittedOn) throw badUserInput('validFrom must not be before the application was submitted', 'validFrom');
    let validUntil = input.validUntil ?? null;
    if (!validUntil && row.requestedDurationMonths) validUntil = addDays(addMonths(validFrom, row.requestedDurationMonths), -1);
    if (!validUntil && type === 'E_VISA') validUntil = addDays(validFrom, E_VISA_DAYS - 1);
    if (!validUntil) throw badUserInput(`validUntil: a ${type} permit needs its last day of validity`, 'validUntil');
    if (validUntil < validFrom) throw badUserInput('validUntil must not be before validFrom', 'validUntil');
    const address = input.address?.trim() || null;
    if ((kind === 'REGISTRATION_BY_PLACE_OF_STAY') !== Boolean(address)) {
      throw badUserInput('address: give the address for, and only for, a registration by place of stay', 'address');
    }
    const residence = kind === 'TEMPORARY_RESIDENCE_PERMIT' || kind === 'PERMANENT_RESIDENCE_PERMIT';
    const groundArticle = input.groundArticle?.trim() || null;
    const familyMemberOfSpecialHolder = input.familyMemberOfSpecialHolder ?? null;
    if (!residence && (groundArticle || familyMemberOfSpecialHolder !== null)) {
      throw badUserInput('groundArticle: an article or family flag is given for residence permits only', 'groundArticle');
    }
    if (groundArticle && !/^45\.1\.\d{1,2}$/.test(groundArticle)) throw badUserInput('groundArticle: an article of Migration Code 45.1, e.g. "45.1.2"', 'groundArticle');
    return {
      applicationId: row.id,
      applicationNumber: row.number,
      holderId: row.applicantId,
      kind,
      visaType: kind === 'E_VISA' ? 'TOURIST' : null,
      validFrom,
      validUntil,
      address,
      issuedOn: this.today,
      ...(residence ? { ground: row.ground, groundArticle, familyMemberOfSpecialHolder } : {}),
    };
  }
}
