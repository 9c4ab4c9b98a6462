import { IdentifierError } from '../errors';
import { COUNTRY_CODES } from './country-codes';
import { shownValue } from './shown-value';

/** Why `value` is not a canonical UN/LOCODE, or null when it is one. */
export function inspectUnLocode(value: string): IdentifierError | null {
  const fail = (reason: string, problem: string) =>
    new IdentifierError('un-locode', value, reason, `UN/LOCODE ${shownValue(value)}: ${problem}`);
  if (/\s/.test(value)) return fail('spaces', 'must not contain spaces (e.g. NLRTM)');
  if (!/^[A-Za-z]{2}[A-Za-z0-9]{3}$/.test(value)) {
    return fail('format', 'must be a 2-letter country code and 3 letters or digits 2-9');
  }
  if (value !== value.toUpperCase()) return fail('case', 'letters must be upper case');
  if (!/^[A-Z2-9]{3}$/.test(value.slice(2))) return fail('format', 'location part may use only letters and digits 2-9');
  const country = value.slice(0, 2);
  if (!COUNTRY_CODES.has(country)) return fail('country', `${country} is not an ISO 3166 country code`);
  return null;
}

/**
 * Checks a UN/LOCODE: ISO 3166 country code and 3 characters from A-Z and 2-9
 * (0 and 1 are excluded to avoid confusion with O and I).
 *
 * @returns null when valid, else a message such as `UN/LOCODE QQRTM: QQ is not an ISO 3166 country code`.
 */
export function checkUnLocode(value: string): string | null {
  return inspectUnLocode(value)?.message ?? null;
}
