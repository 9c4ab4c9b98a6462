import { IdentifierError } from '../errors';
import { ibanLength } from './iban-lengths';
import { shownValue } from './shown-value';

/** The IBAN number (letters as 10..35) modulo 97, computed piecewise to stay in safe integers. */
function mod97(alnum: string): number {
  let rest = 0;
  for (const ch of alnum) {
    const code = ch.charCodeAt(0);
    const digits = code >= 65 ? String(code - 55) : ch;
    for (const d of digits) rest = (rest * 10 + Number(d)) % 97;
  }
  return rest;
}

/** The two check digits that make `country + ?? + bban` pass mod-97. */
function checkDigitsFor(country: string, bban: string): string {
  const remainder = mod97(`${bban}${country}00`);
  return String(98 - remainder).padStart(2, '0');
}

/**
 * Builds a valid IBAN from a country code and a BBAN by computing its check digits
 * (for seeding synthetic data).
 *
 * @throws IdentifierError when the country is unknown or the result has the wrong length.
 */
export function ibanFor(countryCode: string, bban: string): string {
  if (!/^[A-Z]{2}$/.test(countryCode) || !/^[A-Z0-9]+$/.test(bban)) {
    throw new IdentifierError(
      'iban',
      `${countryCode}??${bban}`,
      'format',
      `IBAN ${shownValue(`${countryCode}??${bban}`)}: country must be 2 capital letters and BBAN capital letters and digits`,
    );
  }
  const iban = `${countryCode}${checkDigitsFor(countryCode, bban)}${bban}`;
  const problem = inspectIban(iban);
  if (problem) throw problem;
  return iban;
}

/** Why `value` is not a canonical IBAN, or null when it is one. */
export function inspectIban(value: string): IdentifierError | null {
  const fail = (reason: string, problem: string) =>
    new IdentifierError('iban', value, reason, `IBAN ${shownValue(value)}: ${problem}`);
  if (/\s/.test(value)) {
    const compact = value.replace(/\s+/g, '');
    return fail('spaces', `must not contain spaces (write ${shownValue(compact)})`);
  }
  if (!/^[A-Za-z]{2}[0-9]{2}[A-Za-z0-9]{1,30}$/.test(value)) {
    return fail('format', 'must be a 2-letter country code, 2 check digits and up to 30 letters or digits');
  }
  if (value !== value.toUpperCase()) return fail('case', 'letters must be upper case');
  const country = value.slice(0, 2);
  const length = ibanLength(country);
  if (length === undefined) return fail('country', `country ${country} is not a known IBAN country`);
  if (value.length !== length) {
    return fail('length', `an IBAN from ${country} has ${length} characters, not ${value.length}`);
  }
  if (mod97(`${value.slice(4)}${value.slice(0, 4)}`) !== 1) {
    return fail('check_digit', `check digits should be ${checkDigitsFor(country, value.slice(4))}`);
  }
  return null;
}

/**
 * Checks an IBAN in its canonical electronic form (no spaces, upper case): known
 * country, the country's length, mod-97 == 1.
 *
 * @returns null when valid, else a message such as `IBAN NL91ABNA0417164301: check digits should be 37`.
 */
export function checkIban(value: string): string | null {
  return inspectIban(value)?.message ?? null;
}
