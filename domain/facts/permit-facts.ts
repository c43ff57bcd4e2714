import type { LawfulBasisFact, LawfulBasisFactKind, PermanentResidencePermitFact, TemporaryResidencePermitFact, VisaType } from '../rules';

/** A permit as the permits registry records it, in the fields the rules read. */
export interface PermitRecord {
  kind: string;
  number: string;
  visaType: string | null;
  validFrom: string;
  validUntil: string;
  revokedOn: string | null;
  /** Residence permits: the ground applied on, the 45.1 article, the PR-01 family flag, where recorded. */
  ground?: string | null;
  groundArticle?: string | null;
  familyMemberOfSpecialHolder?: boolean | null;
}

/** The permits registry's kinds as the rules of stay name them. */
const BASIS_OF_KIND: Record<string, LawfulBasisFactKind> = {
  VISA: 'VISA',
  E_VISA: 'E_VISA',
  STAY_EXTENSION: 'STAY_EXTENSION',
  TEMPORARY_RESIDENCE_PERMIT: 'TEMPORARY_RESIDENCE',
  PERMANENT_RESIDENCE_PERMIT: 'PERMANENT_RESIDENCE',
  WORK_PERMIT: 'WORK_PERMIT',
  REGISTRATION_BY_PLACE_OF_STAY: 'REGISTRATION',
};

/** A recorded permit as a fact for the rules of stay, work and residence. */
export function lawfulBasisOf(permit: PermitRecord): LawfulBasisFact {
  const kind = BASIS_OF_KIND[permit.kind];
  if (!kind) throw new Error(`Unknown permit kind ${permit.kind}`);
  return {
    kind,
    validFrom: permit.validFrom,
    validUntil: permit.validUntil,
    revokedOn: permit.revokedOn,
    reference: permit.number,
    ...(permit.visaType ? { visaType: permit.visaType as VisaType } : {}),
  };
}

/** A person's residence permits of one kind, as the rules read them (PR-01: temporary; CIT-01: permanent). */
function residencePermitsOf(permits: readonly PermitRecord[], kind: string) {
  return permits
    .filter((permit) => permit.kind === kind)
    .map((permit) => ({ validFrom: permit.validFrom, validUntil: permit.validUntil, revokedOn: permit.revokedOn }));
}

/**
 * PR-01's exception concerns permits granted as a family member of a 45.1.8–45.1.11 holder: recorded as such,
 * or known not to be when the permit's ground is other than family reunification; unknown otherwise.
 */
export function temporaryResidencePermitsOf(permits: readonly PermitRecord[]): TemporaryResidencePermitFact[] {
  return permits
    .filter((permit) => permit.kind === 'TEMPORARY_RESIDENCE_PERMIT')
    .map((permit) => {
      const family = permit.familyMemberOfSpecialHolder ?? (permit.ground && permit.ground !== 'FAMILY_REUNIFICATION' ? false : undefined);
      return {
        validFrom: permit.validFrom,
        validUntil: permit.validUntil,
        revokedOn: permit.revokedOn,
        ...(family !== undefined ? { grantedAsFamilyMemberOf45_1_8To11: family } : {}),
        ...(permit.groundArticle ? { groundArticle: permit.groundArticle } : {}),
      };
    });
}

export function permanentResidencePermitsOf(permits: readonly PermitRecord[]): PermanentResidencePermitFact[] {
  return residencePermitsOf(permits, 'PERMANENT_RESIDENCE_PERMIT');
}

/** Permit numbers: a prefix by kind and a 9-digit serial (e.g. WP000012345). */
export const PERMIT_NUMBER_PREFIX: Record<string, string> = {
  VISA: 'V',
  E_VISA: 'EV',
  WORK_PERMIT: 'WP',
  TEMPORARY_RESIDENCE_PERMIT: 'MV',
  PERMANENT_RESIDENCE_PERMIT: 'DV',
  REGISTRATION_BY_PLACE_OF_STAY: 'QY',
  STAY_EXTENSION: 'UZ',
};
