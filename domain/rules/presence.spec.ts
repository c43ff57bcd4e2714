import { addDays, compareIsoDates } from './dates';
import { presenceOn, summarizePresence, type PresenceSummary } from './presence';
import { evaluateLegalStatus, type LawfulBasisFact, type LawfulBasisFactKind, type StayFacts } from './stay';

const TODAY = '2026-11-02';

/** A small seeded generator (mulberry32), so that a failing case can be found again. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const KINDS: LawfulBasisFactKind[] = ['VISA', 'E_VISA', 'STAY_EXTENSION', 'TEMPORARY_RESIDENCE', 'PERMANENT_RESIDENCE', 'WORK_PERMIT', 'REGISTRATION'];

/** Facts of every shape the rules read: crossings before and after today, bases starting, ending and revoked around it. */
function randomFacts(next: () => number): StayFacts {
  const day = (from: number, span: number) => addDays(TODAY, from + Math.floor(next() * span));
  const pick = <T>(items: readonly T[]) => items[Math.floor(next() * items.length)];
  const crossings = Array.from({ length: Math.floor(next() * 5) }, () => ({ direction: pick(['ENTRY', 'ENTRY', 'EXIT'] as const), date: day(-300, 330) }));
  const lawfulBases: LawfulBasisFact[] = Array.from({ length: Math.floor(next() * 4) }, () => {
    const validFrom = day(-300, 360);
    const ends = next() < 0.85;
    return {
      kind: pick(KINDS),
      validFrom,
      validUntil: ends ? addDays(validFrom, Math.floor(next() * 200)) : null,
      revokedOn: next() < 0.1 ? addDays(validFrom, Math.floor(next() * 60) + 1) : null,
      ...(next() < 0.3 ? { entries: 'SINGLE' as const } : {}),
    };
  });
  const registrations = lawfulBases.filter((basis) => basis.kind === 'REGISTRATION').map((basis) => ({ registeredOn: basis.validFrom, validUntil: basis.validUntil }));
  return { citizenships: pick([['TUR'], ['IND'], [], ['RUS', 'IND']]), crossings, lawfulBases, registrations };
}

/** Every day from `from` up to the summary's recheck day (or a year), the summary against the evaluation itself. */
function mismatches(facts: StayFacts, summary: PresenceSummary, from: string): string[] {
  const found: string[] = [];
  const last = summary.recheckOn ? addDays(summary.recheckOn, -1) : addDays(from, 400);
  for (let day = from; compareIsoDates(day, last) <= 0 && found.length < 3; day = addDays(day, 1)) {
    const status = evaluateLegalStatus(facts, day);
    const expected = {
      present: status.outcome !== 'NOT_PRESENT',
      overstaying: status.outcome === 'UNLAWFUL',
      overstayDays: status.outcome === 'UNLAWFUL' ? status.overstayDays : 0,
      registrationOverdue: status.registration?.overdue ?? false,
    };
    const told = presenceOn(summary, day);
    if (JSON.stringify(told) !== JSON.stringify(expected)) found.push(`${day}: summary ${JSON.stringify(told)}, legal status ${JSON.stringify(expected)}`);
  }
  return found;
}

describe('a presence summary tells, day by day until it is rechecked, what the legal status says (STAY-02, STAY-03, REG-02)', () => {
  it('for a stay that turns unlawful after the visa-free allowance and becomes overdue for registration', () => {
    const facts: StayFacts = { citizenships: ['TUR'], crossings: [{ direction: 'ENTRY', date: '2026-10-01' }], lawfulBases: [], registrations: [] };
    const summary = summarizePresence(facts, TODAY);
    expect(summary).toEqual({
      evaluatedOn: TODAY,
      presentSince: '2026-10-01',
      overstayFrom: '2026-12-30',
      overstayOrigin: '2026-12-30',
      registrationOverdueFrom: TODAY,
      recheckOn: null,
    });
    expect(mismatches(facts, summary, TODAY)).toEqual([]);
  });

  it('asks for a recheck when a permit begins later', () => {
    const facts: StayFacts = {
      citizenships: ['IND'],
      crossings: [{ direction: 'ENTRY', date: '2026-10-20' }],
      lawfulBases: [{ kind: 'TEMPORARY_RESIDENCE', validFrom: '2026-12-01', validUntil: '2027-11-30' }],
    };
    const summary = summarizePresence(facts, TODAY);
    expect(summary).toMatchObject({ presentSince: '2026-10-20', overstayFrom: TODAY, overstayOrigin: '2026-10-20', recheckOn: '2026-12-01' });
    expect(mismatches(facts, summary, TODAY)).toEqual([]);
  });

  it('is not present for a person whose last crossing is an exit, until a later crossing', () => {
    const facts: StayFacts = { citizenships: [], crossings: [{ direction: 'ENTRY', date: '2026-01-01' }, { direction: 'EXIT', date: '2026-02-01' }, { direction: 'ENTRY', date: '2026-11-20' }], lawfulBases: [] };
    expect(summarizePresence(facts, TODAY)).toMatchObject({ presentSince: null, recheckOn: '2026-11-20' });
  });

  it('agrees with evaluateLegalStatus on every day for 500 generated persons', () => {
    const next = random(20261102);
    const failures: string[] = [];
    for (let person = 0; person < 500 && failures.length < 3; person += 1) {
      const facts = randomFacts(next);
      const summary = summarizePresence(facts, TODAY);
      const found = mismatches(facts, summary, TODAY);
      if (found.length) failures.push(`${JSON.stringify(facts)} ${JSON.stringify(summary)}\n  ${found.join('\n  ')}`);
    }
    expect(failures).toEqual([]);
  });
});
