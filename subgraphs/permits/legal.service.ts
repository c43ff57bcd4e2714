import type { FineFact } from '../../domain/rules/fines';
import { RULE_OFFENCE } from '../../domain/facts/fine-facts';
import type { PermitLoaders } from './permit.loader';
import type { PermitRow } from './permit.store';
import { toPermit } from './permit.service';
import type { Person } from './person.type';
import {
  evaluateCitizenshipEligibility,
  evaluateCitizenshipRestoration,
  evaluateLegalStatus,
  evaluatePermanentResidenceEligibility,
  evaluateStayPeriods,
  evaluateWorkAuthorization,
  workPermitExemption,
  type PermanentResidenceGroundId,
  type StayFacts,
  type StayPeriodEvaluation,
} from '../../domain/rules';
import { lawfulBasisOf, permanentResidencePermitsOf } from '../../domain/facts/permit-facts';
import { citizenshipFactsOf, exemptionClaimsOf, permanentResidenceFactsFrom, type PersonFactRecord } from '../../domain/facts/person-facts';
import type { PersonFactLoaders } from './person-fact.loader';
import { toFactRecord } from './person-fact.service';
import { toRuleReasons } from '../../platform/federation/rule-reason.type';
import type { CitizenshipEligibility, Eligibility, LegalStatus, StayPeriod, WorkAuthorization } from './legal-status.type';
import { badUserInput } from '../../platform/errors';


/**
 * A person's legal answers: the permits this registry holds, the crossings, citizenship and fines the
 * gateway brought through `@requires`, and the rules. No rule is decided here; this maps records to
 * facts and decisions to the schema.
 */
export class LegalService {
  /**
   * Per person and what the gateway brought of it (stayKey): the facts, gathered once, and the stay
   * periods (STAY-02), evaluated once per day, whichever of its fields asks first; a full picture
   * asks both `stayPeriods` and `legalStatus`. Each field gets an object of its own (type-graphql
   * makes one per resolver), so the key is what the facts are made of.
   */
  private readonly stays = new Map<string, { facts: Promise<{ facts: StayFacts; permits: PermitRow[] }>; periods: Map<string, StayPeriodEvaluation[]> }>();

  constructor(
    private readonly loaders: PermitLoaders,
    private readonly factLoaders: PersonFactLoaders,
    private readonly today: string,
  ) {}

  /** The facts recorded about the person (WP-EX, PR-GR, PR-RF, CIT-01), in the order recorded. */
  private async recordedFacts(person: Person): Promise<PersonFactRecord[]> {
    return (await this.factLoaders.ofPerson.load(person.id.toLowerCase())).map(toFactRecord);
  }

  private stayOf(person: Person) {
    const key = stayKey(person);
    let stay = this.stays.get(key);
    if (!stay) {
      stay = { facts: this.gatherStayFacts(person), periods: new Map() };
      this.stays.set(key, stay);
    }
    return stay;
  }

  private stayFacts(person: Person): Promise<{ facts: StayFacts; permits: PermitRow[] }> {
    return this.stayOf(person).facts;
  }

  /** The person's stay periods on `day` (STAY-01..03), with the facts they were evaluated from. */
  private async stayPeriodsOn(person: Person, day: string): Promise<{ facts: StayFacts; periods: StayPeriodEvaluation[] }> {
    const stay = this.stayOf(person);
    const { facts } = await stay.facts;
    let periods = stay.periods.get(day);
    if (!periods) {
      periods = evaluateStayPeriods(facts, day);
      stay.periods.set(day, periods);
    }
    return { facts, periods };
  }

  private async gatherStayFacts(person: Person): Promise<{ facts: StayFacts; permits: PermitRow[] }> {
    if (!person.borderCrossings) throw new Error('Person.borderCrossings was not provided: @requires not honoured');
    const permits = await this.loaders.ofHolder.load(person.id.toLowerCase());
    return { facts: stayFactsOf({ citizenship: person.citizenship ?? null, crossings: person.borderCrossings }, permits), permits };
  }

  /** STAY-01..03, REG-01..03 on `asOf`. */
  async legalStatus(person: Person, asOf?: string | null): Promise<LegalStatus> {
    const day = asOf ?? this.today;
    const { facts, periods } = await this.stayPeriodsOn(person, day);
    const decision = evaluateLegalStatus(facts, day, periods);
    const current = decision.periods.find((evaluation) => evaluation.period.open) ?? null;
    return {
      asOf: day,
      outcome: decision.outcome,
      basis: decision.basis,
      lawfulUntil: decision.lawfulUntil,
      overstayDays: decision.overstayDays,
      totalOverstayDays: decision.totalOverstayDays,
      currentStay: current && toStayPeriod(current),
      registration: decision.registration && {
        required: decision.registration.outcome === 'REQUIRED',
        dueOn: decision.registration.dueOn,
        registeredOn: decision.registration.registeredOn,
        overdue: decision.registration.overdue,
        stayDays: decision.registration.stayDays,
        requiredFrom: decision.registration.requiredFrom,
        reasons: toRuleReasons(decision.registration.reasons),
      },
      reasons: toRuleReasons(decision.reasons),
    } as LegalStatus;
  }

  /** STAY-02 periods with the lawful basis of their days (STAY-01, STAY-03). */
  async stayPeriods(person: Person, asOf?: string | null): Promise<StayPeriod[]> {
    const { periods } = await this.stayPeriodsOn(person, asOf ?? this.today);
    return periods.map(toStayPeriod);
  }

  /** WP-01, WP-EX-01..21: WP-EX-01 from the permanent permit, the others from the facts recorded (recordPersonFact). */
  async workAuthorization(person: Person, asOf?: string | null): Promise<WorkAuthorization> {
    const day = asOf ?? this.today;
    const [{ facts, permits }, recorded] = await Promise.all([this.stayFacts(person), this.recordedFacts(person)]);
    const workPermits = permits.filter((permit) => permit.kind === 'WORK_PERMIT');
    const decision = evaluateWorkAuthorization(
      {
        citizenships: facts.citizenships,
        lawfulBases: facts.lawfulBases,
        workPermits: workPermits.map((permit) => ({ validFrom: permit.validFrom, validUntil: permit.validUntil, revokedOn: permit.revokedOn, reference: permit.number })),
        exemptionClaims: exemptionClaimsOf(recorded),
      },
      day,
    );
    const by = decision.authorizedBy;
    const workPermit = by?.kind === 'WORK_PERMIT' ? workPermits.find((permit) => permit.number === by.reference) ?? null : null;
    const exemption = by?.kind === 'EXEMPTION' ? workPermitExemption(by.exemptionId) : null;
    return {
      asOf: day,
      outcome: decision.outcome,
      workPermit: workPermit && toPermit(workPermit),
      exemption: exemption && { id: exemption.id, text: exemption.text },
      reasons: toRuleReasons(decision.reasons),
    } as WorkAuthorization;
  }

  /**
   * PR-01, PR-GR-01..10, PR-RF-01..16: RF-10 from the crossings, RF-16 from the outstanding fines
   * (payments registry), the ground and the other refusal grounds from the facts recorded (recordPersonFact);
   * a refusal ground nobody has recorded is UNKNOWN.
   */
  async permanentResidenceEligibility(person: Person, ground: string | null | undefined, asOf?: string | null): Promise<Eligibility> {
    const day = asOf ?? this.today;
    if (ground && !/^PR-GR-(0[1-9]|10)$/.test(ground)) throw badUserInput('ground must be a rule ID PR-GR-01 to PR-GR-10', 'ground');
    if (!person.outstandingFines) throw new Error('Person.outstandingFines was not provided: @requires not honoured');
    const [{ facts, permits }, recorded] = await Promise.all([this.stayFacts(person), this.recordedFacts(person)]);
    const fines: FineFact[] = person.outstandingFines.map((fine) => ({
      id: fine.id,
      offence: RULE_OFFENCE[fine.offence],
      imposedOn: fine.issuedOn,
      amount: { amount: Number(fine.amount.amount), currency: fine.amount.currency },
      paidOn: null,
    }));
    const decision = evaluatePermanentResidenceEligibility(
      permanentResidenceFactsFrom({
        permits, crossings: facts.crossings, outstandingFines: fines, facts: recorded, ground: (ground as PermanentResidenceGroundId | null) ?? null, asOf: day,
      }),
      day,
    );
    return {
      asOf: day,
      outcome: decision.outcome,
      continuousResidence: decision.continuousTemporaryResidence,
      checks: decision.checks,
      reasons: toRuleReasons(decision.reasons),
    } as Eligibility;
  }

  /**
   * CIT-01 and CIT-02. Income, the undertaking and the language document from the facts recorded (by an
   * officer, or from the documents of a citizenship application); former citizenship and the article 14
   * restrictions are not recorded by any registry yet, so restoration stays UNDETERMINED.
   */
  async citizenshipEligibility(person: Person, asOf?: string | null): Promise<CitizenshipEligibility> {
    const day = asOf ?? this.today;
    const [permits, recorded] = await Promise.all([this.loaders.ofHolder.load(person.id.toLowerCase()), this.recordedFacts(person)]);
    const admission = evaluateCitizenshipEligibility(
      { permanentResidencePermits: permanentResidencePermitsOf(permits), ...citizenshipFactsOf(recorded, day) },
      day,
    );
    const restoration = evaluateCitizenshipRestoration({ formerCitizen: null, article14Part2RestrictionApplies: null });
    return {
      asOf: day,
      admission: {
        asOf: day,
        outcome: admission.outcome,
        continuousResidence: admission.continuousPermanentResidence,
        checks: [],
        reasons: toRuleReasons(admission.reasons),
      },
      restoration: { asOf: day, outcome: restoration.outcome, continuousResidence: null, checks: [], reasons: toRuleReasons(restoration.reasons) },
    } as CitizenshipEligibility;
  }
}

/**
 * The facts STAY-01..03 and REG-01..03 read: the person's citizenship and crossings (persons registry)
 * and the permits held here. The presence status (presence-refresher.ts) is made from the same facts.
 */
export function stayFactsOf(
  person: { citizenship: string | null; crossings: readonly { direction: 'ENTRY' | 'EXIT'; date: string }[] },
  permits: readonly PermitRow[],
): StayFacts {
  return {
    citizenships: person.citizenship ? [person.citizenship] : [],
    crossings: person.crossings.map(({ direction, date }) => ({ direction, date })),
    lawfulBases: permits.map(lawfulBasisOf),
    registrations: permits
      .filter((permit) => permit.kind === 'REGISTRATION_BY_PLACE_OF_STAY')
      .map((permit) => ({ registeredOn: permit.validFrom, validUntil: permit.validUntil })),
  };
}

/**
 * What a person's stay facts are made of in a request: its id, and the citizenship and crossings the
 * gateway brought (a fetch serving several requests may bring one person twice, read at other moments).
 */
function stayKey(person: Person): string {
  const crossings = person.borderCrossings?.map(({ direction, date }) => `${direction} ${date}`).join(',') ?? 'none';
  return `${person.id}|${person.citizenship ?? ''}|${crossings}`;
}

function toStayPeriod(evaluation: StayPeriodEvaluation): StayPeriod {
  const { period } = evaluation;
  return {
    entryDate: period.entryDate,
    exitDate: period.exitDate,
    endDate: period.endDate,
    days: period.days,
    open: period.open,
    outcome: evaluation.outcome,
    lawfulDays: evaluation.lawfulDays,
    unlawfulDays: evaluation.unlawfulDays,
    bases: evaluation.bases,
    firstUnlawfulDate: evaluation.firstUnlawfulDate,
    reasons: toRuleReasons(evaluation.reasons),
  } as StayPeriod;
}
