/**
 * Application intake: checks that reject an application up front, before any processing, and the channels
 * through which each type is submitted (WP-CH, TRP-CH, PR-CH, CIT-04, REG-03).
 *
 * Rejected up front: a work permit for a person an exemption covers (WP-01/WP-EX), a first work permit for a
 * visa-regime citizen without a work or business visa (WP-02), permanent residence without two years of
 * continuous temporary residence (PR-01), and an extension of stay without a ground (STAY-EXT). An exemption
 * or requirement whose facts are unknown gives UNDETERMINED, so the case goes to an officer.
 */
import { reason } from './catalog';
import { parseIsoDate } from './dates';
import { StayExtensionRequest, evaluateStayExtensionRequest } from './stay-extension';
import { LawfulBasisFact } from './stay';
import { TemporaryResidencePermitFact } from './temporary-residence';
import { evaluateTwoYearTemporaryResidence } from './permanent-residence';
import { ApplicationType, Decision, IsoDate, Reason } from './types';
import { ExemptionClaim, evaluateWorkPermitVisaRequirement, findExemptions } from './work-permit';

export interface ApplicationIntakeFacts {
  type: ApplicationType;
  submittedOn?: IsoDate;
  /** TEMPORARY_STAY_EXTENSION only. */
  stayExtension?: StayExtensionRequest | null;
}

export interface PersonIntakeFacts {
  citizenships: readonly string[];
  lawfulBases: readonly LawfulBasisFact[];
  temporaryResidencePermits?: readonly TemporaryResidencePermitFact[];
  workPermitExemptionClaims?: readonly ExemptionClaim[];
}

export type IntakeOutcome = 'ACCEPTED' | 'REJECTED' | 'UNDETERMINED';

export function checkApplicationIntake(
  application: ApplicationIntakeFacts,
  person: PersonIntakeFacts,
  asOf: IsoDate,
): Decision<IntakeOutcome> {
  parseIsoDate(asOf);
  const reasons: Reason[] = [];
  let rejected = false;
  let unknown = false;

  switch (application.type) {
    case 'WORK_PERMIT':
    case 'WORK_PERMIT_EXTENSION': {
      const exemptions = findExemptions({ lawfulBases: person.lawfulBases, exemptionClaims: person.workPermitExemptionClaims ?? [] }, asOf);
      if (exemptions.applicable.length) {
        rejected = true;
        reasons.push(
          reason('WP-01', `No work permit is needed: exemption ${exemptions.applicable.join(', ')} applies, so the application is not accepted.`, `İş icazəsi tələb olunmur: ${exemptions.applicable.join(', ')} istisnası tətbiq olunur, müraciət qəbul edilmir.`, {
            exemptions: exemptions.applicable,
          }),
          ...exemptions.reasons,
        );
      } else if (exemptions.undetermined.length) {
        unknown = true;
        reasons.push(...exemptions.reasons);
      }
      if (application.type === 'WORK_PERMIT') {
        const visa = evaluateWorkPermitVisaRequirement(person.citizenships, person.lawfulBases, asOf);
        if (visa.outcome === 'MISSING') rejected = true;
        reasons.push(...visa.reasons);
      }
      break;
    }
    case 'PERMANENT_RESIDENCE': {
      const twoYears = evaluateTwoYearTemporaryResidence(person.temporaryResidencePermits ?? [], asOf);
      if (twoYears.check.result === 'FAIL') rejected = true;
      if (twoYears.check.result === 'UNKNOWN') unknown = true;
      reasons.push(...twoYears.reasons);
      break;
    }
    case 'TEMPORARY_STAY_EXTENSION': {
      const decision = evaluateStayExtensionRequest(application.stayExtension ?? { ground: null, evidence: [] });
      if (decision.outcome === 'GROUND_NOT_ESTABLISHED' || decision.outcome === 'EVIDENCE_MISSING') rejected = true;
      if (decision.outcome === 'UNDETERMINED') unknown = true;
      reasons.push(...decision.reasons);
      break;
    }
    default:
      break;
  }
  if (!rejected && !unknown && reasons.length === 0) {
    reasons.push(reason(channelRule(application.type), `No intake rule rejects a ${application.type} application.`, `${application.type} müraciətini qəbulda rədd edən qayda yoxdur.`));
  }
  return { outcome: rejected ? 'REJECTED' : unknown ? 'UNDETERMINED' : 'ACCEPTED', reasons };
}

export type ApplicationChannel = 'ASAN_XIDMET' | 'REGIONAL_MIGRATION_OFFICE' | 'ELECTRONIC' | 'POST' | 'DIPLOMATIC_MISSION_OR_CONSULATE';

function channelRule(type: ApplicationType): string {
  switch (type) {
    case 'WORK_PERMIT':
    case 'WORK_PERMIT_EXTENSION':
      return 'WP-CH';
    case 'TEMPORARY_RESIDENCE':
    case 'TEMPORARY_RESIDENCE_EXTENSION':
      return 'TRP-CH';
    case 'PERMANENT_RESIDENCE':
      return 'PR-CH';
    case 'CITIZENSHIP_ADMISSION':
    case 'CITIZENSHIP_RESTORATION':
    case 'CITIZENSHIP_TERMINATION':
      return 'CIT-04';
    case 'REGISTRATION_BY_PLACE_OF_STAY':
      return 'REG-03';
    case 'E_VISA':
      return 'VISA-02';
    case 'TEMPORARY_STAY_EXTENSION':
      return 'STAY-EXT-01';
  }
}

/**
 * Where each application type is submitted (S1 for permits, stay extensions and citizenship; S0 for
 * registration and the e-Visa). Citizenship applications from abroad go through missions (citizenshipChannels).
 */
export function applicationChannels(type: ApplicationType): { channels: ApplicationChannel[]; reasons: Reason[] } {
  const ruleId = channelRule(type);
  const permitChannels: ApplicationChannel[] = ['ASAN_XIDMET', 'REGIONAL_MIGRATION_OFFICE', 'ELECTRONIC'];
  const byType: Record<ApplicationType, ApplicationChannel[]> = {
    WORK_PERMIT: permitChannels,
    WORK_PERMIT_EXTENSION: permitChannels,
    TEMPORARY_RESIDENCE: permitChannels,
    TEMPORARY_RESIDENCE_EXTENSION: permitChannels,
    PERMANENT_RESIDENCE: permitChannels,
    TEMPORARY_STAY_EXTENSION: permitChannels,
    REGISTRATION_BY_PLACE_OF_STAY: ['ELECTRONIC', 'REGIONAL_MIGRATION_OFFICE'],
    CITIZENSHIP_ADMISSION: ['REGIONAL_MIGRATION_OFFICE', 'ASAN_XIDMET', 'POST', 'ELECTRONIC', 'DIPLOMATIC_MISSION_OR_CONSULATE'],
    CITIZENSHIP_RESTORATION: ['REGIONAL_MIGRATION_OFFICE', 'ASAN_XIDMET', 'POST', 'ELECTRONIC', 'DIPLOMATIC_MISSION_OR_CONSULATE'],
    CITIZENSHIP_TERMINATION: ['REGIONAL_MIGRATION_OFFICE', 'ASAN_XIDMET', 'POST', 'ELECTRONIC', 'DIPLOMATIC_MISSION_OR_CONSULATE'],
    E_VISA: ['ELECTRONIC'],
  };
  const channels = byType[type];
  return {
    channels,
    reasons: [reason(ruleId, `${type} applications are accepted via: ${channels.join(', ')}.`, `${type} müraciətləri bu kanallarla qəbul olunur: ${channels.join(', ')}.`, { channels })],
  };
}
