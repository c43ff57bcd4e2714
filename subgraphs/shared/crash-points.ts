/**
 * Named places where a test can make the process die as if the machine lost power (SIGKILL: no
 * cleanup, no flush). DMX_CRASH_AT names the place; config refuses it in production.
 */
export const CRASH_POINTS = ['after-issue-commit', 'after-outbox-delivery'] as const;
export type CrashPoint = (typeof CRASH_POINTS)[number];

export function crashPoint(name: CrashPoint): void {
  if (process.env.DMX_CRASH_AT === name) process.kill(process.pid, 'SIGKILL');
}
