import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseManifest } from '../persisted-operations/persisted-operations';
import { contentSecurityPolicy, dashboardOperations } from './dashboard-page';

describe('the dashboard page', () => {
  it("finds its views' operations in the committed manifest by name, and no other", () => {
    const manifest = parseManifest(readFileSync(path.resolve(__dirname, '../../../schema/persisted-operations.json'), 'utf8'));
    const operations = dashboardOperations(manifest);
    for (const name of ['DashboardApplications', 'DashboardPermits', 'DashboardPayments'] as const) {
      expect(manifest.operations[operations[name]!]).toMatch(new RegExp(`^query ${name}\\b`));
    }
    // The cross-registry `Dashboard` operation is not one of the page's views.
    expect(Object.keys(operations).every((name) => name.startsWith('Dashboard') && name !== 'Dashboard')).toBe(true);
  });

  it('lets the page connect to the gateway, and to the identity provider only when one is configured', () => {
    expect(contentSecurityPolicy()).toContain("connect-src 'self';");
    expect(contentSecurityPolicy({ issuer: 'https://id.migration.gov.az/realms/staff', clientId: 'c', scope: 'openid' })).toContain("connect-src 'self' https://id.migration.gov.az;");
    expect(contentSecurityPolicy()).toMatch(/^default-src 'none'; script-src 'self'; style-src 'self';/);
  });
});
