import { AZERBAIJAN_CALENDAR, buildWorkingCalendar } from './calendar';
import { addWorkingDays, applicationDueDate, isWorkingDay, workingDaysBetween } from './working-days';

describe('CAL-01 processing deadlines count working days: weekends and the public holidays of Azerbaijan are skipped', () => {
  it.each([
    ['2025-01-01', false, 'New Year'],
    ['2025-01-02', false, 'New Year, second day'],
    ['2025-01-03', false, 'Cabinet swap day off'],
    ['2025-01-06', true, 'ordinary Monday'],
    ['2025-03-08', false, "Women's Day on a Saturday"],
    ['2025-03-10', false, "Women's Day moved to Monday"],
    ['2025-03-20', false, 'Novruz'],
    ['2025-03-25', false, 'Novruz day moved from Saturday'],
    ['2025-03-26', false, 'Novruz day moved from Sunday'],
    ['2025-03-27', true, 'working day between Novruz and Ramazan'],
    ['2025-04-01', false, 'Ramazan day moved from Sunday'],
    ['2025-06-09', false, 'Gurban day moved from Saturday'],
    ['2025-06-16', false, 'National Salvation Day moved from Sunday'],
    ['2025-11-10', false, 'Victory Day moved from Saturday'],
    ['2025-11-11', false, 'Flag Day moved from Sunday'],
    ['2025-11-12', true, 'Constitution Day is a working day'],
    ['2025-11-17', true, 'National Revival Day is a working day'],
    ['2025-10-18', false, 'a Saturday (Restoration of Independence Day is not a day off)'],
    ['2024-01-03', false, 'Solidarity Day 2023 (Sunday) moved past New Year'],
    ['2024-04-06', true, 'Saturday made a working day by Cabinet swap'],
    ['2024-04-12', false, 'Friday made a day off by Cabinet swap'],
    ['2024-06-18', false, 'National Salvation Day moved from Saturday'],
    ['2024-06-19', false, 'Gurban day moved from Sunday'],
    ['2024-12-28', true, 'Saturday made a working day by Cabinet swap'],
    ['2026-03-27', false, 'Ramazan coinciding with Novruz, moved'],
    ['2026-03-30', false, 'Ramazan on a Saturday coinciding with Novruz, moved'],
    ['2026-03-31', true, 'first working day after Novruz and Ramazan 2026'],
    ['2026-05-29', false, 'Gurban coinciding with Independence Day, moved'],
    ['2027-01-04', false, 'New Year second day (Saturday) moved'],
  ])('CAL-01 %s working day = %s (%s)', (date, expected) => {
    expect(isWorkingDay(date, AZERBAIJAN_CALENDAR)).toBe(expected);
  });

  it('CAL-01 the submission day is not counted; weekends are skipped', () => {
    expect(addWorkingDays('2025-05-02', 1)).toBe('2025-05-05'); // Friday -> Monday
    expect(addWorkingDays('2025-05-03', 1)).toBe('2025-05-05'); // submitted on a Saturday
    expect(addWorkingDays('2025-05-05', 0)).toBe('2025-05-05');
    expect(workingDaysBetween('2025-10-03', '2025-10-10')).toBe(5);
    expect(workingDaysBetween('2025-05-02', '2025-05-09')).toBe(4); // 9 May is Victory over Fascism Day
  });

  it('CAL-01 a deadline that crosses Novruz moves by the holiday days', () => {
    // 2025-03-18 (Tue) + 3 working days: 19 Mar, then 20-26 Mar are off, 27 Mar, 28 Mar.
    expect(addWorkingDays('2025-03-18', 3)).toBe('2025-03-28');
  });

  it('CAL-01 outside the covered years it throws instead of guessing', () => {
    expect(() => addWorkingDays('2023-06-01', 5)).toThrow(/does not cover 2023/);
    expect(() => addWorkingDays('2027-12-20', 20)).toThrow(/does not cover 2028/);
    expect(() => isWorkingDay('2030-01-01')).toThrow(/CAL-01/);
    expect(() => addWorkingDays('2025-01-01', -1)).toThrow(/whole number/);
  });

  it('CAL-01 marks estimated religious holidays as approximate', () => {
    const gurban2027 = AZERBAIJAN_CALENDAR.holidays.filter((h) => h.date.startsWith('2027-05-1'));
    expect(gurban2027.length).toBe(2);
    expect(gurban2027.every((h) => h.approximate)).toBe(true);
    expect(AZERBAIJAN_CALENDAR.holidays.find((h) => h.date === '2025-03-30')?.approximate).toBe(false);
  });

  it('CAL-01 the transfer rule is computed from data, so a new year needs only its holidays', () => {
    const calendar = buildWorkingCalendar('test', {
      2025: { holidays: [{ date: '2025-06-14', kind: 'PUBLIC_HOLIDAY', name: { az: 'x', en: 'x' } }] },
    });
    expect(isWorkingDay('2025-06-16', calendar)).toBe(false); // Saturday holiday -> Monday
    expect(isWorkingDay('2025-06-17', calendar)).toBe(true);
  });
});

describe('WP-04 TRP-03 VISA-02 due dates of applications in working days', () => {
  it.each([
    // 2025: 10 Mar (Women's Day moved), 20-26 Mar (Novruz), 31 Mar-1 Apr (Ramazan) are off.
    ['WORK_PERMIT', '2025-03-03', 10, '2025-03-18', 'WP-04'],
    ['WORK_PERMIT', '2025-03-03', 15, '2025-04-03', 'WP-04'],
    ['WORK_PERMIT', '2025-03-03', null, '2025-04-10', 'WP-04'], // standard 20 working days
    ['TEMPORARY_RESIDENCE', '2025-03-03', null, '2025-04-24', 'TRP-03'], // 30 working days
    ['E_VISA', '2025-03-19', null, '2025-04-02', 'VISA-02'], // 3 working days across Novruz and Ramazan
    ['E_VISA', '2025-10-03', null, '2025-10-08', 'VISA-02'],
  ] as const)('%s submitted on %s (tier %s) is due on %s', (type, submittedOn, tier, dueOn, ruleId) => {
    const decision = applicationDueDate(type, submittedOn, tier);
    expect(decision.dueOn).toBe(dueOn);
    expect(decision.reasons[0].ruleId).toBe(ruleId);
  });

  it('WP-04 an unknown processing tier is refused', () => {
    expect(() => applicationDueDate('WORK_PERMIT', '2025-03-03', 12)).toThrow(/WP-04/);
  });

  it('CAL-01 types without a deadline say so', () => {
    expect(applicationDueDate('CITIZENSHIP_ADMISSION', '2025-03-03').outcome).toBe('NO_DEADLINE');
  });
});
