import { IdentifierError } from '../errors';
import { shownValue } from './shown-value';

/**
 * ISO 6346 letter values: A=10 upwards, skipping multiples of 11 (11, 22, 33) so that
 * no letter is worth the same as another modulo 11.
 */
const LETTER_VALUES: ReadonlyMap<string, number> = (() => {
  const values = new Map<string, number>();
  let v = 10;
  for (let c = 65; c <= 90; c++) {
    if (v % 11 === 0) v++;
    values.set(String.fromCharCode(c), v);
    v++;
  }
  return values;
})();

const CATEGORIES = new Set(['U', 'J', 'Z']);

function charValue(ch: string): number {
  const letter = LETTER_VALUES.get(ch);
  if (letter !== undefined) return letter;
  return ch.charCodeAt(0) - 48;
}

/**
 * The ISO 6346 check digit of the first ten characters (owner code, category, serial):
 * the sum of each character's value times 2^position, modulo 11, with 10 written as 0.
 *
 * @throws IdentifierError when `first10` is not 4 capital letters and 6 digits.
 */
export function containerCheckDigit(first10: string): number {
  if (!/^[A-Z]{4}[0-9]{6}$/.test(first10)) {
    throw new IdentifierError(
      'container-number',
      first10,
      'format',
      `container number ${shownValue(first10)}: the first 10 characters must be 4 letters and 6 digits`,
    );
  }
  let sum = 0;
  for (let i = 0; i < 10; i++) sum += charValue(first10.charAt(i)) * 2 ** i;
  return (sum % 11) % 10;
}

/** Why `value` is not a canonical ISO 6346 container number, or null when it is one. */
export function inspectContainerNumber(value: string): IdentifierError | null {
  const fail = (reason: string, problem: string) =>
    new IdentifierError('container-number', value, reason, `container number ${shownValue(value)}: ${problem}`);
  if (/\s/.test(value)) return fail('spaces', 'must not contain spaces (4 letters and 7 digits, e.g. MSCU1234566)');
  if (!/^[A-Za-z]{4}[0-9]{7}$/.test(value)) return fail('format', 'must be 4 letters and 7 digits');
  if (value !== value.toUpperCase()) return fail('case', 'letters must be upper case');
  const category = value.charAt(3);
  if (!CATEGORIES.has(category)) return fail('category', `category letter must be U, J or Z, not ${category}`);
  const expected = containerCheckDigit(value.slice(0, 10));
  if (Number(value.charAt(10)) !== expected) return fail('check_digit', `check digit should be ${expected}`);
  return null;
}

/**
 * Checks an ISO 6346 container number (4 letters: owner code + category U/J/Z, 6-digit
 * serial, 1 check digit).
 *
 * @returns null when valid, else a message such as
 *   `container number MSCU1234567: check digit should be 6`.
 */
export function checkContainerNumber(value: string): string | null {
  return inspectContainerNumber(value)?.message ?? null;
}
