import { demoRules } from './demo-rules';
import { WELL_KNOWN, WELL_KNOWN_PERSON_INDEX } from './well-known';
import { demoHistory } from './world';

describe('the well-known demo records (README examples, partner kit)', () => {
  it.each(['dmx-demo-1', 'test-seed', 'another seed'])('are in the world of seed %j', (seed) => {
    const history = demoHistory(seed, WELL_KNOWN_PERSON_INDEX, '2026-11-01', demoRules);
    expect(history.person.id).toBe(WELL_KNOWN.personId);
    expect(history.documents.map(({ issuingCountry, number }) => ({ country: issuingCountry, number }))).toContainEqual(WELL_KNOWN.travelDocument);
    const application = history.applications.find((candidate) => candidate.number === WELL_KNOWN.applicationNumber);
    expect(application).toMatchObject({ type: 'WORK_PERMIT', status: 'UNDER_REVIEW' });
    const payment = (code: string) => history.payments.find((candidate) => candidate.code === code);
    const { stateDuty, fine } = WELL_KNOWN.payments;
    expect(payment(stateDuty.code)).toMatchObject({ purpose: 'STATE_DUTY', status: 'UNPAID', amount: stateDuty.amount, applicationId: application!.id });
    expect(payment(fine.code)).toMatchObject({ purpose: 'FINE', status: 'UNPAID', amount: fine.amount });
    // Lawful now (visa-free, registered), with a fine outstanding from an earlier overstay.
    expect(history.crossings.at(-1)?.direction).toBe('ENTRY');
    expect(history.permits.map((permit) => permit.kind)).toEqual(['REGISTRATION_BY_PLACE_OF_STAY']);
    expect(history.fines.map((fine) => fine.offence)).toEqual(['OVERSTAY']);
  });

  it('is the same person whatever the seed, and no other person of a world can carry its document number', () => {
    expect(demoHistory('one', 0, '2026-11-01', demoRules)).toEqual(demoHistory('two', 0, '2026-11-01', demoRules));
    // Generated numbers carry the person's index in 7 digits, and a world has at most 1,000,000 persons:
    // their third character is always 0, the well-known number's is not.
    const generated = Array.from({ length: 200 }, (_, index) => demoHistory('dmx-demo-1', index + 1, '2026-11-01', demoRules));
    for (const history of generated) for (const document of history.documents) expect(document.number[2]).toBe('0');
    expect(WELL_KNOWN.travelDocument.number[2]).not.toBe('0');
  });
});
