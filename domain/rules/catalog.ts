/**
 * One entry per rule ID of rules-catalog.md: a short title in Azerbaijani and English, the citation (seed and,
 * where the seeds give it, the article), and the names of the parameters the rule reads.
 * `reason()` builds a Reason for a rule so every module cites the same way.
 */
import { ParameterName } from './parameters';
import { LocalizedText, Reason } from './types';

export interface RuleCatalogEntry {
  id: string;
  title: LocalizedText;
  citation: string;
  parameters: readonly ParameterName[];
}

const MC = 'Miqrasiya Məcəlləsi';
const CITIZENSHIP_LAW = '"Azərbaycan Respublikasının vətəndaşlığı haqqında" Qanun';

function rule(
  id: string,
  az: string,
  en: string,
  citation: string,
  parameters: readonly ParameterName[] = [],
): RuleCatalogEntry {
  return { id, title: { az, en }, citation, parameters };
}

/** WP-EX-01..21: no work permit needed (S1 quoting the Migration Code), in our own words. */
export const WORK_PERMIT_EXEMPTION_TITLES: readonly LocalizedText[] = [
  { az: 'Daimi yaşamaq icazəsi olanlar', en: 'Holders of a permanent residence permit' },
  { az: 'Sahibkarlıq fəaliyyəti ilə məşğul olanlar', en: 'Persons engaged in entrepreneurship in Azerbaijan' },
  { az: 'Diplomatik nümayəndəlik və konsulluq işçiləri', en: 'Staff of diplomatic missions and consulates' },
  { az: 'Beynəlxalq təşkilatların işçiləri', en: 'Staff of international organisations' },
  { az: 'Beynəlxalq müqavilə ilə yaradılmış təşkilatların rəhbərləri və müavinləri', en: 'Heads of organisations founded under international treaties, and their deputies' },
  { az: 'Müvafiq icra hakimiyyəti orqanlarının işə cəlb etdiyi şəxslər', en: 'Persons engaged by the relevant executive authorities' },
  { az: 'Silahlı Qüvvələrə və qanuni silahlı birləşmələrə dəvət olunan hərbçilər və mütəxəssislər', en: 'Military servicemen and specialists invited to the armed forces or other lawful armed formations' },
  { az: 'Akkreditə olunmuş media əməkdaşları', en: 'Accredited staff of the media' },
  { az: 'Nazirlər Kabinetinin müəyyən etdiyi sahələrdə ildə 90 günədək ezamiyyətdə olanlar', en: 'Business trips of at most 90 days a year in fields set by the Cabinet of Ministers' },
  { az: 'Prezidentin müəyyən etdiyi kateqoriyadan olan, vətəndaş və ya yerli hüquqi şəxs tərəfindən dəvət olunan mütəxəssislər', en: 'Specialists of a category set by the President, invited by citizens or Azerbaijani legal entities' },
  { az: 'Dənizçilər', en: 'Seafarers' },
  { az: 'Ali təhsil müəssisələrinə mühazirə oxumağa dəvət olunan professor-müəllim heyəti və mühazirəçilər', en: 'Professors and lecturers invited to give lecture courses at higher education institutions' },
  { az: 'İncəsənət işçiləri, qeydiyyatlı idman klublarına dəvət olunan məşqçilər və idmançılar', en: 'Artists, and coaches and athletes invited to registered sports clubs' },
  { az: 'Qeydiyyatlı dini qurumlarda peşəkar dini fəaliyyət göstərənlər', en: 'Professional religious staff of registered religious bodies' },
  { az: 'Xarici hüquqi şəxsin filial və nümayəndəliyinin rəhbərləri və müavinləri', en: 'Heads of branches and representative offices of foreign legal entities, and their deputies' },
  { az: 'Ən azı bir xarici təsisçisi olan yerli hüquqi şəxsin rəhbərləri və müavinləri', en: 'Heads of Azerbaijani legal entities with at least one foreign founder, and their deputies' },
  { az: 'Yaşayış yeri üzrə qeydiyyatda olan Azərbaycan vətəndaşı ilə nikahda olanlar', en: 'Spouses of Azerbaijani citizens registered at a place of residence in Azerbaijan' },
  { az: 'Qaçqın statusu üçün müraciət edənlər, qaçqınlar və siyasi sığınacaq almış şəxslər', en: 'Refugee status applicants, recognised refugees and persons granted political asylum' },
  { az: 'İnsan alverinin qurbanları və ya cinayət təqibinə yardım edənlər', en: 'Victims of human trafficking or persons assisting criminal prosecution' },
  { az: 'Himayəsində 18 yaşadək və ya I qrup əlil Azərbaycan vətəndaşı olanlar', en: 'Persons with a dependent Azerbaijani citizen under 18 or with a group I disability' },
  { az: 'Prezidentin müəyyən etdiyi hallarda işə cəlb olunanlar', en: 'Persons engaged in work in cases set by the President' },
];

/** PR-GR-01..10: grounds for permanent residence (S1). */
export const PERMANENT_RESIDENCE_GROUND_TITLES: readonly LocalizedText[] = [
  { az: 'Azərbaycan vətəndaşı ilə yaxın qohumluq', en: 'Close relative of an Azerbaijani citizen' },
  { az: 'Ölkə iqtisadiyyatına azı 500.000 manat investisiya', en: 'Investment of at least 500,000 manat in the economy' },
  { az: 'Azı 100.000 manat dəyərində daşınmaz əmlak', en: 'Real estate in Azerbaijan worth at least 100,000 manat' },
  { az: 'Azərbaycan bankında azı 100.000 manat müddətli əmanət', en: 'Term deposit of at least 100,000 manat in a bank in Azerbaijan' },
  { az: 'Yüksək səviyyəli mütəxəssis', en: 'High-level specialist (economy, industry, military, science, culture, sport, other)' },
  { az: 'Prezidentin müəyyən etdiyi kateqoriyadan olan dəvət edilmiş mütəxəssis', en: 'Specialist of a presidential category invited by citizens or Azerbaijani legal entities' },
  { az: 'Müvəqqəti və ya daimi yaşayan əcnəbinin ailə üzvü', en: 'Family member of a foreigner with temporary or permanent residence' },
  { az: 'Xarici hüquqi şəxsin filial və ya nümayəndəliyinin rəhbəri və ya müavini', en: "Head or deputy of a foreign legal entity's branch or representative office" },
  { az: 'Xarici təsisçisi olan yerli hüquqi şəxsin rəhbəri və ya müavini', en: 'Head or deputy of an Azerbaijani legal entity with a foreign founder' },
  { az: 'Sahibkarlıq fəaliyyəti', en: 'Engaged in entrepreneurship' },
];

/** PR-RF-01..16: refusal or non-extension of permanent residence (S1). */
export const PERMANENT_RESIDENCE_REFUSAL_TITLES: readonly LocalizedText[] = [
  { az: 'Milli təhlükəsizliyə və ya ictimai asayişə zərər', en: 'Harm to national security or public order' },
  { az: 'Siyahıdakı təhlükəli yoluxucu xəstəliyin daşıyıcısı (vətəndaşın həyat yoldaşı istisna)', en: 'Carrier of a listed dangerous infectious disease (not for spouses of citizens)' },
  { az: 'Şəxsiyyət sənədi yoxdur və ya 53-cü maddədəki sənəd təqdim edilməyib', en: 'No identity document, or a document of article 53 missing' },
  { az: 'Saxta sənəd və ya yalan məlumat', en: 'Forged documents or false information' },
  { az: 'Qəsdən ağır və ya xüsusilə ağır cinayətə görə ödənilməmiş məhkumluq', en: 'Unexpunged conviction for an intentional grave or especially grave crime' },
  { az: 'Minimal tələbatı ödəyəcək vəsait yoxdur', en: 'No means for the minimum needs of the person and accompanying family' },
  { az: 'Təminatçı imtina edib, 10 iş günü ərzində başqa sənəd yoxdur', en: 'Sponsor withdrew and no other proof within 10 working days' },
  { az: 'Yaşayış sahəsi razılığı geri alınıb, 10 iş günü ərzində başqa sənəd yoxdur', en: 'Housing consent withdrawn and no other housing document within 10 working days' },
  { az: 'Xaricdə daimi yaşamaq üçün ölkəni tərk edib', en: 'Left Azerbaijan to live permanently abroad' },
  { az: 'İcazənin verildiyi gündən istənilən bir ildə 180 gündən çox xaricdə', en: 'More than 180 days abroad within any one year counted from the permit issue' },
  { az: 'Müvəqqəti yaşama icazəsinin əsası aradan qalxıb', en: 'The grounds of the temporary residence permit ceased' },
  { az: 'Hüquq və vəzifələrini və ya dövlət dilini bilmir', en: 'Does not know the rights and duties under the law, or the state language' },
  { az: 'Olması arzuolunmaz hesab edilib', en: 'Presence deemed undesirable' },
  { az: 'Ölkədən çıxarılma barədə qərar', en: 'An expulsion decision' },
  { az: 'Gəlişin bəyan edilmiş məqsədini pozub', en: 'Breach of the declared purpose of entry' },
  { az: 'Olma və yaşama qaydalarının pozulmasına görə ödənilməmiş inzibati cərimə', en: 'Unpaid administrative fine for breaking the rules of stay and residence' },
];

const pad = (n: number) => String(n).padStart(2, '0');

export const RULE_CATALOG: readonly RuleCatalogEntry[] = [
  // Temporary stay
  rule('STAY-01', 'Vizasız müvəqqəti olma 90 gündür; viza ilə vizanın müddəti', 'Visa-free stay lasts at most 90 days; with a visa, the visa validity applies', 'S1 (viza müddəti və ya 90 gün)', ['STAY_VISA_FREE_MAX_DAYS', 'VISA_EXEMPT_CITIZENSHIPS']),
  rule('STAY-02', 'Olma dövrü: girişdən növbəti çıxışadək', 'A stay period runs from an entry to the next exit', 'S1; S0'),
  rule('STAY-03', 'Qanuni əsasdan artıq qalınan günlər qanunsuzdur', 'Days present beyond any lawful basis are unlawful (overstay)', 'S1; S0', ['STAY_VISA_FREE_MAX_DAYS', 'EVISA_MAX_STAY_DAYS']),
  rule('STAY-EXT-01', 'Uzatma: təcili müalicə zərurəti', 'Extension: urgent medical treatment in Azerbaijan', `S1; ${MC} 19`),
  rule('STAY-EXT-02', 'Uzatma: Azərbaycanda yaşayan yaxın qohumun ağır xəstəliyi və ya vəfatı', 'Extension: serious illness or death of a close relative living in Azerbaijan', `S1; ${MC} 19`),
  rule('STAY-EXT-03', 'Uzatma: dəvət edən təşkilatın işlərin bitmədiyinə dair əsaslandırılmış vəsatəti', "Extension: the inviting organisation's reasoned request that the work is unfinished", `S1; ${MC} 19`),
  rule('STAY-EXT-04', 'Uzatma: tranzit zamanı məcburi dayanma (19.4)', 'Extension: forced stop during transit (article 19.4)', `S1; ${MC} 19.4`),
  rule('STAY-EXT-T1', 'Məcburi dayanma: nəqliyyata mane olan təbii fəlakət', 'Forced stop: natural disaster blocking transport', `S1; ${MC} 19.4`),
  rule('STAY-EXT-T2', 'Məcburi dayanma: avtonəqliyyatın sıradan çıxması və ya qəza (sənədlə)', 'Forced stop: vehicle breakdown or road accident needing repair (with a document)', `S1; ${MC} 19.4`),
  rule('STAY-EXT-T3', 'Məcburi dayanma: yolçunun xəstəliyi (həkim rəyi ilə)', "Forced stop: illness of the traveller (with a doctor's opinion)", `S1; ${MC} 19.4.3`),
  rule('STAY-EXT-05', 'Yaxın qohumların olma müddəti də uzadılır', "Close relatives' stay is extended with the person's", `S1; ${MC} 19.4.3, 41–43`),
  rule('STAY-PAND', 'Pandemiya dövründə avtomatik uzatma (tarixi)', 'Pandemic automatic extension (historic)', 'S1 (pandemiya dövrü)', ['STAY_PANDEMIC_PRIOR_EXTENSION_DAYS']),
  // Registration
  rule('REG-01', '15 gündən artıq qalma üçün olduğu yer üzrə qeydiyyat', 'Registration by place of stay for a stay of more than 15 days', 'S0', ['REG_REQUIRED_AFTER_DAYS']),
  rule('REG-02', 'Qeydiyyat gəlişdən sonra 10 gün ərzində', 'Registration within 10 days after arrival', 'S0 (published practice: 15 days)', ['REG_DEADLINE_DAYS_AFTER_ARRIVAL']),
  rule('REG-03', 'Qeydiyyat ödənişsizdir; onlayn və ya regional idarədə', 'Registration is free; online or at a regional migration office', 'S0', ['REG_FEE']),
  // Visa
  rule('VISA-01', 'Vizasız rejimli vətəndaşlıq istisna olmaqla viza tələb olunur', 'A visa is required unless the citizenship is visa-exempt', 'S0', ['VISA_EXEMPT_CITIZENSHIPS']),
  rule('VISA-02', 'Elektron viza: birdəfəlik, 30 günədək, 3 iş günü, 20 USD', 'e-Visa: single entry, up to 30 days, 3 working days, 20 USD', 'S0', ['EVISA_MAX_STAY_DAYS', 'EVISA_PROCESSING_WORKING_DAYS', 'EVISA_FEE']),
  rule('VISA-03', 'Viza növləri', 'Visa types: tourist, business, transit, student, medical, work', 'S0; S1'),
  // Work permit
  rule('WP-01', 'İşləmək üçün iş icazəsi tələb olunur (istisnalar xaric)', 'A work permit is needed to work unless an exemption applies', `S0; S1; ${MC}`, ['WP_REQUIRED_ABOVE_WORK_DAYS_PER_YEAR']),
  rule('WP-02', 'Viza rejimli ölkələr üçün əmək və ya işgüzar səfər vizası tələb olunur', 'Visa-regime citizens need a work or business-trip visa to apply', 'S1', ['VISA_EXEMPT_CITIZENSHIPS']),
  rule('WP-03', 'İş icazəsi üçün sənədlər', 'Work permit documents', 'S0'),
  rule('WP-04', 'İş icazəsi 20 iş günü ərzində; sürətli 15 və 10 iş günü', 'Issued within 20 working days; faster tiers of 15 and 10 working days', 'S0; F1', ['WP_PROCESSING_WORKING_DAYS', 'WP_PROCESSING_TIERS_WORKING_DAYS', 'PUBLIC_HOLIDAY_CALENDAR']),
  rule('WP-05', 'Bir dəfəyə 2 ilədək, cəmi 5 ilədək', 'At most 2 years at a time, 5 years in total', 'S0 (published practice: 1 year each time)', ['WP_MAX_TERM_MONTHS', 'WP_MAX_TOTAL_MONTHS']),
  rule('WP-06', 'İş icazəsi üzrə dövlət rüsumu', 'Work permit state duty by duration and processing time', 'F1; S0', ['WP_DUTY_TABLE', 'WP_S0_DUTY_RANGE']),
  ...WORK_PERMIT_EXEMPTION_TITLES.map((title, index) =>
    rule(
      `WP-EX-${pad(index + 1)}`,
      `İş icazəsi tələb olunmur: ${title.az}`,
      `No work permit needed: ${title.en}`,
      `S1; ${MC} (iş icazəsi tələb olunmayan hallar, bənd ${index + 1})`,
      index === 0 ? [] : index === 8 ? ['WP_BUSINESS_TRIP_EXEMPT_MAX_DAYS_PER_YEAR'] : [],
    ),
  ),
  rule('WP-CH', 'İş icazəsi müraciət kanalları', 'Work permit application channels', 'S1'),
  // Temporary residence
  rule('TRP-01', 'Müvəqqəti yaşama icazəsi 1 ilədək, 5 ilədək uzadılır', 'Temporary residence permit for up to 1 year, extendable up to 5 years', 'S0 (F2 lists terms up to 3 years)', ['TRP_MAX_TERM_MONTHS', 'TRP_MAX_TOTAL_MONTHS']),
  rule('TRP-02', 'Müvəqqəti yaşama əsasları', 'Temporary residence grounds (family, education, employment, investment...)', `S0; ${MC} 45.1`),
  rule('TRP-03', '30 iş günü ərzində verilir; rüsum müddətə və müddətə görə', 'Issued within 30 working days; duty by duration and processing time', 'S0; F2', ['TRP_PROCESSING_WORKING_DAYS', 'TRP_DUTY_TABLE', 'RESIDENCE_S0_DUTY_RANGE', 'PUBLIC_HOLIDAY_CALENDAR']),
  rule('TRP-CH', 'Müvəqqəti yaşama müraciət kanalları', 'Temporary residence application channels', 'S1'),
  rule('TRP-DOC', 'Müvəqqəti yaşama icazəsi üçün sənədlər: pasport, foto, tibbi arayış, məhkumluğun olmaması haqqında arayış və müraciət əsasının sənədləri', 'Temporary residence documents: passport, photo, medical certificate, certificate of no criminal record, and the documents of the ground applied on', 'S0'),
  // Permanent residence
  rule('PR-01', 'Son 2 il fasiləsiz müvəqqəti yaşama', 'At least 2 years of continuous lawful temporary residence', `S1; ${MC} 45.1.8–45.1.11`, ['PR_MIN_CONTINUOUS_TEMPORARY_RESIDENCE_YEARS']),
  ...PERMANENT_RESIDENCE_GROUND_TITLES.map((title, index) =>
    rule(
      `PR-GR-${pad(index + 1)}`,
      `Daimi yaşama əsası: ${title.az}`,
      `Permanent residence ground: ${title.en}`,
      'S1',
      index === 1 ? ['PR_GR_MIN_INVESTMENT_AZN'] : index === 2 ? ['PR_GR_MIN_REAL_ESTATE_AZN'] : index === 3 ? ['PR_GR_MIN_DEPOSIT_AZN'] : [],
    ),
  ),
  ...PERMANENT_RESIDENCE_REFUSAL_TITLES.map((title, index) => {
    const number = index + 1;
    const citation = number === 3 ? `S1; ${MC} 53` : number === 8 ? `S1; ${MC} 53.1.14` : number === 10 ? `S1; ${MC} 45.1.2, 45.1.7` : 'S1';
    const parameters: ParameterName[] =
      number === 7 || number === 8
        ? ['PR_RF_REPLACEMENT_DOCUMENT_WORKING_DAYS', 'PUBLIC_HOLIDAY_CALENDAR']
        : number === 10
          ? ['PR_RF_MAX_DAYS_ABROAD_PER_YEAR']
          : [];
    return rule(`PR-RF-${pad(number)}`, `İmtina: ${title.az}`, `Refusal: ${title.en}`, citation, parameters);
  }),
  rule('PR-CH', 'Daimi yaşama müraciət kanalları', 'Permanent residence application channels', 'S1'),
  // Citizenship
  rule('CIT-01', 'Vətəndaşlığa qəbul: 5 il fasiləsiz daimi yaşama və digər şərtlər', 'Admission: 5 years of continuous lawful permanent residence and other conditions', `S1; S0; ${CITIZENSHIP_LAW}`, ['CIT_MIN_CONTINUOUS_PERMANENT_RESIDENCE_YEARS']),
  rule('CIT-02', 'Vətəndaşlığın bərpası', 'Restoration of citizenship', `S1; ${CITIZENSHIP_LAW} 14 (ikinci hissə)`),
  rule('CIT-03', 'Vətəndaşlığa xitam', 'Termination of citizenship', `S1; S0; ${CITIZENSHIP_LAW}`),
  rule('CIT-04', 'Vətəndaşlıq müraciət kanalları', 'Citizenship application channels', 'S1'),
  rule('CIT-05', 'Vətəndaşlıq üzrə dövlət rüsumu 50–1000 AZN', 'Citizenship state duty 50–1000 AZN', 'S0', ['CIT_DUTY_RANGE']),
  // Payments and tracking
  rule('PAY-01', 'Müraciətin statusu izlənilə bilər', 'The status of an application can be tracked', 'S1 (müraciətlərin izlənməsi)'),
  rule('PAY-02', 'Hər rüsumun ödəniş kodu axtarıla bilər', 'Each state duty has a payment code that can be looked up', 'S1 (ödənişlərin axtarışı)'),
  rule('PAY-03', 'Ödəniş kanalları', 'Payment channels', 'S1'),
  rule('PAY-04', 'İcazə və ya sənəd yalnız müraciətin dövlət rüsumu ödənildikdən sonra verilir; rüsumsuz müraciət (REG-03) istisnadır', "A permit or document is issued only once the application's state duty is paid; a duty-free application (REG-03) needs none", 'S0'),
  // Fines
  rule('FINE-01', 'Olma qaydalarının pozulmasına görə cərimə 300–400 AZN', 'Fine for breaking the rules of stay: 300–400 AZN', 'F3', ['FINE_STAY_RULES_RANGE', 'FINE_LOST_RESIDENCE_DOCUMENT']),
  rule('FINE-02', 'Ödənilməmiş cərimə ödənilənədək qüvvədədir (PR-RF-16)', 'An unpaid fine is outstanding until paid (PR-RF-16)', 'F3; S1'),
  // Working days
  rule('CAL-01', 'İş günləri: həftəsonu və bayramlar çıxılır', 'Working days skip weekends and public holidays', 'Rules catalog CAL-01; calendar data (calendar.ts)', ['PUBLIC_HOLIDAY_CALENDAR']),
  // Published figures
  rule('F1', 'İş icazəsi üzrə dövlət rüsumu cədvəli', 'Work permit state duty table', 'F1', ['WP_DUTY_TABLE']),
  rule('F2', 'Müvəqqəti yaşama icazəsi üzrə dövlət rüsumu cədvəli', 'Temporary residence permit state duty table', 'F2', ['TRP_DUTY_TABLE']),
  rule('F3', 'İnzibati cərimələr', 'Administrative fines', 'F3', ['FINE_STAY_RULES_RANGE', 'FINE_LOST_RESIDENCE_DOCUMENT']),
];

const BY_ID: ReadonlyMap<string, RuleCatalogEntry> = new Map(RULE_CATALOG.map((entry) => [entry.id, entry]));

export function ruleById(id: string): RuleCatalogEntry | undefined {
  return BY_ID.get(id);
}

/** A Reason citing the catalog entry of `ruleId`. Throws for an unknown ID: a typo must not ship. */
export function reason(ruleId: string, en: string, az: string, detail?: Reason['detail']): Reason {
  const entry = BY_ID.get(ruleId);
  if (!entry) throw new Error(`Unknown rule ID ${ruleId}`);
  return detail === undefined
    ? { ruleId, citation: entry.citation, message: { az, en } }
    : { ruleId, citation: entry.citation, message: { az, en }, detail };
}
