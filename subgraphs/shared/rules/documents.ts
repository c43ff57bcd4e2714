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
 * Temporary residence has the same S0 list as permanent residence but no rule ID in the catalog yet, so it
 * is not checked here; nor are the other types, whose seeds list no documents.
 */
import { reason } from './catalog';
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
  | 'OTHER_CITIZENSHIP_OR_ASSURANCE';

export interface DocumentChecklist {
  ruleId: 'WP-03' | 'PR-RF-03' | 'CIT-01' | 'CIT-03';
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

const CHECKLISTS: Partial<Record<ApplicationType, DocumentChecklist>> = {
  WORK_PERMIT,
  WORK_PERMIT_EXTENSION: WORK_PERMIT,
  PERMANENT_RESIDENCE: { ruleId: 'PR-RF-03', required: [...IDENTITY, 'MEDICAL_CERTIFICATE', 'NO_CRIMINAL_RECORD_CERTIFICATE'], ifApplicable: [] },
  CITIZENSHIP_ADMISSION: {
    ruleId: 'CIT-01',
    required: [...CITIZENSHIP, 'STATE_LANGUAGE_CERTIFICATE', 'LAWFUL_INCOME_PROOF', 'CONSTITUTION_UNDERTAKING'],
    ifApplicable: ['MARRIAGE_CERTIFICATE'],
  },
  CITIZENSHIP_TERMINATION: { ruleId: 'CIT-03', required: [...CITIZENSHIP, 'OTHER_CITIZENSHIP_OR_ASSURANCE'], ifApplicable: ['MARRIAGE_CERTIFICATE'] },
};

/** The checklist of an application type, or null where the catalog names none. */
export function documentChecklist(type: ApplicationType): DocumentChecklist | null {
  return CHECKLISTS[type] ?? null;
}

/** Is every required document of the type's checklist there? Null where the type has no checklist. */
export function checkApplicationDocuments(
  type: ApplicationType,
  provided: readonly string[],
): (Decision<'COMPLETE' | 'INCOMPLETE'> & { missing: ApplicationDocumentKind[] }) | null {
  const checklist = documentChecklist(type);
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
