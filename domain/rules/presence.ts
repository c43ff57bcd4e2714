/**
 * STAY-02, STAY-03 and REG-02 over the days to come: what a person's legal status will be on each day from
 * an evaluation date on, as long as nothing is recorded meanwhile, summed up in a few dates. A registry
 * keeps this summary per person so that it can count persons present, overstaying and overdue for
 * registration on any day without evaluating anyone again; the summary is made from `evaluateLegalStatus`
 * itself, on the evaluation date and on the days its answer changes, so the counts agree with it.
 *
 * Between the evaluation date and `recheckOn` (the first day on which something not summed up here may
 * change the answer: a dated crossing, a permit beginning, a residence permit ending, a registration, a
 * parameter changing) the answer changes at most twice, in ways the summary holds: the last lawful day
 * passes (STAY-03), and the registration deadline passes unregistered (REG-02). The overstay length then
 * grows by one a day.
 */
import { addDays, compareIsoDates, maxDate, toDayNumber, fromDayNumber } from './dates';
import { PARAMETER_TABLE, parameterAt } from './parameters';
import { evaluateLegalStatus, type StayFacts } from './stay';
import type { IsoDate } from './types';

export interface PresenceSummary {
  /** The day the summary was made on; it holds for that day and the days after it, up to `recheckOn`. */
  evaluatedOn: IsoDate;
  /** Entry day of the open stay (STAY-02); null when not present. */
  presentSince: IsoDate | null;
  /** First day (from `evaluatedOn`) present without a lawful basis (STAY-03); null when lawful until `recheckOn`. */
  overstayFrom: IsoDate | null;
  /** With `overstayFrom`: the overstay days of the current stay on a day D from then on are D - overstayOrigin + 1. */
  overstayOrigin: IsoDate | null;
  /** First day (from `evaluatedOn`) the registration by place of stay is overdue (REG-02); null when not before `recheckOn`. */
  registrationOverdueFrom: IsoDate | null;
  /** The summary may no longer hold from this day on: evaluate again then. Null: only a new record changes it. */
  recheckOn: IsoDate | null;
}

/** A person's standing on one day, as the summary tells it (what a registry counts). */
export interface PresenceOnDay {
  present: boolean;
  overstaying: boolean;
  /** Overstay days of the current stay, when overstaying (the `overstayDays` of the legal status). */
  overstayDays: number;
  registrationOverdue: boolean;
}

/** Parameters read on the evaluation date whose change on a later date would change REG-01/REG-02. */
const DATED_PARAMETERS = ['REG_REQUIRED_AFTER_DAYS', 'REG_DEADLINE_DAYS_AFTER_ARRIVAL'];

const isAfter = (date: IsoDate, day: IsoDate) => compareIsoDates(date, day) > 0;
const isBefore = (date: IsoDate, limit: IsoDate | null) => limit === null || compareIsoDates(date, limit) < 0;

/**
 * The first day after `asOf` on which the facts themselves may change the answer in a way the summary
 * does not hold: a crossing dated later, a permit (or registration) beginning later, a residence permit
 * ending (REG-01 exempts its holder), a parameter of REG-01/REG-02 changing. Null when there is none.
 */
export function nextRecheck(facts: StayFacts, asOf: IsoDate): IsoDate | null {
  const candidates: IsoDate[] = [];
  for (const crossing of facts.crossings) candidates.push(crossing.date);
  for (const basis of facts.lawfulBases) {
    candidates.push(basis.validFrom);
    if (basis.kind === 'TEMPORARY_RESIDENCE' || basis.kind === 'PERMANENT_RESIDENCE') {
      if (basis.validUntil) candidates.push(addDays(basis.validUntil, 1));
      if (basis.revokedOn) candidates.push(basis.revokedOn);
    }
  }
  for (const registration of facts.registrations ?? []) candidates.push(registration.registeredOn);
  for (const entry of PARAMETER_TABLE) {
    if (entry.variant === 'SEED' && DATED_PARAMETERS.includes(entry.name)) candidates.push(entry.effectiveFrom);
  }
  const later = candidates.filter((date) => isAfter(date, asOf)).map(toDayNumber);
  return later.length === 0 ? null : fromDayNumber(Math.min(...later));
}

/** The summary of `facts` from `asOf` on (see the module comment). */
export function summarizePresence(facts: StayFacts, asOf: IsoDate): PresenceSummary {
  let recheckOn = nextRecheck(facts, asOf);
  const status = evaluateLegalStatus(facts, asOf);
  const summary: PresenceSummary = {
    evaluatedOn: asOf,
    presentSince: null,
    overstayFrom: null,
    overstayOrigin: null,
    registrationOverdueFrom: null,
    recheckOn,
  };
  if (status.outcome === 'NOT_PRESENT' || !status.currentPeriod) return summary;
  const entry = status.currentPeriod.entryDate!;
  summary.presentSince = entry;

  // STAY-03: unlawful today, or from the day after the last lawful day.
  if (status.outcome === 'UNLAWFUL') {
    summary.overstayFrom = asOf;
    summary.overstayOrigin = addDays(asOf, 1 - status.overstayDays);
  } else if (status.lawfulUntil !== null) {
    const firstUnlawful = addDays(status.lawfulUntil, 1);
    if (isBefore(firstUnlawful, recheckOn)) {
      const then = evaluateLegalStatus(facts, firstUnlawful);
      if (then.outcome === 'UNLAWFUL') {
        summary.overstayFrom = firstUnlawful;
        summary.overstayOrigin = addDays(firstUnlawful, 1 - then.overstayDays);
      } else {
        // Not what the facts should give; evaluating again on that day is right whatever the reason.
        recheckOn = firstUnlawful;
      }
    }
  }

  // REG-02: overdue today, or from the first day both required (REG-01) and past the deadline.
  const registration = status.registration;
  if (registration?.overdue) {
    summary.registrationOverdueFrom = asOf;
  } else if (registration && registration.registeredOn === null) {
    const required = addDays(entry, parameterAt('REG_REQUIRED_AFTER_DAYS', asOf).value);
    const pastDue = addDays(entry, parameterAt('REG_DEADLINE_DAYS_AFTER_ARRIVAL', asOf).value + 1);
    const overdueFrom = maxDate(maxDate(required, pastDue), addDays(asOf, 1));
    if (isBefore(overdueFrom, recheckOn) && evaluateLegalStatus(facts, overdueFrom).registration?.overdue) {
      summary.registrationOverdueFrom = overdueFrom;
    }
  }
  summary.recheckOn = recheckOn;
  return summary;
}

/** The person's standing on `day` (not before `evaluatedOn`, before `recheckOn`), from the summary alone. */
export function presenceOn(summary: PresenceSummary, day: IsoDate): PresenceOnDay {
  const present = summary.presentSince !== null;
  const overstaying = present && summary.overstayFrom !== null && !isAfter(summary.overstayFrom, day);
  return {
    present,
    overstaying,
    overstayDays: overstaying ? toDayNumber(day) - toDayNumber(summary.overstayOrigin!) + 1 : 0,
    registrationOverdue: present && summary.registrationOverdueFrom !== null && !isAfter(summary.registrationOverdueFrom, day),
  };
}
