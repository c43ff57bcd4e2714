import { isCountryCode, isIsoDate } from '../scalars';
import { demoRules } from './demo-rules';
import { hasValidLuhn } from '../facts/payment-codes';
import { demoHistory, type DemoHistory } from './world';

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
