import { randomInt } from 'node:crypto';

/**
 * `count` decimal digits drawn uniformly by the system's secure generator: the digits of a code or
 * number the public must not guess from another one (payment codes, tracking numbers).
 */
export function randomDigits(count: number): string {
  // randomInt takes ranges under 2^48: up to 14 digits.
  if (!Number.isInteger(count) || count < 1 || count > 14) throw new Error(`randomDigits draws 1 to 14 digits, not ${count}`);
  return String(randomInt(0, 10 ** count)).padStart(count, '0');
}
