import { PARAMETER_TABLE, parameterAt, parameterValue } from './parameters';
import { addMonths, continuousCoverageStart, dayOfWeek, inclusiveDays } from './dates';

describe('parameters: one table, looked up by name and date; seed values in force by default', () => {
  it('REG-02 seed 10 days by default, 15 only in the published-practice variant', () => {
    expect(parameterValue('REG_DEADLINE_DAYS_AFTER_ARRIVAL', '2025-01-01')).toBe(10);
    expect(parameterValue('REG_DEADLINE_DAYS_AFTER_ARRIVAL', '2025-01-01', 'PUBLISHED_PRACTICE')).toBe(15);
  });

  it('WP-05 TRP-01 published-practice variants; a variant without its own row falls back to the seed', () => {
    expect(parameterValue('WP_MAX_TERM_MONTHS', '2025-01-01')).toBe(24);
    expect(parameterValue('WP_MAX_TERM_MONTHS', '2025-01-01', 'PUBLISHED_PRACTICE')).toBe(12);
    expect(parameterValue('TRP_MAX_TERM_MONTHS', '2025-01-01', 'PUBLISHED_PRACTICE')).toBe(36);
    expect(parameterValue('STAY_VISA_FREE_MAX_DAYS', '2025-01-01', 'PUBLISHED_PRACTICE')).toBe(90);
  });

  it('every row has a citation and an effective date; a date before the table throws', () => {
    for (const row of PARAMETER_TABLE) {
      expect(row.citation.length).toBeGreaterThan(0);
      expect(row.effectiveFrom).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    }
    expect(() => parameterAt('STAY_VISA_FREE_MAX_DAYS', '1899-12-31')).toThrow(/No value/);
  });

  it('PR-RF-10 CIT-01 thresholds are parameters', () => {
    expect(parameterValue('PR_RF_MAX_DAYS_ABROAD_PER_YEAR', '2025-01-01')).toBe(180);
    expect(parameterValue('CIT_MIN_CONTINUOUS_PERMANENT_RESIDENCE_YEARS', '2025-01-01')).toBe(5);
  });
});

describe('dates: UTC calendar arithmetic', () => {
  it('leap years and month ends', () => {
    expect(addMonths('2024-01-31', 1)).toBe('2024-02-29');
    expect(addMonths('2024-02-29', 12)).toBe('2025-02-28');
    expect(inclusiveDays('2024-02-28', '2024-03-01')).toBe(3);
    expect(inclusiveDays('2023-02-28', '2023-03-01')).toBe(2);
    expect(dayOfWeek('2025-03-22')).toBe(6);
  });

  it('continuous coverage chains touching intervals only', () => {
    expect(continuousCoverageStart([{ from: '2024-01-01', until: '2024-06-30' }, { from: '2024-07-01', until: null }], '2025-01-01')).toBe('2024-01-01');
    expect(continuousCoverageStart([{ from: '2024-01-01', until: '2024-06-29' }, { from: '2024-07-01', until: null }], '2025-01-01')).toBe('2024-07-01');
    expect(continuousCoverageStart([{ from: '2024-01-01', until: '2024-06-30' }], '2025-01-01')).toBeNull();
  });
});
