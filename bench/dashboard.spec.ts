import { readFileSync } from 'node:fs';
import path from 'node:path';
import { defaultRange } from '../dashboard/range';
import { dashboardMarkdown, OPERATIONS_PATH, pageRequests, timing, type DashboardMeasurement } from './dashboard.bench';

const RANGE = { from: '2026-08-11', to: '2026-11-02', bucket: 'WEEK' } as const;

describe('the dashboard benchmark', () => {
  const source = readFileSync(OPERATIONS_PATH, 'utf8');

  it("takes the page's requests from the committed operations, with the variables the page sends for its default range", () => {
    const requests = pageRequests(source, RANGE);
    expect(requests.map(({ operationName, variables }) => ({ operationName, variables }))).toEqual([
      { operationName: 'DashboardApplications', variables: { from: '2026-08-11', to: '2026-11-02', bucket: 'WEEK' } },
      { operationName: 'DashboardPermits', variables: { expiryWindows: [30, 60, 90] } },
      { operationName: 'DashboardPayments', variables: { from: '2026-08-11', to: '2026-11-02', bucket: 'WEEK' } },
      { operationName: 'DashboardPresence', variables: {} },
    ]);
    // Each request carries its operation alone, as its text.
    for (const request of requests) expect(request.query).toMatch(new RegExp(`^query ${request.operationName}\\b`));
    expect(requests.every((request) => !request.query.includes('fragment') && (request.query.match(/^query /gm) ?? []).length === 1)).toBe(true);
  });

  it("times the operations the page's views send, no more and no fewer", () => {
    // The views name their operations in dashboard/views.ts (a browser module, read here as text).
    const views = readFileSync(path.resolve(__dirname, '../dashboard/views.ts'), 'utf8');
    const sent = [...views.matchAll(/^\s+operation: '(\w+)',$/gm)].map((match) => match[1]);
    expect(sent).toHaveLength(4);
    expect(pageRequests(source, RANGE).map((request) => request.operationName)).toEqual(sent);
  });

  it("uses the page's default range: the last 12 weeks, today included, by week", () => {
    expect(defaultRange(new Date(2026, 10, 2, 9, 30))).toEqual(RANGE);
    expect(defaultRange(new Date(2026, 2, 1))).toEqual({ from: '2025-12-08', to: '2026-03-01', bucket: 'WEEK' });
  });

  it('refuses an operation with a variable whose value the page gives and the benchmark does not know', () => {
    expect(() => pageRequests('query DashboardVisas($office: String!) { __typename }', RANGE)).toThrow(/DashboardVisas: the page's value of \$office/);
    expect(pageRequests('query DashboardVisas($office: String = "BAKU") { __typename } query Other { __typename }', RANGE)).toEqual([
      expect.objectContaining({ operationName: 'DashboardVisas', variables: { office: 'BAKU' } }),
    ]);
  });

  it('reports p50, p99 and max of a set of times', () => {
    const times = Array.from({ length: 200 }, (_, index) => 200 - index);
    expect(timing('DashboardPermits', times)).toEqual({ name: 'DashboardPermits', requests: 200, p50Ms: 100, p99Ms: 198, maxMs: 200 });
    expect(timing('none', [])).toEqual({ name: 'none', requests: 0, p50Ms: null, p99Ms: null, maxMs: 0 });
  });

  it('renders a row per operation and one for the whole page', () => {
    const result: DashboardMeasurement = {
      persons: 2000,
      fillSeconds: 12.5,
      present: 1200,
      overstaying: null,
      registrationOverdue: 40,
      range: RANGE,
      operations: [timing('DashboardApplications', [4, 5, 6]), timing('DashboardPresence', [2, 3])],
      page: timing('the page (2 requests at once)', [7, 9]),
    };
    const markdown = dashboardMarkdown(result);
    expect(markdown).toContain('## The dashboard page (issue 23)');
    expect(markdown).toContain('2,000 persons (1200 present, withheld overstaying, 40 overdue for registration), filled 12.5 s after');
    expect(markdown).toContain('2026-08-11 to 2026-11-02 by week');
    expect(markdown.split('\n').slice(-4)).toEqual([
      '| --- | --- | --- | --- | --- |',
      '| `DashboardApplications` | 3 | 5 | 6 | 6 |',
      '| `DashboardPresence` | 2 | 2 | 3 | 3 |',
      '| the page (2 requests at once) | 2 | 7 | 9 | 9 |',
    ]);
  });
});
