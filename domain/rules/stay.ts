/**
 * STAY-01..03 (and STAY-PAND): stay periods from border crossings, the lawful basis of each day present,
 * overstay days, and the legal status on an evaluation date.
 *
 * Stay periods (STAY-02), choices where the seeds are silent:
 * - Days are counted inclusively: entry day and exit day both count; entry and exit on the same day = 1 day.
 * - Crossings after `asOf` are ignored; an open period runs to `asOf`.
 * - Input order does not matter. Crossings are grouped by date; within one date the order that is consistent
 *   with the state before that day is used: a person inside exits first (EXIT then ENTRY: a same-day trip
 *   out and back), a person outside enters first (ENTRY then EXIT: a same-day visit). A fixed "ENTRY before
 *   EXIT" order would wrongly turn a same-day trip out and back into a one-day visit plus an unclosed stay.
 *   Crossings of one direction on one date beyond what alternation allows are duplicates and are ignored.
 *   A same-day trip out and back makes that date count in both periods, since the person was present on it.
 * - An EXIT with no preceding ENTRY (records begin while the person is inside, or an entry was not recorded)
 *   gives a period with `entryDate: null`, `days: 1` (only the exit day is known) and anomaly
 *   'EXIT_WITHOUT_ENTRY'. Its lawfulness is UNDETERMINED unless a dated basis covers the exit day.
 * - Two ENTRY crossings in a row on different dates: the earlier period is closed on the day before the
 *   second entry (`exitDate: null`, anomaly 'ENTRY_WITHOUT_EXIT'), since the unrecorded exit was at the latest
 *   that day.
 *
 * Lawful basis (STAY-01, STAY-03), choices:
 * - Visa-free allowance: 90 days per stay period counted from its entry day, for a citizenship on the exempt
 *   list on that entry day. The seeds give no rolling window (such as 90 in 180), so none is applied.
 * - A visa covers the days within its validity; an e-Visa is single-entry with a stay of at most 30 days from
 *   the day of use; a visa with `maxStayDays` is limited likewise; a single-entry visa is used by the first
 *   stay period that overlaps its validity only.
 * - A work permit alone is NOT a basis of stay: S0 describes it as permission to work, while the visa and the
 *   residence permits are what allow entry, stay and living; employment is a ground for a temporary residence
 *   permit (TRP-02). Registration by place of stay is a duty, not a basis. Both are reported as disregarded.
 * - A stay extension, a temporary or permanent residence permit and the pandemic automatic extension
 *   (STAY-PAND, as recorded by the Service) cover the days within their dates.
 */
import { reason } from './catalog';
import { fromDayNumber, parseIsoDate, toDayNumber } from './dates';
import { parameterAt } from './parameters';
import { RegistrationDecision, RegistrationFact, evaluateRegistrationRequirement } from './registration';
import { Decision, IsoDate, Reason, RuleInputError } from './types';
import { VisaType, visaExemptCitizenship } from './visa';

export interface CrossingFact {
  direction: 'ENTRY' | 'EXIT';
  date: IsoDate;
}

export type StayAnomaly = 'EXIT_WITHOUT_ENTRY' | 'ENTRY_WITHOUT_EXIT';

export interface StayPeriodFact {
  entryDate: IsoDate | null;
  exitDate: IsoDate | null;
  /** Last day of the period: the exit day, `asOf` for an open period, or the inferred last day. */
  endDate: IsoDate;
  /** Days present, both ends included. */
  days: number;
  open: boolean;
  /** Set when the crossings do not alternate as expected; see the module comment. */
  anomaly?: StayAnomaly;
}

/** STAY-02: stay periods from border crossings, as of `asOf`. */
export function deriveStayPeriods(crossings: readonly CrossingFact[], asOf: IsoDate): StayPeriodFact[] {
  const asOfDay = toDayNumber(asOf);
  const byDate = new Map<number, { entries: number; exits: number }>();
  for (const crossing of crossings) {
    if (crossing.direction !== 'ENTRY' && crossing.direction !== 'EXIT') {
      throw new RuleInputError(`Unknown crossing direction: ${String(crossing.direction)}`, 'INVALID_ARGUMENT');
    }
    const day = toDayNumber(crossing.date);
    if (day > asOfDay) continue;
    const counts = byDate.get(day) ?? { entries: 0, exits: 0 };
    if (crossing.direction === 'ENTRY') counts.entries += 1;
    else counts.exits += 1;
    byDate.set(day, counts);
  }

  const periods: StayPeriodFact[] = [];
  let openEntryDay: number | null = null;
  const close = (entryDay: number, endDay: number, exitDay: number | null, anomaly?: StayAnomaly) => {
    const period: StayPeriodFact = {
      entryDate: fromDayNumber(entryDay),
      exitDate: exitDay === null ? null : fromDayNumber(exitDay),
      endDate: fromDayNumber(endDay),
      days: endDay - entryDay + 1,
      open: false,
    };
    if (anomaly) period.anomaly = anomaly;
    periods.push(period);
  };

  for (const day of [...byDate.keys()].sort((a, b) => a - b)) {
    const counts = byDate.get(day)!;
    for (const direction of sameDayOrder(counts.entries, counts.exits, openEntryDay !== null)) {
      if (direction === 'ENTRY') {
        if (openEntryDay !== null) close(openEntryDay, day - 1, null, 'ENTRY_WITHOUT_EXIT');
        openEntryDay = day;
      } else if (openEntryDay !== null) {
        close(openEntryDay, day, day);
        openEntryDay = null;
      } else {
        const date = fromDayNumber(day);
        periods.push({ entryDate: null, exitDate: date, endDate: date, days: 1, open: false, anomaly: 'EXIT_WITHOUT_ENTRY' });
      }
    }
  }
  if (openEntryDay !== null) {
    periods.push({
      entryDate: fromDayNumber(openEntryDay),
      exitDate: null,
      endDate: fromDayNumber(asOfDay),
      days: asOfDay - openEntryDay + 1,
      open: true,
    });
  }
  return periods;
}

/** The crossings of one date in the order consistent with the state before that date. */
function sameDayOrder(entries: number, exits: number, inside: boolean): Array<'ENTRY' | 'EXIT'> {
  if (entries === 0) return exits > 0 ? ['EXIT'] : [];
  if (exits === 0) return ['ENTRY'];
  let first: 'ENTRY' | 'EXIT' = inside ? 'EXIT' : 'ENTRY';
  const remaining = { ENTRY: entries, EXIT: exits };
  const order: Array<'ENTRY' | 'EXIT'> = [];
  while (remaining[first] > 0) {
    order.push(first);
    remaining[first] -= 1;
    first = first === 'ENTRY' ? 'EXIT' : 'ENTRY';
  }
  return order;
}

// ---------------------------------------------------------------------------------------------------------
// Lawful basis and overstay (STAY-01, STAY-03)

/** What makes a day of presence lawful. VISA_FREE is derived from citizenship, never given as a fact. */
export type StayBasisKind =
  | 'VISA_FREE'
  | 'VISA'
  | 'E_VISA'
  | 'STAY_EXTENSION'
  | 'TEMPORARY_RESIDENCE'
  | 'PERMANENT_RESIDENCE'
  | 'PANDEMIC_AUTO_EXTENSION';

/** Recorded documents. WORK_PERMIT and REGISTRATION are accepted but are not bases of stay (see above). */
export type LawfulBasisFactKind = Exclude<StayBasisKind, 'VISA_FREE'> | 'WORK_PERMIT' | 'REGISTRATION';

export interface LawfulBasisFact {
  kind: LawfulBasisFactKind;
  validFrom: IsoDate;
  /** Last valid day; null = no end date (e.g. a permanent permit without expiry, an open pandemic extension). */
  validUntil: IsoDate | null;
  /** Cancelled or revoked on this day: it no longer covers that day or later. */
  revokedOn?: IsoDate | null;
  reference?: string;
  visaType?: VisaType;
  /** Visas: default MULTIPLE for VISA, SINGLE for E_VISA. */
  entries?: 'SINGLE' | 'MULTIPLE';
  /** Visas: longest stay per entry, counted from the first day of use. E_VISA defaults to VISA-02 (30). */
  maxStayDays?: number;
}

export interface StayFacts {
  /** ISO 3166-1 alpha-3; empty for a stateless person. */
  citizenships: readonly string[];
  crossings: readonly CrossingFact[];
  lawfulBases: readonly LawfulBasisFact[];
  registrations?: readonly RegistrationFact[];
  intendedDepartureDate?: IsoDate | null;
}

export type StayPeriodOutcome = 'LAWFUL' | 'OVERSTAY' | 'UNDETERMINED';

export interface StayPeriodEvaluation {
  period: StayPeriodFact;
  outcome: StayPeriodOutcome;
  lawfulDays: number;
  unlawfulDays: number;
  /** Bases that covered at least one day, in order of the first day they covered. */
  bases: StayBasisKind[];
  firstUnlawfulDate: IsoDate | null;
  reasons: Reason[];
}

interface Cover {
  kind: StayBasisKind;
  from: number;
  to: number; // inclusive; FAR_FUTURE for no end
}

const FAR_FUTURE = toDayNumber('9999-12-31');
const PRECEDENCE: readonly StayBasisKind[] = [
  'PERMANENT_RESIDENCE',
  'TEMPORARY_RESIDENCE',
  'STAY_EXTENSION',
  'VISA',
  'E_VISA',
  'VISA_FREE',
  'PANDEMIC_AUTO_EXTENSION',
];

function lastValidDay(fact: LawfulBasisFact): number {
  let last = fact.validUntil === null ? FAR_FUTURE : toDayNumber(fact.validUntil);
  if (fact.revokedOn) last = Math.min(last, toDayNumber(fact.revokedOn) - 1);
  return last;
}

/** The first period (index) that uses each single-entry visa. */
function singleEntryUse(facts: readonly LawfulBasisFact[], periods: readonly StayPeriodFact[]): Map<LawfulBasisFact, number> {
  const use = new Map<LawfulBasisFact, number>();
  for (const fact of facts) {
    if (!isVisa(fact) || entriesOf(fact) !== 'SINGLE') continue;
    const from = toDayNumber(fact.validFrom);
    const to = lastValidDay(fact);
    const index = periods.findIndex((period) => {
      const start = period.entryDate ? toDayNumber(period.entryDate) : toDayNumber(period.endDate);
      return start <= to && toDayNumber(period.endDate) >= from;
    });
    if (index >= 0) use.set(fact, index);
  }
  return use;
}

function isVisa(fact: LawfulBasisFact): boolean {
  return fact.kind === 'VISA' || fact.kind === 'E_VISA';
}

function entriesOf(fact: LawfulBasisFact): 'SINGLE' | 'MULTIPLE' {
  return fact.entries ?? (fact.kind === 'E_VISA' ? 'SINGLE' : 'MULTIPLE');
}

/**
 * The day ranges of one period covered by each basis. `periodEnd` may lie beyond the period's end date to ask
 * how long the bases would carry an open period (used for `lawfulUntil`).
 */
function coversForPeriod(
  facts: StayFacts,
  period: StayPeriodFact,
  periodIndex: number,
  singleUse: Map<LawfulBasisFact, number>,
  periodEnd: number,
): Cover[] {
  const periodStart = period.entryDate ? toDayNumber(period.entryDate) : toDayNumber(period.endDate);
  const covers: Cover[] = [];
  const clip = (kind: StayBasisKind, from: number, to: number) => {
    const start = Math.max(from, periodStart);
    const end = Math.min(to, periodEnd);
    if (start <= end) covers.push({ kind, from: start, to: end });
  };
  for (const fact of facts.lawfulBases) {
    if (fact.kind === 'WORK_PERMIT' || fact.kind === 'REGISTRATION') continue;
    const from = toDayNumber(fact.validFrom);
    let to = lastValidDay(fact);
    if (isVisa(fact)) {
      if (entriesOf(fact) === 'SINGLE' && singleUse.get(fact) !== periodIndex) continue;
      const maxStay =
        fact.maxStayDays ?? (fact.kind === 'E_VISA' ? parameterAt('EVISA_MAX_STAY_DAYS', fact.validFrom).value : null);
      if (maxStay !== null) to = Math.min(to, Math.max(from, periodStart) + maxStay - 1);
    }
    clip(fact.kind, from, to);
  }
  if (period.entryDate && visaExemptCitizenship(facts.citizenships, period.entryDate)) {
    const allowance = parameterAt('STAY_VISA_FREE_MAX_DAYS', period.entryDate).value;
    clip('VISA_FREE', periodStart, periodStart + allowance - 1);
  }
  return covers;
}

/** Merged, sorted day ranges covered by any basis. */
function unionOf(covers: readonly Cover[]): Array<{ from: number; to: number }> {
  const sorted = [...covers].sort((a, b) => a.from - b.from);
  const merged: Array<{ from: number; to: number }> = [];
  for (const cover of sorted) {
    const last = merged[merged.length - 1];
    if (last && cover.from <= last.to + 1) last.to = Math.max(last.to, cover.to);
    else merged.push({ from: cover.from, to: cover.to });
  }
  return merged;
}

function basisOn(covers: readonly Cover[], day: number): StayBasisKind | null {
  const kinds = covers.filter((cover) => cover.from <= day && day <= cover.to).map((cover) => cover.kind);
  return PRECEDENCE.find((kind) => kinds.includes(kind)) ?? null;
}

const BASIS_NAMES: Record<StayBasisKind, { en: string; az: string }> = {
  VISA_FREE: { en: 'visa-free allowance', az: 'vizasız olma müddəti' },
  VISA: { en: 'visa', az: 'viza' },
  E_VISA: { en: 'e-Visa', az: 'elektron viza' },
  STAY_EXTENSION: { en: 'extension of stay', az: 'olma müddətinin uzadılması' },
  TEMPORARY_RESIDENCE: { en: 'temporary residence permit', az: 'müvəqqəti yaşamaq icazəsi' },
  PERMANENT_RESIDENCE: { en: 'permanent residence permit', az: 'daimi yaşamaq icazəsi' },
  PANDEMIC_AUTO_EXTENSION: { en: 'pandemic automatic extension', az: 'pandemiya dövründə avtomatik uzatma' },
};

function basisRuleId(kind: StayBasisKind): string {
  return kind === 'PANDEMIC_AUTO_EXTENSION' ? 'STAY-PAND' : kind === 'E_VISA' ? 'VISA-02' : 'STAY-01';
}

/** STAY-03: lawful and unlawful days of every stay period up to `asOf`. */
export function evaluateStayPeriods(facts: StayFacts, asOf: IsoDate): StayPeriodEvaluation[] {
  const periods = deriveStayPeriods(facts.crossings, asOf);
  const singleUse = singleEntryUse(facts.lawfulBases, periods);
  return periods.map((period, index) => {
    const start = period.entryDate ? toDayNumber(period.entryDate) : toDayNumber(period.endDate);
    const end = toDayNumber(period.endDate);
    const covers = coversForPeriod(facts, period, index, singleUse, end);
    const union = unionOf(covers);
    const lawfulDays = union.reduce((sum, range) => sum + (range.to - range.from + 1), 0);
    const unlawfulDays = period.days - lawfulDays;
    let firstUnlawful: number | null = null;
    let cursor = start;
    for (const range of union) {
      if (range.from > cursor) break;
      cursor = range.to + 1;
    }
    if (cursor <= end) firstUnlawful = cursor;
    const bases = [...covers]
      .sort((a, b) => a.from - b.from || PRECEDENCE.indexOf(a.kind) - PRECEDENCE.indexOf(b.kind))
      .map((cover) => cover.kind)
      .filter((kind, i, all) => all.indexOf(kind) === i);

    const reasons: Reason[] = [];
    const label = period.entryDate ? `${period.entryDate}..${period.endDate}` : `..${period.endDate}`;
    if (period.anomaly === 'EXIT_WITHOUT_ENTRY') {
      reasons.push(
        reason(
          'STAY-02',
          `An exit on ${period.endDate} has no recorded entry before it; only the exit day is counted.`,
          `${period.endDate} tarixli çıxışdan əvvəl qeydə alınmış giriş yoxdur; yalnız çıxış günü hesablanır.`,
          { anomaly: 'EXIT_WITHOUT_ENTRY' },
        ),
      );
    } else if (period.anomaly === 'ENTRY_WITHOUT_EXIT') {
      reasons.push(
        reason(
          'STAY-02',
          `The stay from ${period.entryDate} has no recorded exit before the next entry; it is closed on ${period.endDate}.`,
          `${period.entryDate} tarixindən olma dövrünün növbəti girişdən əvvəl qeydə alınmış çıxışı yoxdur; ${period.endDate} tarixində bağlanır.`,
          { anomaly: 'ENTRY_WITHOUT_EXIT' },
        ),
      );
    }
    for (const kind of bases) {
      const days = unionOf(covers.filter((cover) => cover.kind === kind)).reduce((s, r) => s + r.to - r.from + 1, 0);
      reasons.push(
        reason(
          basisRuleId(kind),
          `Stay ${label}: ${days} day(s) covered by the ${BASIS_NAMES[kind].en}.`,
          `Olma dövrü ${label}: ${days} gün ${BASIS_NAMES[kind].az} ilə əhatə olunur.`,
          { basis: kind, days },
        ),
      );
    }
    const disregarded = facts.lawfulBases.filter((fact) => fact.kind === 'WORK_PERMIT' || fact.kind === 'REGISTRATION');
    if (disregarded.length) {
      reasons.push(
        reason(
          'STAY-03',
          'A work permit or a registration by place of stay is not itself a basis of stay and was not counted.',
          'İş icazəsi və ya olduğu yer üzrə qeydiyyat özlüyündə olma əsası deyil və nəzərə alınmayıb.',
        ),
      );
    }

    let outcome: StayPeriodOutcome;
    if (unlawfulDays === 0) {
      outcome = 'LAWFUL';
    } else if (period.anomaly === 'EXIT_WITHOUT_ENTRY') {
      outcome = 'UNDETERMINED';
      reasons.push(
        reason(
          'STAY-03',
          'The entry date is unknown, so the lawful basis of this stay cannot be determined.',
          'Giriş tarixi məlum deyil, buna görə bu olma dövrünün qanuni əsası müəyyən edilə bilmir.',
        ),
      );
    } else {
      outcome = 'OVERSTAY';
      reasons.push(
        reason(
          'STAY-03',
          `Stay ${label}: ${unlawfulDays} day(s) without a lawful basis, from ${fromDayNumber(firstUnlawful!)}.`,
          `Olma dövrü ${label}: ${fromDayNumber(firstUnlawful!)} tarixindən ${unlawfulDays} gün qanuni əsas olmadan.`,
          { unlawfulDays, firstUnlawfulDate: fromDayNumber(firstUnlawful!) },
        ),
      );
    }
    return {
      period,
      outcome,
      lawfulDays,
      unlawfulDays,
      bases,
      firstUnlawfulDate: firstUnlawful === null ? null : fromDayNumber(firstUnlawful),
      reasons,
    };
  });
}

export type LegalStatusOutcome = 'LAWFUL' | 'UNLAWFUL' | 'NOT_PRESENT';

export interface LegalStatusDecision extends Decision<LegalStatusOutcome> {
  /** The basis of stay on `asOf` (the strongest when several apply), or null. */
  basis: StayBasisKind | null;
  /** Last day the known bases carry the current stay without a gap; null when present with no end (or not lawful). */
  lawfulUntil: IsoDate | null;
  /** Unlawful days in the current stay. */
  overstayDays: number;
  /** Unlawful days over all stays up to `asOf`. */
  totalOverstayDays: number;
  currentPeriod: StayPeriodFact | null;
  periods: StayPeriodEvaluation[];
  /** REG-01/02 for the current stay; null when not present. */
  registration: RegistrationDecision | null;
}

/**
 * Legal status on `asOf`: present or not, lawful or not and on which basis, until when, overstay days, and
 * whether registration by place of stay is required and by when. `evaluated` is
 * `evaluateStayPeriods(facts, asOf)` when the caller already has it (the same periods, not evaluated twice).
 */
export function evaluateLegalStatus(facts: StayFacts, asOf: IsoDate, evaluated?: StayPeriodEvaluation[]): LegalStatusDecision {
  parseIsoDate(asOf);
  const periods = evaluated ?? evaluateStayPeriods(facts, asOf);
  const totalOverstayDays = periods.reduce((sum, p) => sum + p.unlawfulDays, 0);
  const current = periods.find((p) => p.period.open) ?? null;
  if (!current) {
    return {
      outcome: 'NOT_PRESENT',
      basis: null,
      lawfulUntil: null,
      overstayDays: 0,
      totalOverstayDays,
      currentPeriod: null,
      periods,
      registration: null,
      reasons: [
        reason(
          'STAY-02',
          `No stay is open on ${asOf}: the last recorded crossing is an exit, or there is none.`,
          `${asOf} tarixində açıq olma dövrü yoxdur: son qeydə alınmış keçid çıxışdır və ya keçid yoxdur.`,
        ),
        ...(totalOverstayDays > 0
          ? [
              reason(
                'STAY-03',
                `Earlier stays include ${totalOverstayDays} unlawful day(s).`,
                `Əvvəlki olma dövrlərində ${totalOverstayDays} qanunsuz gün var.`,
                { totalOverstayDays },
              ),
            ]
          : []),
      ],
    };
  }

  const asOfDay = toDayNumber(asOf);
  const singleUse = singleEntryUse(facts.lawfulBases, periods.map((p) => p.period));
  const index = periods.indexOf(current);
  const forward = coversForPeriod(facts, current.period, index, singleUse, FAR_FUTURE);
  const basis = basisOn(forward, asOfDay);
  const around = unionOf(forward).find((range) => range.from <= asOfDay && asOfDay <= range.to);
  const lawfulUntil = around && around.to < FAR_FUTURE ? fromDayNumber(around.to) : null;
  const holdsResidencePermit = facts.lawfulBases.some(
    (fact) =>
      (fact.kind === 'TEMPORARY_RESIDENCE' || fact.kind === 'PERMANENT_RESIDENCE') &&
      toDayNumber(fact.validFrom) <= asOfDay &&
      asOfDay <= lastValidDay(fact),
  );
  const registration = evaluateRegistrationRequirement(
    {
      entryDate: current.period.entryDate!,
      intendedDepartureDate: facts.intendedDepartureDate ?? null,
      holdsResidencePermit,
      registrations: facts.registrations ?? [],
    },
    asOf,
  );

  const reasons: Reason[] = [...current.reasons];
  if (basis) {
    reasons.push(
      reason(
        basisRuleId(basis),
        lawfulUntil
          ? `Lawfully present on ${asOf} on the basis of the ${BASIS_NAMES[basis].en}, until ${lawfulUntil}.`
          : `Lawfully present on ${asOf} on the basis of the ${BASIS_NAMES[basis].en}, with no end date recorded.`,
        lawfulUntil
          ? `${asOf} tarixində ${BASIS_NAMES[basis].az} əsasında ${lawfulUntil} tarixinədək qanuni olur.`
          : `${asOf} tarixində ${BASIS_NAMES[basis].az} əsasında qanuni olur; bitmə tarixi qeydə alınmayıb.`,
        { basis, lawfulUntil },
      ),
    );
  } else {
    reasons.push(
      reason(
        'STAY-03',
        `No lawful basis of stay on ${asOf}.`,
        `${asOf} tarixində olmanın qanuni əsası yoxdur.`,
      ),
    );
  }
  reasons.push(...registration.reasons);
  return {
    outcome: basis ? 'LAWFUL' : 'UNLAWFUL',
    basis,
    lawfulUntil: basis ? lawfulUntil : null,
    overstayDays: current.unlawfulDays,
    totalOverstayDays,
    currentPeriod: current.period,
    periods,
    registration,
    reasons,
  };
}
