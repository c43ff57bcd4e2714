import type { Database } from '../../platform/db/database';
import { randomDigits } from '../../platform/random-digits';
import { badUserInput } from '../../platform/errors';
import { differingDetails, idempotencyKeyReused } from '../../platform/idempotent-write';
import { applicationNumber } from '../../domain/facts/application-numbers';
import { toRuleReasons } from '../../platform/federation/rule-reason.type';
import type { GraphClient } from '../../platform/graph-client';
import { parseId } from '../../platform/ids';
import {
  applicationChannels,
  applicationDueDate,
  checkApplicationIntake,
  checkApplicationDocuments,
  RuleInputError,
  stateDuty,
  type ApplicationType,
  type Reason,
  type StateDutyDecision,
  type StayExtensionEvidence,
  type StayExtensionGround,
} from '../../domain/rules';
import type { ApplicationService } from './application.service';
import { ApplicationStore } from './application.store';
import type { SubmitApplicationInput, SubmitApplicationPayload } from './application-submission.type';
import { ApplicationGround, IntakeOutcome } from './application.type';
import { loadIntakeFacts } from './intake-facts';

const G = ApplicationGround;
const RESIDENCE_GROUNDS = [G.EMPLOYMENT, G.FAMILY_REUNIFICATION, G.EDUCATION, G.INVESTMENT];
const PERMANENT_RESIDENCE_GROUNDS = [
  G.CLOSE_RELATIVE_OF_CITIZEN, G.INVESTMENT, G.REAL_ESTATE, G.BANK_DEPOSIT, G.HIGH_LEVEL_SPECIALIST,
  G.PRESIDENTIAL_CATEGORY_SPECIALIST, G.FAMILY_OF_RESIDENT, G.BRANCH_HEAD, G.FOREIGN_FOUNDED_COMPANY_HEAD, G.ENTREPRENEURSHIP,
];

/** The grounds each type of application may rely on, and whether one must be given. */
const GROUNDS: Record<ApplicationType, { allowed: ApplicationGround[]; required: boolean }> = {
  WORK_PERMIT: { allowed: [G.EMPLOYMENT], required: false },
  WORK_PERMIT_EXTENSION: { allowed: [G.EMPLOYMENT], required: false },
  TEMPORARY_RESIDENCE: { allowed: RESIDENCE_GROUNDS, required: true },
  TEMPORARY_RESIDENCE_EXTENSION: { allowed: RESIDENCE_GROUNDS, required: true },
  PERMANENT_RESIDENCE: { allowed: PERMANENT_RESIDENCE_GROUNDS, required: true },
  // A stay is extended only on a ground of the Code (STAY-EXT-01..05): naming one is part of the input.
  TEMPORARY_STAY_EXTENSION: {
    allowed: [G.URGENT_MEDICAL_TREATMENT, G.RELATIVE_ILLNESS_OR_DEATH, G.UNFINISHED_WORK, G.TRANSIT_NATURAL_DISASTER, G.TRANSIT_VEHICLE_BREAKDOWN, G.TRANSIT_ILLNESS, G.RELATIVE_STAY_EXTENDED],
    required: true,
  },
  REGISTRATION_BY_PLACE_OF_STAY: { allowed: [], required: false },
  CITIZENSHIP_ADMISSION: { allowed: [], required: false },
  CITIZENSHIP_RESTORATION: { allowed: [], required: false },
  CITIZENSHIP_TERMINATION: { allowed: [G.RENUNCIATION], required: false },
  E_VISA: { allowed: [G.TOURISM], required: false },
};

/** The stay extension grounds as the rules name them (STAY-EXT-01..05, T1..T3). */
const STAY_EXTENSION_GROUND: Partial<Record<ApplicationGround, StayExtensionGround>> = {
  URGENT_MEDICAL_TREATMENT: 'URGENT_MEDICAL_TREATMENT',
  RELATIVE_ILLNESS_OR_DEATH: 'CLOSE_RELATIVE_ILL_OR_DECEASED',
  UNFINISHED_WORK: 'INVITER_WORK_UNFINISHED',
  TRANSIT_NATURAL_DISASTER: 'TRANSIT_NATURAL_DISASTER',
  TRANSIT_VEHICLE_BREAKDOWN: 'TRANSIT_VEHICLE_BREAKDOWN_OR_ACCIDENT',
  TRANSIT_ILLNESS: 'TRANSIT_TRAVELLER_ILLNESS',
  RELATIVE_STAY_EXTENDED: 'FAMILY_OF_EXTENDED_PERSON',
};

const EVIDENCE: Record<string, StayExtensionEvidence> = {
  INVITER_REASONED_REQUEST: 'INVITER_REASONED_REQUEST',
  REPAIR_OR_ACCIDENT_DOCUMENT: 'REPAIR_OR_ACCIDENT_DOCUMENT',
  DOCTOR_OPINION: 'DOCTOR_OPINION_TRAVEL_ENDANGERS_HEALTH',
  PROOF_OF_KINSHIP: 'PROOF_OF_KINSHIP',
};

const DURATION_REQUIRED: readonly ApplicationType[] = [
  'WORK_PERMIT', 'WORK_PERMIT_EXTENSION', 'TEMPORARY_RESIDENCE', 'TEMPORARY_RESIDENCE_EXTENSION', 'TEMPORARY_STAY_EXTENSION',
];

const IDEMPOTENCY_KEY = /^[A-Za-z0-9._:-]{8,128}$/;

/** CIT-01: the document that proves each condition, and the kind of fact it is recorded as. */
const FACT_OF_DOCUMENT: Readonly<Record<string, string>> = {
  LAWFUL_INCOME_PROOF: 'LAWFUL_INCOME',
  CONSTITUTION_UNDERTAKING: 'CONSTITUTION_UNDERTAKING',
  STATE_LANGUAGE_CERTIFICATE: 'STATE_LANGUAGE_KNOWLEDGE',
};

function factsProvedBy(documents: readonly string[]): { document: string; kind: string }[] {
  return documents.flatMap((document) => (FACT_OF_DOCUMENT[document] ? [{ document, kind: FACT_OF_DOCUMENT[document] }] : []));
}

/** Numbers drawn for one submission before it gives up (four taken in a row: something else is wrong). */
const NUMBER_ATTEMPTS = 4;

/** Eight random digits for a tracking number (PAY-01): tracking needs no token, so they must not follow one another. */
const randomNumberDigits = () => randomDigits(8);

/**
 * Intake of new applications: the input is checked field by field, the applicant's facts are read from
 * the other registries through the graph, the intake rules decide, and an accepted application is
 * registered once with its tracking number, due date (CAL-01) and state duty.
 */
export class IntakeService {
  constructor(
    private readonly db: Database,
    private readonly store: ApplicationStore,
    private readonly applications: ApplicationService,
    private readonly graph: GraphClient,
    private readonly requestId: string,
    private readonly today: string,
    /** The verified caller, once authentication is in place. */
    private readonly caller: string | null,
    /** Eight digits for a new tracking number (random; a test may give its own). */
    private readonly numberDigits: () => string = randomNumberDigits,
  ) {}

  async submit(input: SubmitApplicationInput): Promise<SubmitApplicationPayload> {
    const applicantId = parseId(input.applicantId, 'input.applicantId');
    const type = input.type as ApplicationType;
    const duty = this.validate(input, type);
    const key = input.idempotencyKey ?? null;

    if (key) {
      const existing = await this.store.findIdByIdempotencyKey(applicantId, key);
      if (existing) return this.registered(existing, input);
    }

    const facts = await loadIntakeFacts(this.graph, applicantId, this.requestId);
    if (!facts) throw badUserInput('input.applicantId: the persons registry has no person with this id', 'input.applicantId');

    const documents = input.documents ?? [];
    const ground = input.ground ?? null;
    const decision = checkApplicationIntake(
      {
        type,
        submittedOn: this.today,
        stayExtension:
          type === 'TEMPORARY_STAY_EXTENSION'
            ? { ground: ground ? STAY_EXTENSION_GROUND[ground] ?? null : null, evidence: documents.flatMap((d) => (EVIDENCE[d] ? [EVIDENCE[d]] : [])) }
            : null,
      },
      facts,
      this.today,
    );
    const reasons: Reason[] = [...decision.reasons];
    let outcome = decision.outcome as IntakeOutcome;
    // WP-03, TRP-DOC, PR-RF-03, CIT-01, CIT-03: an incomplete checklist is rejected up front.
    const checklist = checkApplicationDocuments(type, documents, ground);
    if (checklist) {
      reasons.push(...checklist.reasons);
      if (checklist.outcome === 'INCOMPLETE') outcome = IntakeOutcome.REJECTED;
    }
    if (outcome === IntakeOutcome.REJECTED) return { outcome, application: null, reasons: toRuleReasons(reasons) };

    let id: string | null = null;
    await this.db.transaction(async (tx) => {
      const store = new ApplicationStore(tx);
      const application = {
        type,
        applicantId,
        channel: input.channel,
        office: input.office ?? null,
        ground,
        requestedDurationMonths: input.requestedDurationMonths ?? null,
        processingWorkingDays: this.processingDays(type, input.processingWorkingDays),
        submittedOn: this.today,
        dueOn: this.dueOn(type, input.processingWorkingDays),
        documents,
        intakeOutcome: outcome,
        intakeReasons: toRuleReasons(reasons),
        idempotencyKey: key,
      };
      // Nothing written: the key was used (a concurrent retry registered it first), or the number drawn is
      // another application's (as likely as the numbers of the type and year on record over 10^8), and
      // another is drawn.
      for (let attempt = 1; !id; attempt += 1) {
        const number = applicationNumber(type, this.today, this.numberDigits());
        id = await store.insert({ ...application, number });
        if (id || (key && (await store.findIdByIdempotencyKey(applicantId, key)))) break;
        if (!(await store.findIdByNumber(number))) throw new Error('An application was not inserted, yet neither its key nor its number is taken');
        if (attempt >= NUMBER_ATTEMPTS) throw new Error(`No free tracking number in ${NUMBER_ATTEMPTS} draws`);
      }
      if (!id) return;
      await store.insertEvent({
        applicationId: id,
        fromStatus: null,
        toStatus: 'SUBMITTED',
        actor: this.caller ?? `applicant via ${input.channel}`,
        note: null,
        occurredOn: this.today,
      });
      // CIT-01: the documents of a citizenship application prove its conditions; the permits registry,
      // which holds the facts the rules read, records them (queued with the application, delivered once).
      const facts = factsProvedBy(documents);
      if (type === 'CITIZENSHIP_ADMISSION' && facts.length > 0) {
        const [registered] = await store.findByIds([id]);
        await store.enqueue(id, 'RECORD_PERSON_FACTS', {
          facts: facts.map(({ document, kind }) => ({
            personId: applicantId,
            kind,
            established: true,
            validFrom: this.today,
            sourceDocumentKind: document,
            sourceApplicationNumber: registered.number,
            idempotencyKey: `application:${id}:${kind}`,
          })),
        });
      }
      // The payments registry bills the duty (PAY-02): queued with the application, delivered by the relay.
      if (duty.outcome === 'FIXED' && duty.amount) {
        await store.enqueue(id, 'CREATE_STATE_DUTY', {
          applicationId: id,
          personId: applicantId,
          amount: duty.amount.amount.toFixed(2),
          currency: duty.amount.currency,
          createdOn: this.today,
        });
      }
    });
    // A concurrent retry with the same key registered it first: answer with that one.
    return id ? this.registered(id) : this.registered((await this.store.findIdByIdempotencyKey(applicantId, key!))!, input);
  }

  /**
   * The application registered under an id; when found under the caller's key (a retry, or the winner of a
   * race), what was sent must be what is on record: a key reused for another application is refused.
   */
  private async registered(id: string, retry?: SubmitApplicationInput): Promise<SubmitApplicationPayload> {
    const application = (await this.applications.byId(id))!;
    if (retry) {
      const details = (of: { type: string; channel: string; office?: string | null; ground?: string | null; requestedDurationMonths?: number | null; documents?: readonly string[] | null }) => ({
        type: of.type,
        channel: of.channel,
        office: of.office ?? null,
        ground: of.ground ?? null,
        requestedDurationMonths: of.requestedDurationMonths === null || of.requestedDurationMonths === undefined ? null : String(of.requestedDurationMonths),
        documents: [...(of.documents ?? [])].sort().join(','),
      });
      const differing = differingDetails(details(retry), details(application as unknown as Parameters<typeof details>[0]));
      if (differing.length > 0) throw idempotencyKeyReused('input.idempotencyKey', differing);
    }
    return { outcome: application.intake?.outcome ?? IntakeOutcome.ACCEPTED, application, reasons: application.intake?.reasons ?? [] };
  }

  /** Every field a client can get wrong, refused before anything is read or written; gives the duty. */
  private validate(input: SubmitApplicationInput, type: ApplicationType): StateDutyDecision {
    const channels = applicationChannels(type).channels.map((channel) => (channel === 'DIPLOMATIC_MISSION_OR_CONSULATE' ? 'CONSULATE' : channel));
    if (!channels.includes(input.channel)) {
      throw badUserInput(`input.channel: ${type} applications are received via ${channels.join(', ')}`, 'input.channel');
    }
    if ((input.channel === 'REGIONAL_MIGRATION_OFFICE') !== Boolean(input.office)) {
      throw badUserInput('input.office: name the office when, and only when, the channel is REGIONAL_MIGRATION_OFFICE', 'input.office');
    }
    const grounds = GROUNDS[type];
    if (input.ground && !grounds.allowed.includes(input.ground)) {
      throw badUserInput(
        `input.ground: a ${type} application may rely on ${grounds.allowed.length ? grounds.allowed.join(', ') : 'no ground'}`,
        'input.ground',
      );
    }
    if (!input.ground && grounds.required) throw badUserInput(`input.ground: a ${type} application needs one of ${grounds.allowed.join(', ')}`, 'input.ground');
    const months = input.requestedDurationMonths;
    if (DURATION_REQUIRED.includes(type)) {
      if (months === null || months === undefined || !Number.isInteger(months) || months < 1 || months > 60) {
        throw badUserInput(`input.requestedDurationMonths: a ${type} application needs a duration of 1 to 60 months`, 'input.requestedDurationMonths');
      }
    } else if (months !== null && months !== undefined) {
      throw badUserInput(`input.requestedDurationMonths: a ${type} application has no duration to request`, 'input.requestedDurationMonths');
    }
    // The duty tables know the valid combinations of duration and processing time (F1, F2, VISA-02).
    const duty = stateDuty(type, months ?? null, this.processingDays(type, input.processingWorkingDays), this.today);
    if (duty.outcome === 'ERROR') {
      throw badUserInput(`input.processingWorkingDays: ${duty.reasons.map((r) => `${r.ruleId}: ${r.message.en}`).join(' ')}`, 'input.processingWorkingDays');
    }
    if (input.idempotencyKey !== null && input.idempotencyKey !== undefined && !IDEMPOTENCY_KEY.test(input.idempotencyKey)) {
      throw badUserInput('input.idempotencyKey: 8 to 128 letters, digits, dots, underscores, colons or hyphens', 'input.idempotencyKey');
    }
    if (new Set(input.documents ?? []).size !== (input.documents ?? []).length) {
      throw badUserInput('input.documents: each document once', 'input.documents');
    }
    return duty;
  }

  /** The standard processing time where the type has tiers and none was chosen (WP-04 20, TRP 20). */
  private processingDays(type: ApplicationType, chosen: number | null | undefined): number | null {
    if (chosen !== null && chosen !== undefined) return chosen;
    if (type.startsWith('WORK_PERMIT') || type.startsWith('TEMPORARY_RESIDENCE')) return 20;
    return type === 'E_VISA' ? 3 : null;
  }

  /** CAL-01: the deadline in working days; a year beyond the holiday calendar leaves it unset rather than guessed. */
  private dueOn(type: ApplicationType, chosen: number | null | undefined): string | null {
    try {
      return applicationDueDate(type, this.today, this.processingDays(type, chosen)).dueOn;
    } catch (error) {
      if (error instanceof RuleInputError && error.code === 'CALENDAR_NOT_COVERED') return null;
      if (error instanceof RuleInputError) throw badUserInput(`input.processingWorkingDays: ${error.message}`, 'input.processingWorkingDays');
      throw error;
    }
  }
}
