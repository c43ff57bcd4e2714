/**
 * Payment codes: eleven digits (random for the codes the payments registry issues) and a Luhn check
 * digit, so a mistyped code is caught before any lookup.
 */

/** Luhn check digit of a string of digits. */
export function luhnCheckDigit(digits: string): string {
  let sum = 0;
  for (let i = 0; i < digits.length; i += 1) {
    let digit = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 0) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return String((10 - (sum % 10)) % 10);
}

export function hasValidLuhn(code: string): boolean {
  return /^\d{2,}$/.test(code) && luhnCheckDigit(code.slice(0, -1)) === code.slice(-1);
}
