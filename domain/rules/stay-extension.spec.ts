import { StayExtensionRequest, evaluateStayExtensionRequest } from './stay-extension';

describe('STAY-EXT-01..05 a temporary stay is extended only on the grounds of the Migration Code', () => {
  it.each<[string, StayExtensionRequest, string]>([
    ['STAY-EXT-01 urgent medical treatment in Azerbaijan', { ground: 'URGENT_MEDICAL_TREATMENT', evidence: [] }, 'GROUND_ESTABLISHED'],
    ['STAY-EXT-02 serious illness of a close relative living in Azerbaijan', { ground: 'CLOSE_RELATIVE_ILL_OR_DECEASED', evidence: [], relativeLivesInAzerbaijan: true }, 'GROUND_ESTABLISHED'],
    ['STAY-EXT-02 the relative does not live in Azerbaijan', { ground: 'CLOSE_RELATIVE_ILL_OR_DECEASED', evidence: [], relativeLivesInAzerbaijan: false }, 'GROUND_NOT_ESTABLISHED'],
    ['STAY-EXT-02 where the relative lives is unknown', { ground: 'CLOSE_RELATIVE_ILL_OR_DECEASED', evidence: [] }, 'UNDETERMINED'],
    ['STAY-EXT-03 the inviting organisation’s reasoned request', { ground: 'INVITER_WORK_UNFINISHED', evidence: ['INVITER_REASONED_REQUEST'] }, 'GROUND_ESTABLISHED'],
    ['STAY-EXT-03 without the request', { ground: 'INVITER_WORK_UNFINISHED', evidence: [] }, 'EVIDENCE_MISSING'],
    ['STAY-EXT-04 STAY-EXT-T1 natural disaster blocking transport during transit', { ground: 'TRANSIT_NATURAL_DISASTER', evidence: [], inTransit: true }, 'GROUND_ESTABLISHED'],
    ['STAY-EXT-04 a forced stop only for persons in transit', { ground: 'TRANSIT_NATURAL_DISASTER', evidence: [], inTransit: false }, 'GROUND_NOT_ESTABLISHED'],
    ['STAY-EXT-T2 vehicle breakdown with a document', { ground: 'TRANSIT_VEHICLE_BREAKDOWN_OR_ACCIDENT', evidence: ['REPAIR_OR_ACCIDENT_DOCUMENT'], inTransit: true }, 'GROUND_ESTABLISHED'],
    ['STAY-EXT-T2 vehicle breakdown without the document', { ground: 'TRANSIT_VEHICLE_BREAKDOWN_OR_ACCIDENT', evidence: [], inTransit: true }, 'EVIDENCE_MISSING'],
    ['STAY-EXT-T3 illness of the traveller with a doctor’s opinion', { ground: 'TRANSIT_TRAVELLER_ILLNESS', evidence: ['DOCTOR_OPINION_TRAVEL_ENDANGERS_HEALTH'], inTransit: true }, 'GROUND_ESTABLISHED'],
    ['STAY-EXT-T3 illness without a doctor’s opinion', { ground: 'TRANSIT_TRAVELLER_ILLNESS', evidence: [], inTransit: true }, 'EVIDENCE_MISSING'],
    ['no ground at all', { ground: null, evidence: [] }, 'GROUND_NOT_ESTABLISHED'],
  ])('%s', (_name, request, outcome) => {
    expect(evaluateStayExtensionRequest(request).outcome).toBe(outcome);
  });

  it('STAY-EXT-T2 names the missing document', () => {
    const decision = evaluateStayExtensionRequest({ ground: 'TRANSIT_VEHICLE_BREAKDOWN_OR_ACCIDENT', evidence: [], inTransit: true });
    expect(decision.missingEvidence).toEqual(['REPAIR_OR_ACCIDENT_DOCUMENT']);
    expect(decision.ruleIds).toEqual(['STAY-EXT-04', 'STAY-EXT-T2']);
    expect(decision.reasons.map((r) => r.ruleId)).toContain('STAY-EXT-T2');
  });
});

describe('STAY-EXT-05 the stay of a father, mother, spouse, child, brother or sister is extended with the person’s', () => {
  it.each([
    ['SPOUSE', true, 'GROUND_ESTABLISHED'],
    ['BROTHER', true, 'GROUND_ESTABLISHED'],
    ['OTHER_CLOSE_RELATIVE', true, 'GROUND_NOT_ESTABLISHED'],
    ['CHILD', false, 'GROUND_NOT_ESTABLISHED'],
    ['MOTHER', null, 'UNDETERMINED'],
  ] as const)('STAY-EXT-05 %s, relative extended = %s: %s', (relationship, relativeStayExtended, outcome) => {
    const decision = evaluateStayExtensionRequest({ ground: 'FAMILY_OF_EXTENDED_PERSON', evidence: [], familyLink: { relationship, relativeStayExtended } });
    expect(decision.outcome).toBe(outcome);
  });

  it('STAY-EXT-05 STAY-EXT-T3 in the 19.4.3 case close relatives travelling with the sick person are covered too', () => {
    const decision = evaluateStayExtensionRequest({
      ground: 'FAMILY_OF_EXTENDED_PERSON',
      evidence: [],
      familyLink: { relationship: 'OTHER_CLOSE_RELATIVE', relativeStayExtended: true, relativeGround: 'TRANSIT_TRAVELLER_ILLNESS', travellingWithSickPerson: true },
    });
    expect(decision.outcome).toBe('GROUND_ESTABLISHED');
    expect(decision.ruleIds).toEqual(['STAY-EXT-05', 'STAY-EXT-T3']);
  });
});
