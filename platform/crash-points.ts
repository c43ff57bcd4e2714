/**
 * Named places where a test can make the process die as if the machine lost power (SIGKILL: no
 * cleanup, no flush). The product installs no hook, so a crash point does nothing; the crash test
 * starts the registry through a wrapper (test/with-crash-point.ts) that installs one.
 */
export const CRASH_POINTS = ['after-issue-commit', 'after-outbox-delivery'] as const;
export type CrashPoint = (typeof CRASH_POINTS)[number];

let hook: ((name: CrashPoint) => void) | null = null;

export function crashPoint(name: CrashPoint): void {
  hook?.(name);
}

/** Installs what a crash point does (tests only: test/with-crash-point.ts). */
export function onCrashPoint(handler: (name: CrashPoint) => void): void {
  hook = handler;
}
