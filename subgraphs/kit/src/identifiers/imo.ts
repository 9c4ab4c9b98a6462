import { IdentifierError } from '../errors';
import { shownValue } from './shown-value';

/**
 * The IMO check digit of a ship's first six digits: digits weighted 7, 6, 5, 4, 3, 2,
 * summed, modulo 10.
 *
 * @throws IdentifierError when `first6` is not six digits.
 */
export function imoCheckDigit(first6: string): number {
  if (!/^[0-9]{6}$/.test(first6)) {
    throw new IdentifierError('imo', first6, 'format', `IMO number ${shownValue(first6)}: the first 6 characters must be digits`);
  }
  let sum = 0;
  for (let i = 0; i < 6; i++) sum += Number(first6.charAt(i)) * (7 - i);
  return sum % 10;
}

/** Why `value` is not a canonical IMO number, or null when it is one. */
export function inspectImo(value: string): IdentifierError | null {
  const fail = (reason: string, problem: string) =>
    new IdentifierError('imo', value, reason, `IMO number ${shownValue(value)}: ${problem}`);
  if (/^IMO/i.test(value)) return fail('prefix', 'write the 7 digits without the IMO prefix');
  if (!/^[0-9]{7}$/.test(value)) return fail('format', 'must be 7 digits');
  const expected = imoCheckDigit(value.slice(0, 6));
  if (Number(value.charAt(6)) !== expected) return fail('check_digit', `check digit should be ${expected}`);
  return null;
}

/**
 * Checks an IMO ship identification number in its canonical form: exactly 7 digits,
 * no `IMO ` prefix.
 *
 * @returns null when valid, else a message such as `IMO number 9074728: check digit should be 9`.
 */
export function checkImo(value: string): string | null {
  return inspectImo(value)?.message ?? null;
}
