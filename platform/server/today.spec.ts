import { todayFrom } from './subgraph-app';

describe("today's date of a subgraph request", () => {
  it('is the date in Baku (UTC+4), and changes exactly at Baku midnight', () => {
    let now = new Date('2026-11-21T19:59:59.999Z');
    const today = todayFrom(() => now);
    expect(today()).toBe('2026-11-21');
    now = new Date('2026-11-21T20:00:00.000Z');
    expect(today()).toBe('2026-11-22');
    now = new Date('2026-11-21T19:59:30.000Z');
    expect(today()).toBe('2026-11-21');
  });
});
