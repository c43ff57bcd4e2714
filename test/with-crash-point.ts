import path from 'node:path';
import { CRASH_POINTS, onCrashPoint, type CrashPoint } from '../platform/crash-points';

/**
 * Starts a registry (the main module named by the first argument) that dies at the crash point
 * DMX_CRASH_AT names, as if the machine lost power (SIGKILL: no cleanup, no flush). Only the crash
 * test starts a registry this way; the product never reads DMX_CRASH_AT.
 */
const [entry] = process.argv.slice(2);
const crashAt = process.env.DMX_CRASH_AT || undefined;
if (!entry) {
  console.error('usage: with-crash-point.ts <registry main module>');
  process.exit(1);
}
if (crashAt !== undefined && !(CRASH_POINTS as readonly string[]).includes(crashAt)) {
  console.error(`DMX_CRASH_AT: must be one of ${CRASH_POINTS.join(', ')}`);
  process.exit(1);
}
if (crashAt) {
  onCrashPoint((name: CrashPoint) => {
    if (name === crashAt) process.kill(process.pid, 'SIGKILL');
  });
}
// After the hook: the registry starts on require.
require(path.resolve(entry));
