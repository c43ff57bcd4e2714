import { isCountryCode, isIsoDate } from '../platform/scalars';
import { demoRules } from './demo-rules';
import { hasValidLuhn } from '../domain/facts/payment-codes';
import { demoHistory, type DemoHistory } from './world';
import { RULE_OFFENCE } from '../domain/facts/fine-facts';
import { citizenshipFactsOf, permanentResidenceFactsFrom } from '../domain/facts/person-facts';
import { evaluatePermanentResidenceEligibility, type FineFact } from '../domain/rules';

const world = (seed: string, persons: number): DemoHistory[] =>
  Array.from({ length: persons }, (_, index) => demoHistory(seed, index, '2026-11-01', demoRules));

describe('the demo world', () => {
  const histories = world('spec', 2000);

  it('is deterministic: the same seed gives the same world, another seed another', () => {
    expect(world('spec', 50)).toEqual(histories.slice(0, 50));
    expect(world('other', 50)).not.toEqual(histories.slice(0, 50));
  });

  it('has unique ids, numbers and codes across all persons', () => {
    const unique = (values: string[]) => expect(new Set(values).size).toBe(values.length);
    unique(histories.map((h) => h.person.id));
    unique(histories.flatMap((h) => h.documents.map((d) => `${d.issuingCountry}/${d.number}`)));
    unique(histories.flatMap((h) => h.applications.map((a) => a.number)));
    unique(histories.flatMap((h) => h.payments.map((p) => p.code)));
    unique(histories.flatMap((h) => h.permits.map((p) => p.number)));
    unique(histories.flatMap((h) => h.person.fin ? [h.person.fin] : []));
  });

  it('lines up cross-registry references', () => {
    for (const history of histories) {
      const applicationIds = new Set(history.applications.map((a) => a.id));
      const fineIds = new Set(history.fines.map((f) => f.id));
      for (const application of history.applications) expect(application.applicantId).toBe(history.person.id);
      for (const payment of history.payments) {
        expect(payment.personId).toBe(history.person.id);
        if (payment.applicationId) expect(applicationIds.has(payment.applicationId)).toBe(true);
        if (payment.fineId) expect(fineIds.has(payment.fineId)).toBe(true);
        expect(hasValidLuhn(payment.code)).toBe(true);
      }
      for (const permit of history.permits) {
        expect(permit.holderId).toBe(history.person.id);
        if (permit.applicationId) {
          expect(applicationIds.has(permit.applicationId)).toBe(true);
          expect(history.applications.find((a) => a.id === permit.applicationId)!.status).toBe('ISSUED');
        }
      }
      for (const fine of history.fines) expect(history.payments.filter((p) => p.fineId === fine.id)).toHaveLength(1);
    }
  });

  it('keeps every date real and no event after the reference date', () => {
    for (const history of histories) {
      expect(isIsoDate(history.person.birthDate)).toBe(true);
      for (const crossing of history.crossings) expect(crossing.date <= '2026-11-01').toBe(true);
      for (const application of history.applications) expect(application.submittedOn <= '2026-11-01').toBe(true);
      for (const permit of history.permits) expect(permit.validFrom <= permit.validUntil).toBe(true);
      if (history.person.citizenship) expect(isCountryCode(history.person.citizenship)).toBe(true);
    }
  });

  it('spreads applications over the days they come, none piled on the reference date', () => {
    // Per type, the busiest day holds a small share of its applications (ten or more on a day are a pile
    // when they are 5 % of the type's): the dashboard counts them by week.
    const byType = new Map<string, string[]>();
    for (const application of histories.flatMap((h) => h.applications)) byType.set(application.type, [...(byType.get(application.type) ?? []), application.submittedOn]);
    const piled: string[] = [];
    for (const [type, days] of byType) {
      if (days.length < 50) continue;
      const perDay = new Map<string, number>();
      for (const day of days) perDay.set(day, (perDay.get(day) ?? 0) + 1);
      const [busiest, count] = [...perDay].reduce((most, entry) => (entry[1] > most[1] ? entry : most));
      if (count >= 10 && count / days.length >= 0.05) piled.push(`${type}: ${count} of ${days.length} on ${busiest}`);
    }
    expect(piled).toEqual([]);
  });

  it('is plausible: visa-regime and visa-free citizens, stateless persons, overstays, paid and unpaid duties, outstanding fines', () => {
    const citizenships = histories.map((h) => h.person.citizenship);
    const visaRequired = citizenships.filter((c) => demoRules.visaRequired(c, '2026-11-01'));
    expect(visaRequired.length).toBeGreaterThan(200);
    expect(citizenships.length - visaRequired.length).toBeGreaterThan(200);
    expect(citizenships.filter((c) => c === null).length).toBeGreaterThan(20);
    const stillInside = histories.filter((h) => h.crossings.at(-1)?.direction === 'ENTRY');
    expect(stillInside.length).toBeGreaterThan(100);
    const duties = histories.flatMap((h) => h.payments.filter((p) => p.purpose === 'STATE_DUTY'));
    expect(new Set(duties.map((p) => p.status))).toEqual(new Set(['PAID', 'UNPAID', 'CANCELLED']));
    const finePayments = histories.flatMap((h) => h.payments.filter((p) => p.purpose === 'FINE'));
    expect(finePayments.some((p) => p.status === 'UNPAID')).toBe(true);
    expect(new Set(histories.flatMap((h) => h.permits.map((p) => p.kind))).size).toBe(7);
    expect(new Set(histories.flatMap((h) => h.applications.map((a) => a.type))).size).toBe(11);
    expect(new Set(histories.flatMap((h) => h.applications.map((a) => a.status)))).toEqual(
      new Set(['SUBMITTED', 'UNDER_REVIEW', 'APPROVED', 'REJECTED', 'ISSUED', 'WITHDRAWN']),
    );
  });
});

describe('the demo world records the facts its decisions need (issue 20)', () => {
  const asOf = '2026-11-02';
  const histories = Array.from({ length: 3000 }, (_, index) => demoHistory('dmx-demo-1', index, '2026-11-01', demoRules));
  const records = (history: DemoHistory) => history.facts.map((fact) => ({ ...fact, amountAzn: fact.amountAzn === null ? null : Number(fact.amountAzn) }));
  const outstandingFines = (history: DemoHistory): FineFact[] =>
    history.fines
      .filter((fine) => history.payments.some((payment) => payment.fineId === fine.id && payment.status === 'UNPAID'))
      .map((fine) => ({ offence: RULE_OFFENCE[fine.offence], imposedOn: fine.issuedOn, amount: { amount: Number(fine.amount), currency: fine.currency }, paidOn: null }));

  it('decides permanent residence for every resident whose ground and refusal grounds are recorded: some ELIGIBLE, some NOT_ELIGIBLE, none UNDETERMINED', () => {
    const outcomes: Record<string, number> = {};
    for (const history of histories.filter((h) => h.facts.some((fact) => fact.kind === 'PERMANENT_RESIDENCE_GROUND'))) {
      const decision = evaluatePermanentResidenceEligibility(
        permanentResidenceFactsFrom({ permits: history.permits, crossings: history.crossings, outstandingFines: outstandingFines(history), facts: records(history), ground: null, asOf }),
        asOf,
      );
      outcomes[decision.outcome] = (outcomes[decision.outcome] ?? 0) + 1;
    }
    expect(outcomes.UNDETERMINED ?? 0).toBe(0);
    expect(outcomes.ELIGIBLE).toBeGreaterThan(10);
    expect(outcomes.NOT_ELIGIBLE).toBeGreaterThan(5);
  });

  it('records work permit exemptions on several grounds, and the CIT-01 conditions of permanent residents, met or not', () => {
    const exemptions = new Set(histories.flatMap((h) => h.facts.filter((fact) => fact.kind === 'WORK_PERMIT_EXEMPTION').map((fact) => fact.ruleId)));
    expect(exemptions.size).toBeGreaterThanOrEqual(3);
    const citizenship = histories.filter((h) => h.facts.some((fact) => fact.kind === 'LAWFUL_INCOME'));
    expect(citizenship.length).toBeGreaterThan(10);
    const met = { lawfulIncome: true, constitutionUndertaking: true, stateLanguageDocument: true };
    const withoutLanguage = { ...met, stateLanguageDocument: false };
    const seen = citizenship.map((history) => {
      expect(history.permits.some((permit) => permit.kind === 'PERMANENT_RESIDENCE_PERMIT')).toBe(true);
      return citizenshipFactsOf(records(history), asOf);
    });
    expect(seen.filter((conditions) => JSON.stringify(conditions) === JSON.stringify(met)).length).toBeGreaterThan(10);
    expect(seen.filter((conditions) => JSON.stringify(conditions) === JSON.stringify(withoutLanguage)).length).toBeGreaterThan(3);
    expect(seen.every((conditions) => [met, withoutLanguage].some((expected) => JSON.stringify(expected) === JSON.stringify(conditions)))).toBe(true);
  });
});
