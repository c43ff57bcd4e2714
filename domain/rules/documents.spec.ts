import { ruleById } from './catalog';
import { checkApplicationDocuments, documentChecklist } from './documents';
import { APPLICATION_TYPES } from './types';

describe('document checklists per application type', () => {
  it('WP-03 lists what is missing, for a work permit and its extension alike', () => {
    for (const type of ['WORK_PERMIT', 'WORK_PERMIT_EXTENSION'] as const) {
      expect(checkApplicationDocuments(type, ['PASSPORT', 'PHOTO'])).toMatchObject({
        outcome: 'INCOMPLETE',
        missing: ['MEDICAL_CERTIFICATE', 'EMPLOYMENT_CONTRACT', 'NO_CRIMINAL_RECORD_CERTIFICATE'],
        reasons: [{ ruleId: 'WP-03', detail: { missing: ['MEDICAL_CERTIFICATE', 'EMPLOYMENT_CONTRACT', 'NO_CRIMINAL_RECORD_CERTIFICATE'] } }],
      });
      expect(checkApplicationDocuments(type, ['PASSPORT', 'PHOTO', 'MEDICAL_CERTIFICATE', 'EMPLOYMENT_CONTRACT', 'NO_CRIMINAL_RECORD_CERTIFICATE'])?.outcome).toBe('COMPLETE');
    }
  });

  it('PR-RF-03: permanent residence needs passport, photo, medical certificate and no-criminal-record certificate', () => {
    const missingOne = checkApplicationDocuments('PERMANENT_RESIDENCE', ['PASSPORT', 'PHOTO', 'MEDICAL_CERTIFICATE']);
    expect(missingOne).toMatchObject({ outcome: 'INCOMPLETE', missing: ['NO_CRIMINAL_RECORD_CERTIFICATE'], reasons: [{ ruleId: 'PR-RF-03' }] });
    // An employment contract is the work permit's, not a substitute here.
    expect(checkApplicationDocuments('PERMANENT_RESIDENCE', ['PASSPORT', 'PHOTO', 'MEDICAL_CERTIFICATE', 'EMPLOYMENT_CONTRACT'])?.outcome).toBe('INCOMPLETE');
    expect(checkApplicationDocuments('PERMANENT_RESIDENCE', ['PASSPORT', 'PHOTO', 'MEDICAL_CERTIFICATE', 'NO_CRIMINAL_RECORD_CERTIFICATE'])?.outcome).toBe('COMPLETE');
  });

  it('CIT-01: admission needs the S0 list and the state language, income and undertaking documents; a marriage certificate only if applicable', () => {
    const complete = ['PASSPORT', 'PHOTO', 'BIRTH_CERTIFICATE', 'STATE_LANGUAGE_CERTIFICATE', 'LAWFUL_INCOME_PROOF', 'CONSTITUTION_UNDERTAKING'];
    const decision = checkApplicationDocuments('CITIZENSHIP_ADMISSION', complete)!;
    expect(decision.outcome).toBe('COMPLETE');
    expect(decision.reasons[0]).toMatchObject({ ruleId: 'CIT-01' });
    expect(decision.reasons[0].message.en).toMatch(/if applicable: MARRIAGE_CERTIFICATE/);
    expect(checkApplicationDocuments('CITIZENSHIP_ADMISSION', complete.filter((d) => d !== 'STATE_LANGUAGE_CERTIFICATE'))).toMatchObject({
      outcome: 'INCOMPLETE',
      missing: ['STATE_LANGUAGE_CERTIFICATE'],
    });
  });

  it('CIT-03: renunciation needs proof of another citizenship or an assurance of one', () => {
    expect(checkApplicationDocuments('CITIZENSHIP_TERMINATION', ['PASSPORT', 'PHOTO', 'BIRTH_CERTIFICATE'])).toMatchObject({
      outcome: 'INCOMPLETE',
      missing: ['OTHER_CITIZENSHIP_OR_ASSURANCE'],
      reasons: [{ ruleId: 'CIT-03' }],
    });
  });

  const RESIDENCE = ['PASSPORT', 'PHOTO', 'MEDICAL_CERTIFICATE', 'NO_CRIMINAL_RECORD_CERTIFICATE'];

  it.each([
    ['EMPLOYMENT', 'EMPLOYMENT_CONTRACT'],
    ['FAMILY_REUNIFICATION', 'PROOF_OF_KINSHIP'],
    ['EDUCATION', 'STUDY_ENROLMENT_CERTIFICATE'],
    ['INVESTMENT', 'INVESTMENT_PROOF'],
  ])('TRP-DOC: temporary residence on the %s ground needs the S0 list and %s', (ground, groundDocument) => {
    for (const type of ['TEMPORARY_RESIDENCE', 'TEMPORARY_RESIDENCE_EXTENSION'] as const) {
      expect(checkApplicationDocuments(type, [...RESIDENCE, groundDocument], ground)).toMatchObject({ outcome: 'COMPLETE', missing: [], reasons: [{ ruleId: 'TRP-DOC' }] });
      // The ground's document alone is missing: named, and nothing else.
      expect(checkApplicationDocuments(type, RESIDENCE, ground)).toMatchObject({ outcome: 'INCOMPLETE', missing: [groundDocument], reasons: [{ ruleId: 'TRP-DOC' }] });
      // Each S0 document is needed whatever the ground.
      for (const document of RESIDENCE) {
        expect(checkApplicationDocuments(type, [...RESIDENCE.filter((d) => d !== document), groundDocument], ground)?.missing).toEqual([document]);
      }
    }
  });

  it('TRP-DOC: another ground\'s document does not stand in for the one applied on', () => {
    expect(checkApplicationDocuments('TEMPORARY_RESIDENCE', [...RESIDENCE, 'EMPLOYMENT_CONTRACT'], 'EDUCATION')).toMatchObject({
      outcome: 'INCOMPLETE',
      missing: ['STUDY_ENROLMENT_CERTIFICATE'],
    });
    // Without a ground, the documents every ground needs.
    expect(documentChecklist('TEMPORARY_RESIDENCE')?.required).toEqual(RESIDENCE);
  });

  it('no checklist where the catalog names no document rule; every named rule is in the catalog', () => {
    const checked = APPLICATION_TYPES.filter((type) => documentChecklist(type));
    expect(checked.sort()).toEqual([
      'CITIZENSHIP_ADMISSION', 'CITIZENSHIP_TERMINATION', 'PERMANENT_RESIDENCE', 'TEMPORARY_RESIDENCE', 'TEMPORARY_RESIDENCE_EXTENSION',
      'WORK_PERMIT', 'WORK_PERMIT_EXTENSION',
    ]);
    expect(checkApplicationDocuments('E_VISA', [])).toBeNull();
    for (const type of checked) {
      const checklist = documentChecklist(type)!;
      expect(ruleById(checklist.ruleId)).toBeDefined();
      expect(checklist.required.filter((d) => checklist.ifApplicable.includes(d))).toEqual([]);
    }
  });
});
