import type { GatewayFeature } from '../feature';
import { DASHBOARD_PATH, dashboardPages, type DashboardOptions } from './dashboard-page';

/**
 * The internal dashboard at /dashboard, in development and production: a static page (dashboard/,
 * built by `npm run build`) that calls the graph like any partner, as the internal-dashboard profile,
 * by the hashes of its committed operations. See docs/dashboard.md.
 */
export function useDashboard(options: DashboardOptions): GatewayFeature {
  return { name: 'dashboard', page: dashboardPages(options), pagePaths: [DASHBOARD_PATH] };
}
