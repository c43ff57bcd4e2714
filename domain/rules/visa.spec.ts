import { getAlpha3Codes } from 'i18n-iso-countries';
import { parameterValue } from './parameters';
import { VISA_TYPES, eVisaTerms, evaluateEVisaRequest, evaluateVisaRequirement } from './visa';

describe('VISA-01 a visa is needed unless the citizenship is exempt from the visa regime (the exempt list is data)', () => {
  it.each([
    [['RUS'], 'VISA_NOT_REQUIRED'],
    [['tur'], 'VISA_NOT_REQUIRED'],
    [['DEU'], 'VISA_REQUIRED'],
    [['IND', 'GEO'], 'VISA_NOT_REQUIRED'],
    [[], 'VISA_REQUIRED'],
  ])('VISA-01 citizenships %j: %s', (citizenships, outcome) => {
    expect(evaluateVisaRequirement(citizenships, '2025-01-01').outcome).toBe(outcome);
  });

  it('VISA-01 a stateless person needs a visa', () => {
    expect(evaluateVisaRequirement([], '2025-01-01').reasons[0].message.en).toMatch(/stateless/);
  });

  it('VISA-01 the exempt list holds valid ISO 3166-1 alpha-3 codes', () => {
    const known = Object.keys(getAlpha3Codes());
    for (const code of parameterValue('VISA_EXEMPT_CITIZENSHIPS', '2025-01-01')) expect(known).toContain(code);
  });

  it('VISA-01 rejects a code that is not alpha-3', () => {
    expect(() => evaluateVisaRequirement(['RU'], '2025-01-01')).toThrow(/alpha-3/);
  });
});

describe('VISA-02 e-Visa: single entry, stay up to 30 days, issued within 3 working days, fee 20 USD', () => {
  it('VISA-02 terms from the parameter table', () => {
    expect(eVisaTerms('2025-01-01')).toMatchObject({ entries: 'SINGLE', maxStayDays: 30, processingWorkingDays: 3, fee: { amount: 20, currency: 'USD' } });
  });

  it.each([
    [30, 'SINGLE', 'WITHIN_TERMS'],
    [31, 'SINGLE', 'OUTSIDE_TERMS'],
    [10, 'MULTIPLE', 'OUTSIDE_TERMS'],
    [0, 'SINGLE', 'OUTSIDE_TERMS'],
  ] as const)('VISA-02 %d days, %s entry: %s', (requestedStayDays, entries, outcome) => {
    expect(evaluateEVisaRequest({ requestedStayDays, entries }, '2025-01-01').outcome).toBe(outcome);
  });
});

describe('VISA-03 visa types: tourist, business, transit, student, medical, work', () => {
  it('VISA-03 lists the six types', () => {
    expect(VISA_TYPES).toEqual(['TOURIST', 'BUSINESS', 'TRANSIT', 'STUDENT', 'MEDICAL', 'WORK']);
  });
});
