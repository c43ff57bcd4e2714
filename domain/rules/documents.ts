/**
 * The documents an application must come with, per type, where the catalog names a rule for them:
 * - WP-03: a work permit (and its extension): passport, photo, medical certificate, employment contract,
 *   certificate of no criminal record (S0).
 * - PR-RF-03: permanent residence is refused when one or more of the documents of Migration Code article 53
 *   is not submitted (S1); S0 lists them for residence permits: passport, photo, medical certificate,
 *   certificate of no criminal record.
 * - CIT-01: admission to citizenship; S0 lists passport, photo, birth certificate and a marriage certificate
 *   (if applicable), and CIT-01 adds the document proving knowledge of the state language, proof of lawful
 *   income and the undertaking to respect the Constitution and laws (S1).
 * - CIT-03: renunciation: the S0 list plus proof of another citizenship or an assurance of one (S0).
 * - TRP-DOC: a temporary residence permit (and its extension): passport, photo, medical certificate,
 *   certificate of no criminal record, and the documents of the ground applied on (S0).
 * The other types' seeds list no documents, so they are not checked here.
 */
import { reason } from './catalog';
import type { TemporaryResidenceGround } from './temporary-residence';
import type { ApplicationType, Decision } from './types';

export type ApplicationDocumentKind =
  | 'PASSPORT'
  | 'PHOTO'
  | 'MEDICAL_CERTIFICATE'
  | 'EMPLOYMENT_CONTRACT'
  | 'NO_CRIMINAL_RECORD_CERTIFICATE'
  | 'BIRTH_CERTIFICATE'
  | 'MARRIAGE_CERTIFICATE'
  | 'STATE_LANGUAGE_CERTIFICATE'
  | 'LAWFUL_INCOME_PROOF'
  | 'CONSTITUTION_UNDERTAKING'
  | 'OTHER_CITIZENSHIP_OR_ASSURANCE'
  | 'PROOF_OF_KINSHIP'
  | 'STUDY_ENROLMENT_CERTIFICATE'
  | 'INVESTMENT_PROOF';

export interface DocumentChecklist {
  ruleId: 'WP-03' | 'PR-RF-03' | 'CIT-01' | 'CIT-03' | 'TRP-DOC';
  required: readonly ApplicationDocumentKind[];
  /** Accepted but not demanded: the seed says "if applicable", and the registry cannot tell when it is. */
  ifApplicable: readonly ApplicationDocumentKind[];
}

const IDENTITY: readonly ApplicationDocumentKind[] = ['PASSPORT', 'PHOTO'];
const CITIZENSHIP: readonly ApplicationDocumentKind[] = [...IDENTITY, 'BIRTH_CERTIFICATE'];

const WORK_PERMIT: DocumentChecklist = {
  ruleId: 'WP-03',
  required: [...IDENTITY, 'MEDICAL_CERTIFICATE', 'EMPLOYMENT_CONTRACT', 'NO_CRIMINAL_RECORD_CERTIFICATE'],
  ifApplicable: [],
};

/** The S0 list for residence permits, temporary and permanent alike. */
const RESIDENCE: readonly ApplicationDocumentKind[] = [...IDENTITY, 'MEDICAL_CERTIFICATE', 'NO_CRIMINAL_RECORD_CERTIFICATE'];

/**
 * TRP-DOC: "other documents depending on the reason for applying" (S0). The seed names none per ground,
 * so each ground asks for the one document that establishes it: the contract for employment, proof of
 * the family link for reunification, the institution's enrolment certificate for education, proof of the
 * investment made. A ground the Code lists without content here (another 45.1 ground) adds nothing.
 */
export const TEMPORARY_RESIDENCE_GROUND_DOCUMENTS: Readonly<Record<TemporaryResidenceGround, readonly ApplicationDocumentKind[]>> = {
  EMPLOYMENT: ['EMPLOYMENT_CONTRACT'],
  FAMILY_REUNIFICATION: ['PROOF_OF_KINSHIP'],
  EDUCATION: ['STUDY_ENROLMENT_CERTIFICATE'],
  INVESTMENT: ['INVESTMENT_PROOF'],
  OTHER_LEGAL_GROUND: [],
};

function temporaryResidence(ground: string | null): DocumentChecklist {
  const byGround = ground ? (TEMPORARY_RESIDENCE_GROUND_DOCUMENTS as Record<string, readonly ApplicationDocumentKind[]>)[ground] ?? [] : [];
  return { ruleId: 'TRP-DOC', required: [...RESIDENCE, ...byGround], ifApplicable: [] };
}

const CHECKLISTS: Partial<Record<ApplicationType, DocumentChecklist>> = {
  WORK_PERMIT,
  WORK_PERMIT_EXTENSION: WORK_PERMIT,
  PERMANENT_RESIDENCE: { ruleId: 'PR-RF-03', required: RESIDENCE, ifApplicable: [] },
  CITIZENSHIP_ADMISSION: {
    ruleId: 'CIT-01',
    required: [...CITIZENSHIP, 'STATE_LANGUAGE_CERTIFICATE', 'LAWFUL_INCOME_PROOF', 'CONSTITUTION_UNDERTAKING'],
    ifApplicable: ['MARRIAGE_CERTIFICATE'],
  },
  CITIZENSHIP_TERMINATION: { ruleId: 'CIT-03', required: [...CITIZENSHIP, 'OTHER_CITIZENSHIP_OR_ASSURANCE'], ifApplicable: ['MARRIAGE_CERTIFICATE'] },
};

/**
 * The checklist of an application type, or null where the catalog names none. A temporary residence
 * checklist depends on the ground applied on (TRP-DOC); without one it holds the documents every ground needs.
 */
export function documentChecklist(type: ApplicationType, ground: string | null = null): DocumentChecklist | null {
  if (type === 'TEMPORARY_RESIDENCE' || type === 'TEMPORARY_RESIDENCE_EXTENSION') return temporaryResidence(ground);
  return CHECKLISTS[type] ?? null;
}

/** Is every required document of the type's checklist there? Null where the type has no checklist. */
export function checkApplicationDocuments(
  type: ApplicationType,
  provided: readonly string[],
  ground: string | null = null,
): (Decision<'COMPLETE' | 'INCOMPLETE'> & { missing: ApplicationDocumentKind[] }) | null {
  const checklist = documentChecklist(type, ground);
  if (!checklist) return null;
  const { ruleId } = checklist;
  const missing = checklist.required.filter((document) => !provided.includes(document));
  const optional = checklist.ifApplicable.length
    ? { en: ` Also, if applicable: ${checklist.ifApplicable.join(', ')}.`, az: ` Həmçinin, tətbiq olunarsa: ${checklist.ifApplicable.join(', ')}.` }
    : { en: '', az: '' };
  return missing.length
    ? {
        outcome: 'INCOMPLETE',
        missing,
        reasons: [reason(ruleId, `Missing documents: ${missing.join(', ')}.${optional.en}`, `Çatışmayan sənədlər: ${missing.join(', ')}.${optional.az}`, { missing })],
      }
    : {
        outcome: 'COMPLETE',
        missing,
        reasons: [reason(ruleId, `All required documents are provided.${optional.en}`, `Tələb olunan bütün sənədlər təqdim edilib.${optional.az}`)],
      };
}
