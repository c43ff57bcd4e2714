import { ConfigError } from './config';
import { checkDay, DEFAULT_WRITE_DATES, eventDays, notBeforeBirth, relayedDays, writeDatesFrom } from './plausible-dates';

const TODAY = '2026-11-02';

describe('plausible dates of writes', () => {
  const events = eventDays(TODAY, { marginDays: 1 });

  it.each(['1900-01-01', '1985-06-15', TODAY, '2026-11-03'])('takes an event on %s', (day) => {
    expect(() => checkDay(day, 'input.date', events)).not.toThrow();
  });

  it.each([
    ['1000-01-01', /input\.date must lie between 1900-01-01 .* and 2026-11-03 \(today plus WRITE_DATE_MARGIN_DAYS = 1 day\)/],
    ['1899-12-31', /1899-12-31 is not a plausible day/],
    ['2026-11-04', /today plus WRITE_DATE_MARGIN_DAYS = 1 day/],
    ['2999-01-01', /2999-01-01 is not a plausible day/],
  ])('refuses an event on %s with BAD_USER_INPUT naming the field and the margin', (day, message) => {
    let refusal: unknown;
    try {
      checkDay(day, 'input.date', events);
    } catch (error) {
      refusal = error;
    }
    expect(refusal).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', field: 'input.date' } });
    expect((refusal as Error).message).toMatch(message);
  });

  it('a margin of 0 days ends the window today', () => {
    expect(() => checkDay('2026-11-03', 'input.date', eventDays(TODAY, { marginDays: 0 }))).toThrow(/WRITE_DATE_MARGIN_DAYS = 0 days/);
  });

  it("moves the start to the person's birth, never before 1900, and does not tell the birth date", () => {
    const ofPerson = notBeforeBirth(events, '1990-05-01');
    expect(() => checkDay('1990-04-30', 'input.issuedOn', ofPerson)).toThrow(/^input\.issuedOn must lie between the person's birth date and 2026-11-03 \(/);
    expect(() => checkDay('1990-04-30', 'input.issuedOn', ofPerson)).not.toThrow(/1990-05-01/);
    expect(() => checkDay('1990-05-01', 'input.issuedOn', ofPerson)).not.toThrow();
    expect(notBeforeBirth(events, '1850-01-01')).toBe(events);
  });

  it("a day another registry's clock set may lie up to a year ahead (clock skew), not further", () => {
    expect(() => checkDay('2026-12-04', 'input.createdOn', relayedDays(TODAY))).not.toThrow();
    expect(() => checkDay('2999-01-01', 'input.createdOn', relayedDays(TODAY))).toThrow(/2027-11-02 \(a year past today/);
    expect(() => checkDay('1000-01-01', 'input.createdOn', relayedDays(TODAY))).toThrow(/between 1900-01-01/);
  });

  it('a window with no latest end (an expiry) refuses only what is too early', () => {
    const expiry = { earliest: { date: '2020-01-02', label: 'the day after issue' }, latest: null };
    expect(() => checkDay('9999-12-31', 'document.expiresOn', expiry)).not.toThrow();
    expect(() => checkDay('2020-01-01', 'document.expiresOn', expiry)).toThrow(/document\.expiresOn must lie on or after 2020-01-02 \(the day after issue\)/);
  });

  it('reads WRITE_DATE_MARGIN_DAYS (default 1), refusing a bad value by name', () => {
    expect(DEFAULT_WRITE_DATES).toEqual({ marginDays: 1 });
    expect(writeDatesFrom({})).toEqual({ marginDays: 1 });
    expect(writeDatesFrom({ WRITE_DATE_MARGIN_DAYS: '0' })).toEqual({ marginDays: 0 });
    for (const bad of ['-1', '8', '1.5', 'soon']) {
      expect(() => writeDatesFrom({ WRITE_DATE_MARGIN_DAYS: bad })).toThrow(ConfigError);
      expect(() => writeDatesFrom({ WRITE_DATE_MARGIN_DAYS: bad })).toThrow(/WRITE_DATE_MARGIN_DAYS/);
    }
  });
});
