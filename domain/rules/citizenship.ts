/**
 * CIT-01..05: admission to, restoration of and termination of citizenship.
 *
 * CIT-01: five years of continuous lawful permanent residence counted from the day the permanent permit was
 * granted (S1), i.e. an unbroken run of permanent permits covering the evaluation date, complete on the fifth
 * anniversary of its first day; plus lawful income, an undertaking to respect the Constitution and laws, and a
 * document proving knowledge of the state language. Origin, race, nationality, sex, education, religion and
 * beliefs must not matter: the facts type has no such field, so no rule can read them.
 */
import { reason } from './catalog';
import { parseIsoDate } from './dates';
import { parameterAt } from './parameters';
import { ContinuousResidence, continuousResidence } from './temporary-residence';
import { Decision, IsoDate, Reason, RecordedFact } from './types';

export interface PermanentResidencePermitFact {
  /** Day the permit was granted. */
  validFrom: IsoDate;
  validUntil: IsoDate | null;
  revokedOn?: IsoDate | null;
}

export interface CitizenshipAdmissionFacts {
  permanentResidencePermits: readonly PermanentResidencePermitFact[];
  lawfulIncome: RecordedFact;
  constitutionUndertaking: RecordedFact;
  stateLanguageDocument: RecordedFact;
}

export interface CitizenshipDecision extends Decision<'ELIGIBLE' | 'NOT_ELIGIBLE' | 'UNDETERMINED'> {
  continuousPermanentResidence: ContinuousResidence;
}

/** CIT-01: may the person be admitted to citizenship on `asOf`? */
export function evaluateCitizenshipEligibility(facts: CitizenshipAdmissionFacts, asOf: IsoDate): CitizenshipDecision {
  parseIsoDate(asOf);
  const years = parameterAt('CIT_MIN_CONTINUOUS_PERMANENT_RESIDENCE_YEARS', asOf).value;
  const residence = continuousResidence(facts.permanentResidencePermits, years, asOf);
  const reasons: Reason[] = [];
  let failed = false;
  let unknown = false;

  if (!residence.since) {
    failed = true;
    reasons.push(reason('CIT-01', `No permanent residence permit is valid on ${asOf}.`, `${asOf} tarixində etibarlı daimi yaşamaq icazəsi yoxdur.`));
  } else if (!residence.complete) {
    failed = true;
    reasons.push(
      reason(
        'CIT-01',
        `Permanent residence since ${residence.since} completes ${years} years only on ${residence.completesOn}.`,
        `${residence.since} tarixindən daimi yaşama ${years} ili yalnız ${residence.completesOn} tarixində tamamlayır.`,
        { since: residence.since, completesOn: residence.completesOn },
      ),
    );
  } else {
    reasons.push(
      reason(
        'CIT-01',
        `Continuous lawful permanent residence since ${residence.since}: ${years} years completed on ${residence.completesOn}.`,
        `${residence.since} tarixindən fasiləsiz qanuni daimi yaşama: ${years} il ${residence.completesOn} tarixində tamamlanıb.`,
        { since: residence.since, completesOn: residence.completesOn },
      ),
    );
  }
  // The fact kind that records each condition (an officer's record, or the document of a citizenship application).
  const conditions: Array<[RecordedFact, string, string, string]> = [
    [facts.lawfulIncome, 'a lawful source of income', 'qanuni gəlir mənbəyi', 'LAWFUL_INCOME'],
    [facts.constitutionUndertaking, 'an undertaking to respect the Constitution and laws', 'Konstitusiyaya və qanunlara riayət öhdəliyi', 'CONSTITUTION_UNDERTAKING'],
    [facts.stateLanguageDocument, 'a document proving knowledge of the state language', 'dövlət dilini bildiyini təsdiq edən sənəd', 'STATE_LANGUAGE_KNOWLEDGE'],
  ];
  for (const [fact, en, az, kind] of conditions) {
    if (fact === true) continue;
    if (fact === false) {
      failed = true;
      reasons.push(reason('CIT-01', `Missing: ${en}.`, `Yoxdur: ${az}.`));
    } else {
      unknown = true;
      reasons.push(reason('CIT-01', `Not recorded: ${en} (recordPersonFact, kind ${kind}, or its document with a citizenship application).`, `Qeyd olunmayıb: ${az} (recordPersonFact və ya vətəndaşlıq müraciətinin sənədi).`));
    }
  }
  reasons.push(
    reason(
      'CIT-01',
      'Origin, race, nationality, sex, education, religion and beliefs are not facts of this decision.',
      'Mənşə, irq, milli mənsubiyyət, cins, təhsil, dinə münasibət və əqidə bu qərarın faktları deyil.',
    ),
  );
  return { outcome: failed ? 'NOT_ELIGIBLE' : unknown ? 'UNDETERMINED' : 'ELIGIBLE', continuousPermanentResidence: residence, reasons };
}

export interface CitizenshipRestorationFacts {
  /** Was a citizen of Azerbaijan before, or had citizenship terminated. */
  formerCitizen: RecordedFact;
  /** One of the restrictions of article 14 part two of the Law on Citizenship applies. */
  article14Part2RestrictionApplies: RecordedFact;
}

/** CIT-02: restoration on the application of a former citizen, subject to article 14 part two. */
export function evaluateCitizenshipRestoration(facts: CitizenshipRestorationFacts): Decision<'ELIGIBLE' | 'NOT_ELIGIBLE' | 'UNDETERMINED'> {
  if (facts.formerCitizen === false) {
    return { outcome: 'NOT_ELIGIBLE', reasons: [reason('CIT-02', 'Restoration is only for former citizens.', 'Bərpa yalnız əvvəllər vətəndaş olmuş şəxslər üçündür.')] };
  }
  if (facts.article14Part2RestrictionApplies === true) {
    return { outcome: 'NOT_ELIGIBLE', reasons: [reason('CIT-02', 'A restriction of article 14 part two of the Law on Citizenship applies.', 'Vətəndaşlıq haqqında Qanunun 14-cü maddəsinin ikinci hissəsindəki məhdudiyyət tətbiq olunur.')] };
  }
  if (facts.formerCitizen !== true || facts.article14Part2RestrictionApplies !== false) {
    return {
      outcome: 'UNDETERMINED',
      reasons: [reason('CIT-02', 'Former citizenship or the article 14 part two restrictions are not recorded.', 'Əvvəlki vətəndaşlıq və ya 14-cü maddənin ikinci hissəsi üzrə məhdudiyyətlər qeyd olunmayıb.')],
    };
  }
  return { outcome: 'ELIGIBLE', reasons: [reason('CIT-02', 'Former citizen with no article 14 part two restriction: citizenship may be restored.', 'Əvvəlki vətəndaş, 14-cü maddənin ikinci hissəsi üzrə məhdudiyyət yoxdur: vətəndaşlıq bərpa edilə bilər.')] };
}

/** CIT-03: the grounds of termination (S1). */
export type CitizenshipTerminationGround = 'RENUNCIATION' | 'LOSS' | 'INTERNATIONAL_TREATY' | 'OTHER_LEGAL_GROUND';

export interface CitizenshipTerminationFacts {
  ground: CitizenshipTerminationGround;
  /** Renunciation: the person's own application. */
  ownApplication?: RecordedFact;
  /** Renunciation (S0): holds another citizenship, or has an assurance of acquiring one. */
  holdsOtherCitizenship?: RecordedFact;
  assuranceOfOtherCitizenship?: RecordedFact;
}

/** CIT-03: is a termination on the given ground supported by the facts? */
export function evaluateCitizenshipTermination(facts: CitizenshipTerminationFacts): Decision<'GROUNDED' | 'NOT_GROUNDED' | 'UNDETERMINED'> {
  if (facts.ground !== 'RENUNCIATION') {
    const names: Record<Exclude<CitizenshipTerminationGround, 'RENUNCIATION'>, [string, string]> = {
      LOSS: ['loss of citizenship', 'vətəndaşlığın itirilməsi'],
      INTERNATIONAL_TREATY: ['a ground in an international treaty', 'beynəlxalq müqavilədə nəzərdə tutulmuş əsas'],
      OTHER_LEGAL_GROUND: ['another ground of the Law on Citizenship', 'Qanunda nəzərdə tutulmuş digər əsas'],
    };
    const [en, az] = names[facts.ground];
    return { outcome: 'GROUNDED', reasons: [reason('CIT-03', `Termination ground: ${en}; its conditions are decided under that law.`, `Xitam əsası: ${az}; şərtləri həmin qanun üzrə həll olunur.`)] };
  }
  if (facts.ownApplication === false) {
    return { outcome: 'NOT_GROUNDED', reasons: [reason('CIT-03', 'Renunciation is only on the person’s own application.', 'Vətəndaşlıqdan çıxma yalnız şəxsin öz vəsatəti ilə olur.')] };
  }
  const other = facts.holdsOtherCitizenship === true || facts.assuranceOfOtherCitizenship === true;
  const noOther = facts.holdsOtherCitizenship === false && facts.assuranceOfOtherCitizenship === false;
  if (noOther) {
    return { outcome: 'NOT_GROUNDED', reasons: [reason('CIT-03', 'Renunciation needs another citizenship or an assurance of acquiring one.', 'Çıxma üçün başqa vətəndaşlıq və ya onun alınacağına dair təminat lazımdır.')] };
  }
  if (facts.ownApplication !== true || !other) {
    return { outcome: 'UNDETERMINED', reasons: [reason('CIT-03', 'The own application or the other citizenship (or assurance) is not recorded.', 'Şəxsin vəsatəti və ya başqa vətəndaşlıq (təminat) qeyd olunmayıb.')] };
  }
  return { outcome: 'GROUNDED', reasons: [reason('CIT-03', 'Renunciation on own application, with another citizenship or an assurance of one.', 'Öz vəsatəti ilə, başqa vətəndaşlıq və ya onun təminatı ilə çıxma.')] };
}

export type CitizenshipChannel = 'REGIONAL_MIGRATION_OFFICE' | 'ASAN_XIDMET' | 'POST' | 'ELECTRONIC' | 'DIPLOMATIC_MISSION_OR_CONSULATE';

/** CIT-04: where a citizenship application is submitted and to whom. */
export function citizenshipChannels(residesInAzerbaijan: boolean): { addressee: 'STATE_MIGRATION_SERVICE' | 'MINISTRY_OF_FOREIGN_AFFAIRS'; channels: CitizenshipChannel[]; reasons: Reason[] } {
  if (residesInAzerbaijan) {
    return {
      addressee: 'STATE_MIGRATION_SERVICE',
      channels: ['REGIONAL_MIGRATION_OFFICE', 'ASAN_XIDMET', 'POST', 'ELECTRONIC'],
      reasons: [
        reason(
          'CIT-04',
          'Residents of Azerbaijan apply to the State Migration Service (regional offices, ASAN Xidmət); applications are also accepted by post and electronically.',
          'Azərbaycanda yaşayanlar Dövlət Miqrasiya Xidmətinə (regional idarələr, ASAN Xidmət) müraciət edir; ərizələr poçtla və elektron qaydada da qəbul olunur.',
        ),
      ],
    };
  }
  return {
    addressee: 'MINISTRY_OF_FOREIGN_AFFAIRS',
    channels: ['DIPLOMATIC_MISSION_OR_CONSULATE'],
    reasons: [
      reason(
        'CIT-04',
        'Persons living abroad apply to the Ministry of Foreign Affairs through a diplomatic mission or consulate of Azerbaijan.',
        'Xaricdə yaşayanlar Azərbaycanın diplomatik nümayəndəliyi və ya konsulluğu vasitəsilə Xarici İşlər Nazirliyinə müraciət edir.',
      ),
    ],
  };
}
