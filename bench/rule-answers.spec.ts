import { demoRules } from '../demo/demo-rules';
import { demoHistory } from '../demo/world';
import { RULE_DECISIONS, undeterminedShares, undeterminedTable, type UndeterminedShare } from './rule-answers';

/**
 * Issue 20: over the demo population, no decision whose facts the demo records answers UNDETERMINED.
 * The bench's rules section prints the same shares over its --persons; here a small world, not timed.
 */
describe("the bench's rules section: UNDETERMINED answers over the demo population", () => {
  const day = '2026-11-02';
  const histories = Array.from({ length: 1500 }, (_, index) => demoHistory('dmx-demo-1', index, '2026-11-01', demoRules));
  let shares: UndeterminedShare[];

  beforeAll(async () => {
    shares = await undeterminedShares(histories, day, 400);
  }, 120_000);

  it('answers every decision for every person (stay periods: one answer per period)', () => {
    expect(shares.map((share) => share.key)).toEqual(RULE_DECISIONS.map((decision) => decision.key));
    for (const share of shares.filter((candidate) => candidate.key !== 'stayPeriods')) expect(share.answers).toBe(histories.length);
    expect(shares.find((share) => share.key === 'stayPeriods')!.answers).toBeGreaterThan(histories.length / 2);
  });

  it.each(RULE_DECISIONS.filter((decision) => decision.factsRecorded).map((decision) => [decision.title, decision.key]))(
    '%s: none UNDETERMINED, and more than one outcome',
    (_title, key) => {
      const share = shares.find((candidate) => candidate.key === key)!;
      expect({ key, undetermined: share.undetermined, share: share.share }).toEqual({ key, undetermined: 0, share: 0 });
      expect(Object.keys(share.outcomes).length).toBeGreaterThan(1);
    },
  );

  it('reaches verdicts the demo is built to show: eligible and not for permanent residence and citizenship, work lawful and not', () => {
    const outcomes = (key: string) => shares.find((share) => share.key === key)!.outcomes;
    expect(outcomes('permanentResidence')).toMatchObject({ ELIGIBLE: expect.any(Number), NOT_ELIGIBLE: expect.any(Number) });
    expect(outcomes('citizenshipAdmission')).toMatchObject({ ELIGIBLE: expect.any(Number), NOT_ELIGIBLE: expect.any(Number) });
    expect(outcomes('workAuthorization')).toMatchObject({ AUTHORIZED: expect.any(Number), NOT_AUTHORIZED: expect.any(Number) });
  });

  it('says which decisions read facts no registry records, and prints the shares as a table', () => {
    const restoration = shares.find((share) => share.key === 'citizenshipRestoration')!;
    expect(restoration).toMatchObject({ factsRecorded: false, share: 1 });
    const table = undeterminedTable(shares);
    expect(table.split('\n')).toHaveLength(2 + RULE_DECISIONS.length);
    expect(table).toContain('| work authorization (WP-01, WP-EX-01..21) | 1,500 | 0 | 0.00 % | yes |');
    expect(table).toContain('no: former citizenship and the article 14 restrictions are recorded by no registry');
  });
});
