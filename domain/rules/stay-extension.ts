/**
 * STAY-EXT-01..05 and STAY-EXT-T1..T3: grounds for extending a temporary stay (S1 quoting the Migration Code).
 *
 * Evidence: the seeds require a document only for a vehicle breakdown or accident (T2) and a doctor's opinion
 * that going on endangers the traveller's health (T3); the inviting organisation's reasoned request IS the
 * ground of STAY-EXT-03, so it must be on file. For the other grounds the seeds name no document, so none is
 * demanded here (the Service's own checklist may add some; that is data for the applications subgraph).
 */
import { reason } from './catalog';
import { Decision, Reason, RecordedFact } from './types';

export type StayExtensionGround =
  | 'URGENT_MEDICAL_TREATMENT' // STAY-EXT-01
  | 'CLOSE_RELATIVE_ILL_OR_DECEASED' // STAY-EXT-02
  | 'INVITER_WORK_UNFINISHED' // STAY-EXT-03
  | 'TRANSIT_NATURAL_DISASTER' // STAY-EXT-04 / T1
  | 'TRANSIT_VEHICLE_BREAKDOWN_OR_ACCIDENT' // STAY-EXT-04 / T2
  | 'TRANSIT_TRAVELLER_ILLNESS' // STAY-EXT-04 / T3
  | 'FAMILY_OF_EXTENDED_PERSON'; // STAY-EXT-05

export type StayExtensionEvidence =
  | 'INVITER_REASONED_REQUEST'
  | 'REPAIR_OR_ACCIDENT_DOCUMENT'
  | 'DOCTOR_OPINION_TRAVEL_ENDANGERS_HEALTH'
  | 'PROOF_OF_KINSHIP';

export type FamilyRelationship = 'FATHER' | 'MOTHER' | 'SPOUSE' | 'CHILD' | 'BROTHER' | 'SISTER' | 'OTHER_CLOSE_RELATIVE';

/** STAY-EXT-05: the relatives whose stay follows the person's (S1 lists exactly these). */
export const EXTENSION_FOLLOWING_RELATIONSHIPS: readonly FamilyRelationship[] = ['FATHER', 'MOTHER', 'SPOUSE', 'CHILD', 'BROTHER', 'SISTER'];

export interface StayExtensionRequest {
  ground: StayExtensionGround | null;
  evidence: readonly StayExtensionEvidence[];
  /** STAY-EXT-02: the ill or deceased close relative lives in Azerbaijan. */
  relativeLivesInAzerbaijan?: RecordedFact;
  /** STAY-EXT-04: the person is passing through Azerbaijan in transit. */
  inTransit?: RecordedFact;
  /** STAY-EXT-05: the relative whose stay was extended. */
  familyLink?: {
    relationship: FamilyRelationship;
    relativeStayExtended: RecordedFact;
    /** The ground of the relative's extension; with T3, close relatives travelling with the sick person are covered. */
    relativeGround?: StayExtensionGround | null;
    travellingWithSickPerson?: RecordedFact;
  };
}

export type StayExtensionOutcome = 'GROUND_ESTABLISHED' | 'EVIDENCE_MISSING' | 'GROUND_NOT_ESTABLISHED' | 'UNDETERMINED';

export interface StayExtensionDecision extends Decision<StayExtensionOutcome> {
  ruleIds: string[];
  missingEvidence: StayExtensionEvidence[];
}

const TRANSIT_RULE: Partial<Record<StayExtensionGround, string>> = {
  TRANSIT_NATURAL_DISASTER: 'STAY-EXT-T1',
  TRANSIT_VEHICLE_BREAKDOWN_OR_ACCIDENT: 'STAY-EXT-T2',
  TRANSIT_TRAVELLER_ILLNESS: 'STAY-EXT-T3',
};

const REQUIRED_EVIDENCE: Partial<Record<StayExtensionGround, StayExtensionEvidence[]>> = {
  INVITER_WORK_UNFINISHED: ['INVITER_REASONED_REQUEST'],
  TRANSIT_VEHICLE_BREAKDOWN_OR_ACCIDENT: ['REPAIR_OR_ACCIDENT_DOCUMENT'],
  TRANSIT_TRAVELLER_ILLNESS: ['DOCTOR_OPINION_TRAVEL_ENDANGERS_HEALTH'],
};

const GROUND_RULE: Record<StayExtensionGround, string> = {
  URGENT_MEDICAL_TREATMENT: 'STAY-EXT-01',
  CLOSE_RELATIVE_ILL_OR_DECEASED: 'STAY-EXT-02',
  INVITER_WORK_UNFINISHED: 'STAY-EXT-03',
  TRANSIT_NATURAL_DISASTER: 'STAY-EXT-04',
  TRANSIT_VEHICLE_BREAKDOWN_OR_ACCIDENT: 'STAY-EXT-04',
  TRANSIT_TRAVELLER_ILLNESS: 'STAY-EXT-04',
  FAMILY_OF_EXTENDED_PERSON: 'STAY-EXT-05',
};

/** Checks a requested extension of stay: is the ground one of the Code's, and is the required evidence on file? */
export function evaluateStayExtensionRequest(request: StayExtensionRequest): StayExtensionDecision {
  if (!request.ground) {
    return {
      outcome: 'GROUND_NOT_ESTABLISHED',
      ruleIds: [],
      missingEvidence: [],
      reasons: [
        reason(
          'STAY-EXT-01',
          'No ground for extension was given; a stay is extended only on a ground of the Migration Code (STAY-EXT-01..05).',
          'Uzatma üçün əsas göstərilməyib; olma müddəti yalnız Miqrasiya Məcəlləsində nəzərdə tutulmuş əsaslarla uzadılır.',
        ),
      ],
    };
  }
  const ground = request.ground;
  const ruleIds = [GROUND_RULE[ground], ...(TRANSIT_RULE[ground] ? [TRANSIT_RULE[ground]!] : [])];
  const reasons: Reason[] = [];
  let unknown = false;
  let failed = false;

  switch (ground) {
    case 'URGENT_MEDICAL_TREATMENT':
      reasons.push(reason('STAY-EXT-01', 'Ground: urgent medical treatment is needed in Azerbaijan.', 'Əsas: Azərbaycanda təcili müalicəyə zərurət var.'));
      break;
    case 'CLOSE_RELATIVE_ILL_OR_DECEASED':
      if (request.relativeLivesInAzerbaijan === false) {
        failed = true;
        reasons.push(reason('STAY-EXT-02', 'The relative does not live in Azerbaijan, which this ground requires.', 'Qohum Azərbaycanda yaşamır; bu əsas bunu tələb edir.'));
      } else if (request.relativeLivesInAzerbaijan !== true) {
        unknown = true;
        reasons.push(reason('STAY-EXT-02', 'It is not recorded whether the ill or deceased relative lives in Azerbaijan.', 'Ağır xəstə və ya vəfat etmiş qohumun Azərbaycanda yaşayıb-yaşamadığı qeyd olunmayıb.'));
      } else {
        reasons.push(reason('STAY-EXT-02', 'Ground: serious illness or death of a close relative living in Azerbaijan.', 'Əsas: Azərbaycanda yaşayan yaxın qohumun ağır xəstəliyi və ya vəfatı.'));
      }
      break;
    case 'INVITER_WORK_UNFINISHED':
      reasons.push(
        reason('STAY-EXT-03', "Ground: the inviting organisation's reasoned request that the work is unfinished.", 'Əsas: dəvət edən təşkilatın işlərin başa çatmadığına dair əsaslandırılmış vəsatəti.'),
      );
      break;
    case 'TRANSIT_NATURAL_DISASTER':
    case 'TRANSIT_VEHICLE_BREAKDOWN_OR_ACCIDENT':
    case 'TRANSIT_TRAVELLER_ILLNESS': {
      const transitRule = TRANSIT_RULE[ground]!;
      if (request.inTransit === false) {
        failed = true;
        reasons.push(reason('STAY-EXT-04', 'A forced stop under article 19.4 applies only to persons in transit.', 'Maddə 19.4 üzrə məcburi dayanma yalnız tranzit keçən şəxslərə aiddir.'));
      } else if (request.inTransit !== true) {
        unknown = true;
        reasons.push(reason('STAY-EXT-04', 'It is not recorded whether the person is in transit.', 'Şəxsin tranzitdə olub-olmadığı qeyd olunmayıb.'));
      } else {
        const text = {
          'STAY-EXT-T1': ['a natural disaster blocks transport', 'nəqliyyatın hərəkətinə mane olan təbii fəlakət'],
          'STAY-EXT-T2': ['the vehicle broke down or had a road accident and needs repair', 'avtonəqliyyat sıradan çıxıb və ya qəza nəticəsində təmir tələb olunur'],
          'STAY-EXT-T3': ['the traveller fell ill and going on would endanger their health', 'yolçu xəstələnib və yola davam etmək səhhəti üçün təhlükəlidir'],
        }[transitRule]!;
        reasons.push(
          reason(transitRule, `Forced stop during transit: ${text[0]}.`, `Tranzit zamanı məcburi dayanma: ${text[1]}.`),
          reason(
            'STAY-EXT-04',
            'The stay is extended until the causes of the forced stop are removed (articles 41–43).',
            'Olma müddəti məcburi dayanmanın səbəbləri aradan qalxanadək uzadılır (41–43-cü maddələr).',
          ),
        );
      }
      break;
    }
    case 'FAMILY_OF_EXTENDED_PERSON': {
      const link = request.familyLink;
      const coveredByT3 =
        link?.relativeGround === 'TRANSIT_TRAVELLER_ILLNESS' && link.travellingWithSickPerson === true;
      if (!link || link.relativeStayExtended === undefined || link.relativeStayExtended === null) {
        unknown = true;
        reasons.push(reason('STAY-EXT-05', "The relative's extension of stay is not recorded.", 'Qohumun olma müddətinin uzadılması qeyd olunmayıb.'));
      } else if (link.relativeStayExtended === false) {
        failed = true;
        reasons.push(reason('STAY-EXT-05', "The relative's stay has not been extended.", 'Qohumun olma müddəti uzadılmayıb.'));
      } else if (coveredByT3) {
        reasons.push(
          reason('STAY-EXT-05', 'Close relative travelling with a sick person whose transit stop was extended (19.4.3).', 'Tranzitdə xəstələnmiş şəxslə birlikdə olan yaxın qohum (19.4.3).'),
          reason('STAY-EXT-T3', 'The forced stop of the sick traveller extends to the close relatives with them.', 'Xəstə yolçunun məcburi dayanması onunla olan yaxın qohumlarına da şamil edilir.'),
        );
        ruleIds.push('STAY-EXT-T3');
      } else if (!EXTENSION_FOLLOWING_RELATIONSHIPS.includes(link.relationship)) {
        failed = true;
        reasons.push(
          reason(
            'STAY-EXT-05',
            'Only a father, mother, spouse, child, brother or sister follows the extended stay (outside the 19.4.3 case).',
            'Yalnız ata, ana, ər (arvad), övlad, qardaş və ya bacı uzadılmış müddətə tabedir (19.4.3 halı istisna).',
            { relationship: link.relationship },
          ),
        );
      } else {
        reasons.push(
          reason('STAY-EXT-05', `The stay of the person's ${link.relationship.toLowerCase()} was extended, so theirs is extended too.`, 'Yaxın qohumun olma müddəti uzadıldığı üçün şəxsin də müddəti uzadılır.', {
            relationship: link.relationship,
          }),
        );
      }
      break;
    }
  }

  const missingEvidence = (REQUIRED_EVIDENCE[ground] ?? []).filter((item) => !request.evidence.includes(item));
  for (const item of missingEvidence) {
    const ruleId = item === 'INVITER_REASONED_REQUEST' ? 'STAY-EXT-03' : item === 'REPAIR_OR_ACCIDENT_DOCUMENT' ? 'STAY-EXT-T2' : 'STAY-EXT-T3';
    const text: Record<StayExtensionEvidence, [string, string]> = {
      INVITER_REASONED_REQUEST: ["the inviting organisation's reasoned request", 'dəvət edən təşkilatın əsaslandırılmış vəsatəti'],
      REPAIR_OR_ACCIDENT_DOCUMENT: ['a document on the breakdown or accident', 'sıradan çıxma və ya qəza barədə sənəd'],
      DOCTOR_OPINION_TRAVEL_ENDANGERS_HEALTH: ["a doctor's opinion that going on endangers the traveller's health", 'yola davam etməyin səhhət üçün təhlükəli olduğuna dair həkim rəyi'],
      PROOF_OF_KINSHIP: ['proof of kinship', 'qohumluğu təsdiq edən sənəd'],
    };
    reasons.push(reason(ruleId, `Missing evidence: ${text[item][0]}.`, `Çatışmayan sübut: ${text[item][1]}.`, { missingEvidence: item }));
  }

  const outcome: StayExtensionOutcome = failed
    ? 'GROUND_NOT_ESTABLISHED'
    : missingEvidence.length
      ? 'EVIDENCE_MISSING'
      : unknown
        ? 'UNDETERMINED'
        : 'GROUND_ESTABLISHED';
  return { outcome, ruleIds, missingEvidence, reasons };
}
