import { addDays, addMonths, addYears, daysBetween } from '../domain/rules/dates';
import type { ApplicationType } from '../domain/rules/types';
import { applicationNumber } from '../domain/facts/application-numbers';
import { PERMIT_NUMBER_PREFIX } from '../domain/facts/permit-facts';
import { DEMO_CITIZENSHIPS, NAME_POOLS } from './names';
import { luhnCheckDigit } from '../domain/facts/payment-codes';
import { Prng } from './prng';
import { WELL_KNOWN, WELL_KNOWN_PERSON_INDEX } from './well-known';
import type { BorderCrossingRow, PersonRow, TravelDocumentRow } from '../subgraphs/persons/person.store';
import type { SeededApplication } from '../subgraphs/applications/application.store';
import type { FineRow, PaymentRow } from '../subgraphs/payments/payment.store';
import type { PermitRow } from '../subgraphs/permits/permit.store';
import type { PersonFactRow } from '../subgraphs/permits/person-fact.store';

/**
 * The demo world: one person's whole history across the four registries, generated from
 * (seed, index) alone. Each subgraph walks the same persons and keeps only its own rows, so the
 * registries are seeded separately and their cross-references still line up.
 *
 * Each record is the row its registry's store writes, narrowed where the generator picks from a
 * closed list that the store keeps as text.
 */
export type DemoPerson = PersonRow;

export interface DemoTravelDocument extends TravelDocumentRow {
  kind: 'PASSPORT' | 'STATELESS_TRAVEL_DOCUMENT';
}

export type DemoCrossing = BorderCrossingRow;

export type DemoApplicationStatus = 'SUBMITTED' | 'UNDER_REVIEW' | 'APPROVED' | 'REJECTED' | 'ISSUED' | 'WITHDRAWN';

/** The demo's applications have no due date or assessed duty of their own (the registry works them out when it seeds them). */
export interface DemoApplication extends Omit<SeededApplication, 'dueOn' | 'assessedDuty' | 'dutyAssessedOn'> {
  type: ApplicationType;
  channel: 'ASAN_XIDMET' | 'REGIONAL_MIGRATION_OFFICE' | 'ELECTRONIC' | 'POST' | 'CONSULATE';
  status: DemoApplicationStatus;
}

export interface DemoPayment extends Omit<PaymentRow, 'idempotencyKey'> {
  channel: 'ONLINE' | 'BANK_BRANCH' | 'EXPRESS_PAY_TERMINAL' | 'ASAN_PAYMENT_TERMINAL' | null;
}

export interface DemoFine extends FineRow {
  offence: 'OVERSTAY' | 'NO_REGISTRATION' | 'WORK_WITHOUT_PERMIT' | 'BREACH_OF_PURPOSE' | 'LOST_RESIDENCE_DOCUMENT';
}

export type DemoPermitKind =
  | 'VISA'
  | 'E_VISA'
  | 'WORK_PERMIT'
  | 'TEMPORARY_RESIDENCE_PERMIT'
  | 'PERMANENT_RESIDENCE_PERMIT'
  | 'REGISTRATION_BY_PLACE_OF_STAY'
  | 'STAY_EXTENSION';

/**
 * Residence permits carry the ground applied on; the demo records no 45.1 article (groundArticle), and
 * its reunited families join holders on ordinary grounds, never 45.1.8–45.1.11 (PR-01).
 */
export interface DemoPermit extends PermitRow {
  kind: DemoPermitKind;
  visaType: 'TOURIST' | 'BUSINESS' | 'TRANSIT' | 'STUDENT' | 'MEDICAL' | 'WORK' | null;
}

/** A fact about the person that a rule reads, as an officer recorded it (permits registry, issue 20). */
export interface DemoFact extends PersonFactRow {
  kind: 'WORK_PERMIT_EXEMPTION' | 'PERMANENT_RESIDENCE_GROUND' | 'PERMANENT_RESIDENCE_REFUSAL_GROUND' | 'LAWFUL_INCOME' | 'CONSTITUTION_UNDERTAKING' | 'STATE_LANGUAGE_KNOWLEDGE';
  ruleId: string;
}

export interface DemoHistory {
  person: DemoPerson;
  documents: DemoTravelDocument[];
  crossings: DemoCrossing[];
  applications: DemoApplication[];
  payments: DemoPayment[];
  fines: DemoFine[];
  permits: DemoPermit[];
  facts: DemoFact[];
}

/** What a history needs from the rules, passed in so the generator states no law of its own. */
export interface DemoRules {
  /** VISA-01: does a citizen of this country (null: stateless) need a visa? */
  visaRequired(citizenship: string | null, on: string): boolean;
  /**
   * State duty of an application, or null when none is billed: free, or not fixed by the tables and not
   * assessed. `assessed` says an officer has set the duty the tables leave open (PAY-04).
   */
  stateDuty(type: ApplicationType, durationMonths: number | null, processingWorkingDays: number | null, on: string, assessed?: boolean):
    | { amount: number; currency: 'AZN' | 'USD' }
    | null;
}

const CHECKPOINTS_BY_COUNTRY: Record<string, readonly string[]> = {
  RUS: ['SAMUR', 'GYD_HEYDAR_ALIYEV_AIRPORT'],
  GEO: ['RED_BRIDGE', 'BALAKAN', 'GYD_HEYDAR_ALIYEV_AIRPORT'],
  IRN: ['ASTARA', 'BILASUVAR', 'GYD_HEYDAR_ALIYEV_AIRPORT'],
  TUR: ['SADARAK', 'GYD_HEYDAR_ALIYEV_AIRPORT', 'NAKHCHIVAN_AIRPORT'],
  KAZ: ['BAKU_SEA_PORT', 'GYD_HEYDAR_ALIYEV_AIRPORT'],
  UZB: ['GYD_HEYDAR_ALIYEV_AIRPORT', 'BAKU_SEA_PORT'],
};
const AIR_CHECKPOINTS = ['GYD_HEYDAR_ALIYEV_AIRPORT', 'GYD_HEYDAR_ALIYEV_AIRPORT', 'GYD_HEYDAR_ALIYEV_AIRPORT', 'GANJA_AIRPORT'];

const OFFICES = ['BAKU', 'GANJA', 'SUMGAYIT', 'LANKARAN', 'SHAKI', 'GUBA', 'SHIRVAN', 'MINGACHEVIR', 'NAKHCHIVAN'];
const STREETS = ['Nizami', 'Istiqlaliyyat', 'Fuzuli', 'Azadliq', 'Samad Vurgun', 'Neftchilar', 'Uzeyir Hajibeyov', 'Ataturk', 'Khatai', 'Javadkhan'];
const CITIES_BY_OFFICE: Record<string, string> = {
  BAKU: 'Baku', GANJA: 'Ganja', SUMGAYIT: 'Sumgayit', LANKARAN: 'Lankaran', SHAKI: 'Shaki',
  GUBA: 'Guba', SHIRVAN: 'Shirvan', MINGACHEVIR: 'Mingachevir', NAKHCHIVAN: 'Nakhchivan',
};

type Scenario = 'VISITOR' | 'OVERSTAYER' | 'WORKER' | 'LONG_TERM_RESIDENT' | 'PERMANENT_RESIDENT' | 'NEW_APPLICANT' | 'CITIZENSHIP';
const SCENARIOS: readonly (readonly [Scenario, number])[] = [
  ['VISITOR', 30],
  ['OVERSTAYER', 9],
  ['WORKER', 24],
  ['LONG_TERM_RESIDENT', 12],
  ['PERMANENT_RESIDENT', 8],
  ['NEW_APPLICANT', 13],
  ['CITIZENSHIP', 4],
];


/** Up to this many records of one kind per person: serial numbers are index * SLOTS + k. */
/** The permanent residence grounds of the applications registry, as the rules name them (PR-GR-01..10). */
const PR_GROUND_RULE: Readonly<Record<string, string>> = {
  CLOSE_RELATIVE_OF_CITIZEN: 'PR-GR-01', INVESTMENT: 'PR-GR-02', REAL_ESTATE: 'PR-GR-03', BANK_DEPOSIT: 'PR-GR-04', HIGH_LEVEL_SPECIALIST: 'PR-GR-05',
  PRESIDENTIAL_CATEGORY_SPECIALIST: 'PR-GR-06', FAMILY_OF_RESIDENT: 'PR-GR-07', BRANCH_HEAD: 'PR-GR-08', FOREIGN_FOUNDED_COMPANY_HEAD: 'PR-GR-09', ENTREPRENEURSHIP: 'PR-GR-10',
};
/** The refusal grounds an officer checks and records (PR-RF-10 and 16 come from crossings and fines). */
const RECORDED_REFUSALS = ['PR-RF-01', 'PR-RF-02', 'PR-RF-03', 'PR-RF-04', 'PR-RF-05', 'PR-RF-06', 'PR-RF-07', 'PR-RF-08', 'PR-RF-09', 'PR-RF-11', 'PR-RF-12', 'PR-RF-13', 'PR-RF-14', 'PR-RF-15'];
/** The document a demo exemption rests on. */
const EXEMPTION_DOCUMENT: Readonly<Record<string, string>> = {
  'WP-EX-03': 'DIPLOMATIC_ACCREDITATION', 'WP-EX-08': 'MEDIA_ACCREDITATION', 'WP-EX-12': 'UNIVERSITY_INVITATION', 'WP-EX-18': 'REFUGEE_CERTIFICATE',
};
const CITIZENSHIP_DOCUMENT: Readonly<Record<string, string>> = {
  LAWFUL_INCOME: 'LAWFUL_INCOME_PROOF', CONSTITUTION_UNDERTAKING: 'CONSTITUTION_UNDERTAKING', STATE_LANGUAGE_KNOWLEDGE: 'STATE_LANGUAGE_CERTIFICATE',
};
const RESIDENCE_PERMITS: readonly string[] = ['TEMPORARY_RESIDENCE_PERMIT', 'PERMANENT_RESIDENCE_PERMIT'];
const SLOTS = 16;

/** Whether an application in this status was decided (it has a decision date). */
function isDecided(status: DemoApplicationStatus): boolean {
  return status !== 'SUBMITTED' && status !== 'UNDER_REVIEW';
}

/** Builds one person's history; the same (seed, index, referenceDate) always gives the same history. */
export function demoHistory(seed: string, index: number, referenceDate: string, rules: DemoRules): DemoHistory {
  // The well-known person is the same in every world: the README and the partner kit name its records.
  if (index === WELL_KNOWN_PERSON_INDEX) return new HistoryBuilder(WELL_KNOWN_STREAM, index, referenceDate, rules).buildWellKnown();
  return new HistoryBuilder(seed, index, referenceDate, rules).build();
}

/** The well-known person's random stream (its ids, dates, checkpoints): one text, whatever the world's seed. */
const WELL_KNOWN_STREAM = 'dmx-well-known';

class HistoryBuilder {
  private readonly random: Prng;
  private readonly history: DemoHistory;
  private serials = { application: 0, payment: 0, permit: 0 };

  constructor(
    seed: string,
    private readonly index: number,
    private readonly today: string,
    private readonly rules: DemoRules,
  ) {
    this.random = new Prng(`${seed}#${index}`);
    const [citizenship, , region] = this.random.weighted(DEMO_CITIZENSHIPS.map((entry) => [entry, entry[1]] as const));
    const pool = NAME_POOLS[region];
    const sex = this.random.chance(0.42) ? 'FEMALE' : 'MALE';
    const person: DemoPerson = {
      id: this.random.uuid(),
      fin: null,
      givenName: this.random.pick(sex === 'FEMALE' ? pool.female : pool.male),
      surname: this.random.pick(pool.surnames),
      patronymic: pool.patronymic ? `${this.random.pick(NAME_POOLS.slavic.male)}ovich` : null,
      birthDate: addDays(addYears(this.today, -this.random.int(19, 70)), -this.random.int(0, 364)),
      sex,
      citizenship,
    };
    if (person.patronymic && sex === 'FEMALE') person.patronymic = person.patronymic.replace(/ovich$/, 'ovna');
    this.history = { person, documents: [], crossings: [], applications: [], payments: [], fines: [], permits: [], facts: [] };
    this.factsRandom = new Prng(`${seed}#${index}#facts`);
  }

  /** Facts draw from a stream of their own, so that adding them moved nothing else of the demo world. */
  private readonly factsRandom: Prng;

  /**
   * The well-known person (well-known.ts), from a script: a Turkish visitor fined for an earlier
   * overstay, now back, registered, with a work permit application under review and its duty unpaid.
   * The work permit application comes first, so it and its duty take the person's first serials.
   */
  buildWellKnown(): DemoHistory {
    Object.assign(this.person, {
      id: WELL_KNOWN.personId, fin: null, givenName: 'Emre', surname: 'Yilmaz', patronymic: null, sex: 'MALE', citizenship: WELL_KNOWN.travelDocument.country,
    });
    const passport = this.document(false, addDays(addYears(this.today, -3), -45));
    this.history.documents.push({ ...passport, number: WELL_KNOWN.travelDocument.number });
    const firstExit = this.stay(addDays(this.today, -400), 100);
    const entry = addDays(this.today, -40);
    this.cross('ENTRY', entry);
    this.apply('WORK_PERMIT', addDays(this.today, -12), 'UNDER_REVIEW', { ground: 'EMPLOYMENT', months: 12, processingDays: 20, payDuty: false, channel: 'ELECTRONIC' });
    this.fine('OVERSTAY', firstExit, false);
    this.register(entry, addDays(entry, 89));
    return this.history;
  }

  build(): DemoHistory {
    this.issueTravelDocument();
    const scenario = this.random.weighted(SCENARIOS);
    switch (scenario) {
      case 'VISITOR':
        this.visitor();
        break;
      case 'OVERSTAYER':
        this.overstayer();
        break;
      case 'WORKER':
        this.worker();
        break;
      case 'LONG_TERM_RESIDENT':
        this.longTermResident();
        break;
      case 'PERMANENT_RESIDENT':
        this.permanentResident();
        break;
      case 'NEW_APPLICANT':
        this.newApplicant();
        break;
      case 'CITIZENSHIP':
        this.citizenship();
        break;
    }
    this.recordFacts(scenario);
    return this.history;
  }

  /**
   * What officers have established about the person (issue 20): for a long-term resident applying for
   * permanent residence, the ground (with its amount) and each refusal ground checked, one in six found to
   * apply; a few workers and visitors exempt from the work permit on a recorded ground; the CIT-01
   * conditions of every permanent resident (most met, some not).
   */
  private recordFacts(scenario: Scenario): void {
    const random = this.factsRandom;
    const fact = (kind: DemoFact['kind'], ruleId: string, validFrom: string, extra: Partial<DemoFact> = {}): void => {
      this.history.facts.push({
        id: random.uuid(), personId: this.person.id, kind, ruleId, established: true, amountAzn: null, businessTripDaysInYear: null,
        fieldSetByCabinet: null, spouseRegisteredAtResidence: null, validFrom, validUntil: null, sourceDocumentKind: null,
        sourceDocumentNumber: null, sourceApplicationNumber: null, recordedBy: 'migration-officer:demo', recordedOn: validFrom,
        idempotencyKey: `demo-fact-${this.index}-${this.history.facts.length}`, ...extra,
      });
    };
    const pr = this.history.applications.find((application) => application.type === 'PERMANENT_RESIDENCE' && application.status !== 'REJECTED');
    if (scenario === 'LONG_TERM_RESIDENT' && pr && pr.ground && PR_GROUND_RULE[pr.ground]) {
      const ruleId = PR_GROUND_RULE[pr.ground];
      const minimum = ruleId === 'PR-GR-02' ? 500_000 : ruleId === 'PR-GR-03' || ruleId === 'PR-GR-04' ? 100_000 : null;
      const amountAzn = minimum === null ? null : (minimum * (random.chance(0.1) ? 0.8 : 1 + random.int(0, 80) / 100)).toFixed(2);
      const checkedOn = minDate(addDays(pr.submittedOn, random.int(3, 20)), this.today);
      fact('PERMANENT_RESIDENCE_GROUND', ruleId, checkedOn, {
        amountAzn, sourceDocumentKind: 'GROUND_EVIDENCE', sourceApplicationNumber: pr.number,
      });
      const barred = random.chance(1 / 6) ? random.pick(['PR-RF-06', 'PR-RF-12', 'PR-RF-15'] as const) : null;
      for (const refusal of RECORDED_REFUSALS) fact('PERMANENT_RESIDENCE_REFUSAL_GROUND', refusal, checkedOn, { established: refusal === barred });
    }
    if ((scenario === 'WORKER' || scenario === 'VISITOR' || scenario === 'NEW_APPLICANT') && random.chance(0.08)) {
      const ruleId = this.person.citizenship === null ? 'WP-EX-18' : random.pick(['WP-EX-03', 'WP-EX-08', 'WP-EX-12', 'WP-EX-18'] as const);
      const since = addDays(this.today, -random.int(30, 700));
      fact('WORK_PERMIT_EXEMPTION', ruleId, since, {
        validUntil: addDays(addYears(since, 2), -1),
        sourceDocumentKind: EXEMPTION_DOCUMENT[ruleId],
        sourceDocumentNumber: `${EXEMPTION_DOCUMENT[ruleId].slice(0, 3)}-${String(this.index).padStart(7, '0')}`,
      });
    }
    const permanent = this.history.permits.find((permit) => permit.kind === 'PERMANENT_RESIDENCE_PERMIT');
    if (permanent && (scenario === 'PERMANENT_RESIDENT' || scenario === 'CITIZENSHIP')) {
      // Every permanent resident's CIT-01 conditions are on record: most showed all three; the others were
      // found without the state-language certificate, so their answer is NOT_ELIGIBLE, not UNDETERMINED.
      const complete = random.chance(0.7);
      const since = addDays(this.today, -random.int(30, 400));
      for (const kind of ['LAWFUL_INCOME', 'CONSTITUTION_UNDERTAKING', 'STATE_LANGUAGE_KNOWLEDGE'] as const) {
        const shown = complete || kind !== 'STATE_LANGUAGE_KNOWLEDGE';
        fact(kind, 'CIT-01', since, shown
          ? { sourceDocumentKind: CITIZENSHIP_DOCUMENT[kind], sourceDocumentNumber: `${kind.slice(0, 3)}-${String(this.index).padStart(7, '0')}` }
          : { established: false });
      }
    }
  }

  private get person() {
    return this.history.person;
  }

  private get needsVisa() {
    return this.rules.visaRequired(this.person.citizenship, this.today);
  }

  private issueTravelDocument(): void {
    const stateless = this.person.citizenship === null;
    // A document issued up to 9 years ago and valid 10 years; one in twelve has lapsed and been renewed.
    const issuedOn = addDays(this.today, -this.random.int(60, 9 * 365));
    if (this.random.chance(1 / 12)) this.history.documents.push(this.document(stateless, addYears(issuedOn, -10)));
    this.history.documents.push(this.document(stateless, issuedOn));
  }

  private document(stateless: boolean, issuedOn: string): DemoTravelDocument {
    // Unique by construction: the person's index and the document's sequence are part of the number.
    const sequence = this.history.documents.length;
    return {
      id: this.random.uuid(),
      personId: this.person.id,
      kind: stateless ? 'STATELESS_TRAVEL_DOCUMENT' : 'PASSPORT',
      number: `${this.random.chars('ABCDEFGHJKLMNPRSTUVWXYZ', 2)}${String(this.index).padStart(7, '0')}${sequence}`,
      issuingCountry: stateless ? 'AZE' : this.person.citizenship!,
      issuedOn,
      expiresOn: addYears(issuedOn, 10),
    };
  }

  private get currentDocumentId(): string {
    return this.history.documents[this.history.documents.length - 1].id;
  }

  private checkpoint(): string {
    const land = CHECKPOINTS_BY_COUNTRY[this.person.citizenship ?? ''];
    return land && this.random.chance(0.6) ? this.random.pick(land) : this.random.pick(AIR_CHECKPOINTS);
  }

  private cross(direction: 'ENTRY' | 'EXIT', date: string): void {
    if (date > this.today) return;
    this.history.crossings.push({
      id: this.random.uuid(),
      personId: this.person.id,
      direction,
      date,
      checkpoint: this.checkpoint(),
      travelDocumentId: this.currentDocumentId,
    });
  }

  /** A stay from `entry` for `days` days (inclusive); left open when it reaches past today. */
  private stay(entry: string, days: number): string {
    const exit = addDays(entry, days - 1);
    this.cross('ENTRY', entry);
    this.cross('EXIT', exit);
    return exit;
  }

  private office(): string {
    return this.random.pick(OFFICES);
  }

  private address(office: string): string {
    return `${CITIES_BY_OFFICE[office]}, ${this.random.pick(STREETS)} str. ${this.random.int(1, 180)}, apt. ${this.random.int(1, 120)}`;
  }

  private apply(
    type: ApplicationType,
    submittedOn: string,
    status: DemoApplicationStatus,
    options: {
      ground?: string;
      months?: number;
      processingDays?: number;
      decidedAfter?: number;
      note?: string;
      payDuty?: boolean;
      channel?: DemoApplication['channel'];
    } = {},
  ): DemoApplication {
    const serial = this.index * SLOTS + this.serials.application++;
    const channel =
      options.channel ?? (type === 'E_VISA'
        ? 'ELECTRONIC'
        : this.random.weighted([
            ['ASAN_XIDMET', 4],
            ['REGIONAL_MIGRATION_OFFICE', 3],
            ['ELECTRONIC', 4],
            ['POST', type.startsWith('CITIZENSHIP') ? 1 : 0],
            ['CONSULATE', type.startsWith('CITIZENSHIP') ? 1 : 0],
          ] as const));
    const decidedOn = isDecided(status) ? minDate(addDays(submittedOn, options.decidedAfter ?? this.random.int(3, 25)), this.today) : null;
    const application: DemoApplication = {
      id: this.random.uuid(),
      number: applicationNumber(type, submittedOn, String(serial).padStart(8, '0')),
      type,
      applicantId: this.person.id,
      channel,
      office: channel === 'REGIONAL_MIGRATION_OFFICE' ? this.office() : null,
      ground: options.ground ?? null,
      requestedDurationMonths: options.months ?? null,
      processingWorkingDays: options.processingDays ?? null,
      status,
      submittedOn,
      decidedOn,
      decisionNote: options.note ?? null,
    };
    this.history.applications.push(application);
    // PAY-04: an issued application's duty was paid; one the tables leave open was assessed before that.
    const duty = this.rules.stateDuty(type, options.months ?? null, options.processingDays ?? null, submittedOn, status === 'ISSUED');
    if (duty) {
      const paid = options.payDuty ?? (status === 'APPROVED' || status === 'ISSUED' || this.random.chance(0.5));
      this.payment({
        purpose: 'STATE_DUTY',
        applicationId: application.id,
        amount: duty.amount,
        currency: duty.currency,
        createdOn: submittedOn,
        status: paid ? 'PAID' : status === 'WITHDRAWN' || status === 'REJECTED' ? 'CANCELLED' : 'UNPAID',
        paidOn: paid ? minDate(addDays(submittedOn, this.random.int(0, 3)), this.today) : null,
      });
    }
    return application;
  }

  private payment(fields: {
    purpose: 'STATE_DUTY' | 'FINE';
    applicationId?: string;
    fineId?: string;
    amount: number;
    currency: 'AZN' | 'USD';
    createdOn: string;
    status: DemoPayment['status'];
    paidOn: string | null;
  }): void {
    const serial = String(this.index * SLOTS + this.serials.payment++).padStart(11, '0');
    this.history.payments.push({
      id: this.random.uuid(),
      code: serial + luhnCheckDigit(serial),
      purpose: fields.purpose,
      applicationId: fields.applicationId ?? null,
      fineId: fields.fineId ?? null,
      personId: this.person.id,
      amount: fields.amount.toFixed(2),
      currency: fields.currency,
      status: fields.status,
      channel: fields.status === 'PAID' ? this.random.pick(['ONLINE', 'BANK_BRANCH', 'EXPRESS_PAY_TERMINAL', 'ASAN_PAYMENT_TERMINAL'] as const) : null,
      createdOn: fields.createdOn,
      paidOn: fields.paidOn,
    });
  }

  private permit(
    kind: DemoPermitKind,
    validFrom: string,
    validUntil: string,
    options: { application?: DemoApplication; visaType?: DemoPermit['visaType']; address?: string; issuedOn?: string } = {},
  ): DemoPermit {
    const serial = this.index * SLOTS + this.serials.permit++;
    const permit: DemoPermit = {
      id: this.random.uuid(),
      number: `${PERMIT_NUMBER_PREFIX[kind]}${String(serial).padStart(9, '0')}`,
      kind,
      visaType: options.visaType ?? null,
      holderId: this.person.id,
      applicationId: options.application?.id ?? null,
      issuedOn: options.issuedOn ?? options.application?.decidedOn ?? validFrom,
      validFrom,
      validUntil,
      revokedOn: null,
      address: options.address ?? null,
      ground: RESIDENCE_PERMITS.includes(kind) ? options.application?.ground ?? null : null,
      groundArticle: null,
      familyMemberOfSpecialHolder: RESIDENCE_PERMITS.includes(kind) && options.application?.ground === 'FAMILY_REUNIFICATION' ? false : null,
    };
    this.history.permits.push(permit);
    return permit;
  }

  /** Registration by place of stay (REG-01) a few days after arrival, valid for the stay. */
  private register(arrival: string, until: string): void {
    const office = this.office();
    const submittedOn = addDays(arrival, this.random.int(1, 9));
    if (submittedOn > this.today) return;
    const application = this.apply('REGISTRATION_BY_PLACE_OF_STAY', submittedOn, 'ISSUED', { decidedAfter: 1 });
    this.permit('REGISTRATION_BY_PLACE_OF_STAY', submittedOn, until, { application, address: this.address(office) });
  }

  private fine(offence: DemoFine['offence'], issuedOn: string, paid: boolean): void {
    const amount = offence === 'LOST_RESIDENCE_DOCUMENT' ? 30 : this.random.pick([300, 350, 400]);
    const fine: DemoFine = {
      id: this.random.uuid(),
      personId: this.person.id,
      offence,
      legalArticle: FINE_ARTICLES[offence],
      amount: amount.toFixed(2),
      currency: 'AZN',
      issuedOn,
      dueOn: addDays(issuedOn, 60),
    };
    this.history.fines.push(fine);
    this.payment({
      purpose: 'FINE',
      fineId: fine.id,
      amount,
      currency: 'AZN',
      createdOn: issuedOn,
      status: paid ? 'PAID' : 'UNPAID',
      paidOn: paid ? minDate(addDays(issuedOn, this.random.int(1, 50)), this.today) : null,
    });
  }

  /** Short trips, each on a visa-free allowance or an e-Visa. */
  private visitor(): void {
    let cursor = addDays(this.today, -this.random.int(200, 1100));
    const trips = this.random.int(1, 4);
    for (let trip = 0; trip < trips && cursor < this.today; trip += 1) {
      const days = this.random.weighted([[this.random.int(2, 14), 6], [this.random.int(16, 29), 3]] as const);
      if (this.needsVisa) {
        const applied = addDays(cursor, -this.random.int(4, 20));
        const application = this.apply('E_VISA', applied, 'ISSUED', { decidedAfter: this.random.int(1, 4), ground: 'TOURISM' });
        this.permit('E_VISA', application.decidedOn!, addDays(application.decidedOn!, 89), { application, visaType: 'TOURIST' });
      }
      const exit = this.stay(cursor, days);
      if (days > 15) this.register(cursor, exit);
      cursor = addDays(exit, this.random.int(30, 300));
    }
  }

  /** Came in, never left, and stayed past the allowance: the fines follow (FINE-01). */
  private overstayer(): void {
    const entry = addDays(this.today, -this.random.int(100, 420));
    if (this.needsVisa) {
      const application = this.apply('E_VISA', addDays(entry, -7), 'ISSUED', { decidedAfter: 3, ground: 'TOURISM' });
      this.permit('E_VISA', application.decidedOn!, addDays(application.decidedOn!, 89), { application, visaType: 'TOURIST' });
    }
    this.cross('ENTRY', entry);
    if (this.random.chance(0.65)) {
      this.fine('OVERSTAY', addDays(entry, this.random.int(95, Math.max(96, daysBetween(entry, this.today)))), this.random.chance(0.35));
    }
    if (this.random.chance(0.25)) this.fine('NO_REGISTRATION', addDays(entry, this.random.int(20, 60)), this.random.chance(0.5));
    if (this.random.chance(0.1)) this.fine('WORK_WITHOUT_PERMIT', addDays(entry, this.random.int(30, 90)), false);
  }

  /** Works on a permit: work permit, temporary residence, registration, trips home, maybe an extension. */
  private worker(): void {
    const entry = addDays(this.today, -this.random.int(60, 1000));
    if (this.needsVisa) {
      this.permit('VISA', addDays(entry, -30), addDays(entry, 90), { visaType: this.random.chance(0.7) ? 'WORK' : 'BUSINESS', issuedOn: addDays(entry, -30) });
    }
    this.cross('ENTRY', entry);
    const processingDays = this.random.weighted([[20, 6], [15, 3], [10, 1]] as const);
    const months = this.random.weighted([[12, 6], [6, 3], [3, 1]] as const);
    const wpApplied = addDays(entry, this.random.int(2, 14));
    const rejected = this.random.chance(0.08);
    const wp = this.apply('WORK_PERMIT', wpApplied, rejected ? 'REJECTED' : 'ISSUED', {
      ground: 'EMPLOYMENT',
      months,
      processingDays,
      decidedAfter: Math.round(processingDays * 1.3),
      note: rejected ? 'Employment contract did not meet the documents checklist (WP-03).' : undefined,
    });
    if (rejected) {
      this.cross('EXIT', addDays(wp.decidedOn!, this.random.int(2, 20)));
      return;
    }
    const wpFrom = wp.decidedOn!;
    let until = addDays(addMonths(wpFrom, months), -1);
    this.permit('WORK_PERMIT', wpFrom, until, { application: wp });
    const trp = this.apply('TEMPORARY_RESIDENCE', addDays(wpFrom, this.random.int(1, 10)), 'ISSUED', {
      ground: 'EMPLOYMENT',
      months,
      processingDays: 20,
      decidedAfter: 25,
    });
    this.permit('TEMPORARY_RESIDENCE_PERMIT', trp.decidedOn!, until, { application: trp });
    this.register(entry, until);
    // Each time the permits run out: both extended for a year in time, or the worker leaves.
    let left: string | null = null;
    while (until < this.today && left === null) {
      if (this.random.chance(0.7)) {
        const from = addDays(until, 1);
        const extendedUntil = addDays(addMonths(from, 12), -1);
        const options = { ground: 'EMPLOYMENT', months: 12, processingDays: 20, decidedAfter: 25 };
        this.permit('WORK_PERMIT', from, extendedUntil, { application: this.apply('WORK_PERMIT_EXTENSION', addDays(until, -30), 'ISSUED', options) });
        this.permit('TEMPORARY_RESIDENCE_PERMIT', from, extendedUntil, {
          application: this.apply('TEMPORARY_RESIDENCE_EXTENSION', addDays(until, -35), 'ISSUED', options),
        });
        until = extendedUntil;
      } else {
        left = addDays(until, -this.random.int(0, 10));
      }
    }
    // Home leave once or twice a year while living here.
    const lastDay = left ?? this.today;
    let leave = addDays(entry, this.random.int(120, 200));
    while (leave < lastDay) {
      const back = addDays(leave, this.random.int(7, 30));
      if (back >= lastDay) break;
      this.cross('EXIT', leave);
      this.cross('ENTRY', back);
      leave = addDays(back, this.random.int(150, 300));
    }
    if (left) {
      this.cross('EXIT', left);
    } else if (daysBetween(this.today, until) < 45 && this.random.chance(0.6)) {
      // The permits end soon: the extension is in the works.
      const options = { ground: 'EMPLOYMENT', months: 12, processingDays: 20 };
      const status = this.random.pick(['SUBMITTED', 'UNDER_REVIEW'] as const);
      this.apply('WORK_PERMIT_EXTENSION', addDays(this.today, -this.random.int(1, 15)), status, options);
    }
  }

  /**
   * Arrives on `entry` (with a visa where one is needed) and lives on yearly temporary residence
   * permits, each following the last without a gap, until at least `until`. Returns the day after
   * the last permit ends.
   */
  private temporaryResidence(entry: string, until: string, ground: 'EMPLOYMENT' | 'FAMILY_REUNIFICATION' | 'EDUCATION' | 'INVESTMENT'): string {
    if (this.needsVisa) this.permit('VISA', addDays(entry, -20), addDays(entry, 70), { visaType: 'WORK', issuedOn: addDays(entry, -20) });
    this.cross('ENTRY', entry);
    let from = addDays(entry, 20);
    for (let year = 0; from <= until; year += 1) {
      const type = year === 0 ? 'TEMPORARY_RESIDENCE' : 'TEMPORARY_RESIDENCE_EXTENSION';
      const application = this.apply(type, addDays(from, -35), 'ISSUED', { ground, months: 12, processingDays: 20, decidedAfter: 28 });
      const last = addDays(addYears(from, 1), -1);
      this.permit('TEMPORARY_RESIDENCE_PERMIT', from, last, { application });
      if (ground === 'EMPLOYMENT') {
        const work = this.apply(year === 0 ? 'WORK_PERMIT' : 'WORK_PERMIT_EXTENSION', addDays(from, -40), 'ISSUED', { ground, months: 12, processingDays: 20, decidedAfter: 28 });
        this.permit('WORK_PERMIT', from, last, { application: work });
      }
      from = addDays(last, 1);
    }
    this.register(entry, addDays(from, -1));
    return from;
  }

  /** Years of temporary residence, then an application for permanent residence (PR-01). */
  private longTermResident(): void {
    const years = this.random.int(2, 4);
    const entry = addDays(addYears(this.today, -years), -this.random.int(30, 200));
    const ground = this.random.pick(['EMPLOYMENT', 'FAMILY_REUNIFICATION', 'EDUCATION', 'INVESTMENT'] as const);
    const from = this.temporaryResidence(entry, this.today, ground);
    const status = this.random.weighted([['SUBMITTED', 2], ['UNDER_REVIEW', 3], ['APPROVED', 1], ['ISSUED', 3], ['REJECTED', 1]] as const);
    const prGround = this.random.pick(['CLOSE_RELATIVE_OF_CITIZEN', 'INVESTMENT', 'REAL_ESTATE', 'BANK_DEPOSIT', 'HIGH_LEVEL_SPECIALIST', 'FAMILY_OF_RESIDENT', 'ENTREPRENEURSHIP'] as const);
    // Applied 45 to 200 days before the last temporary permit ends, which is most often months after the
    // reference date: then in the recent past, spread as applications come (one decided took about forty
    // days; one pending was made within the last fifty), not all on the reference date.
    const lately = addDays(this.today, isDecided(status) ? -this.random.int(45, 200) : -this.random.int(0, 50));
    const pr = this.apply('PERMANENT_RESIDENCE', minDate(addDays(from, -this.random.int(45, 200)), lately), status, {
      ground: prGround,
      processingDays: 30,
      decidedAfter: 40,
      note: status === 'REJECTED' ? 'An administrative fine for breaking the rules of stay was unpaid (PR-RF-16).' : undefined,
    });
    if (status === 'ISSUED') {
      this.permit('PERMANENT_RESIDENCE_PERMIT', pr.decidedOn!, addDays(addYears(pr.decidedOn!, 5), -1), { application: pr });
      this.person.fin = this.fin();
    }
  }

  /** Settled for years on a permanent residence permit; some trips abroad. */
  private permanentResident(): void {
    const granted = addDays(addYears(this.today, -this.random.int(1, 4)), -this.random.int(0, 300));
    const entry = addDays(granted, -this.random.int(800, 1200));
    this.temporaryResidence(entry, granted, 'FAMILY_REUNIFICATION');
    const pr = this.apply('PERMANENT_RESIDENCE', addDays(granted, -45), 'ISSUED', { ground: 'FAMILY_OF_RESIDENT', processingDays: 30, decidedAfter: 45 });
    this.permit('PERMANENT_RESIDENCE_PERMIT', pr.decidedOn!, addDays(addYears(pr.decidedOn!, 5), -1), { application: pr });
    this.person.fin = this.fin();
    let trip = addDays(granted, this.random.int(60, 200));
    while (trip < this.today) {
      const back = addDays(trip, this.random.int(5, this.random.chance(0.1) ? 200 : 40));
      this.cross('EXIT', trip);
      this.cross('ENTRY', back);
      trip = addDays(back, this.random.int(90, 365));
    }
    if (this.random.chance(0.15)) this.fine('LOST_RESIDENCE_DOCUMENT', addDays(this.today, -this.random.int(10, 300)), this.random.chance(0.7));
  }

  /** Recently arrived with an application in progress, of any kind, in any state. */
  private newApplicant(): void {
    const entry = addDays(this.today, -this.random.int(10, 80));
    if (this.needsVisa) this.permit('VISA', addDays(entry, -15), addDays(entry, 90), { visaType: this.random.pick(['BUSINESS', 'STUDENT', 'MEDICAL', 'WORK'] as const), issuedOn: addDays(entry, -15) });
    this.cross('ENTRY', entry);
    const submittedOn = minDate(addDays(entry, this.random.int(3, 30)), this.today);
    const status = this.random.weighted([['SUBMITTED', 4], ['UNDER_REVIEW', 4], ['APPROVED', 1], ['REJECTED', 1], ['WITHDRAWN', 1]] as const);
    const kind = this.random.weighted([['TEMPORARY_STAY_EXTENSION', 3], ['WORK_PERMIT', 3], ['TEMPORARY_RESIDENCE', 3], ['REGISTRATION_BY_PLACE_OF_STAY', 1]] as const);
    if (kind === 'TEMPORARY_STAY_EXTENSION') {
      const ground = this.random.pick(['URGENT_MEDICAL_TREATMENT', 'RELATIVE_ILLNESS_OR_DEATH', 'UNFINISHED_WORK', 'TRANSIT_VEHICLE_BREAKDOWN'] as const);
      const application = this.apply(kind, submittedOn, status, { ground, months: this.random.int(1, 3), decidedAfter: 5 });
      if (status === 'APPROVED') {
        this.history.applications[this.history.applications.length - 1].status = 'ISSUED';
        this.permit('STAY_EXTENSION', addDays(entry, 90), addDays(addMonths(addDays(entry, 90), application.requestedDurationMonths!), -1), { application });
      }
    } else if (kind === 'WORK_PERMIT') {
      this.apply(kind, submittedOn, status, { ground: 'EMPLOYMENT', months: 12, processingDays: this.random.pick([10, 15, 20]) });
    } else if (kind === 'TEMPORARY_RESIDENCE') {
      this.apply(kind, submittedOn, status, { ground: this.random.pick(['EMPLOYMENT', 'FAMILY_REUNIFICATION', 'EDUCATION'] as const), months: 12, processingDays: this.random.pick([15, 20]) });
    } else {
      this.apply(kind, submittedOn, status === 'APPROVED' ? 'ISSUED' : status);
    }
  }

  /** Citizenship matters: admission after years of permanent residence, restoration, renunciation. */
  private citizenship(): void {
    const kind = this.random.weighted([['ADMISSION', 6], ['RESTORATION', 3], ['TERMINATION', 1]] as const);
    const status = this.random.weighted([['SUBMITTED', 3], ['UNDER_REVIEW', 3], ['APPROVED', 2], ['REJECTED', 1], ['WITHDRAWN', 1]] as const);
    const submittedOn = addDays(this.today, -this.random.int(5, 150));
    if (kind === 'ADMISSION') {
      const granted = addDays(addYears(this.today, -this.random.int(5, 7)), -this.random.int(0, 200));
      this.temporaryResidence(addDays(addYears(granted, -2), -this.random.int(40, 300)), granted, 'FAMILY_REUNIFICATION');
      const pr = this.apply('PERMANENT_RESIDENCE', addDays(granted, -40), 'ISSUED', { ground: 'CLOSE_RELATIVE_OF_CITIZEN', processingDays: 30, decidedAfter: 40 });
      this.permit('PERMANENT_RESIDENCE_PERMIT', pr.decidedOn!, addDays(addYears(pr.decidedOn!, 10), -1), { application: pr });
      this.person.fin = this.fin();
      this.apply('CITIZENSHIP_ADMISSION', submittedOn, status, {});
    } else if (kind === 'RESTORATION') {
      // A former citizen living in Azerbaijan on residence permits.
      this.temporaryResidence(addDays(this.today, -this.random.int(400, 1500)), this.today, 'FAMILY_REUNIFICATION');
      this.person.fin = this.fin();
      this.apply('CITIZENSHIP_RESTORATION', submittedOn, status, {});
    } else {
      // A citizen living abroad renounces through a consulate, holding the citizenship recorded here (CIT-03).
      this.person.fin = this.fin();
      this.apply('CITIZENSHIP_TERMINATION', submittedOn, status, { ground: 'RENUNCIATION', channel: 'CONSULATE' });
    }
  }

  /**
   * FİN: 7 characters of a 32-letter alphabet without look-alikes (no I, O, Q, W). Unique by
   * construction: the index is scrambled by an odd multiplier, a bijection modulo 32^7.
   */
  private fin(): string {
    const alphabet = '0123456789ABCDEFGHJKLMNPRSTUVXYZ';
    let value = (BigInt(this.index) * 0x5deece66dn + 0xbn) % 32n ** 7n;
    let fin = '';
    for (let i = 0; i < 7; i += 1) {
      fin = alphabet[Number(value % 32n)] + fin;
      value /= 32n;
    }
    return fin;
  }
}

/**
 * Articles of the Code of Administrative Offences shown on demo fines. Illustrative values for
 * demo data, not a legal mapping: the rules (FINE-01) decide amounts, not these labels.
 */
const FINE_ARTICLES: Record<DemoFine['offence'], string> = {
  OVERSTAY: 'İXM 575.1',
  NO_REGISTRATION: 'İXM 575.1',
  WORK_WITHOUT_PERMIT: 'İXM 576.1',
  BREACH_OF_PURPOSE: 'İXM 575.2',
  LOST_RESIDENCE_DOCUMENT: 'İXM 578',
};

function minDate(a: string, b: string): string {
  return a < b ? a : b;
}
