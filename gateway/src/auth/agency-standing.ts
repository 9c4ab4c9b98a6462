/**
 * An agency's standing under the Law Enforcement Directive (Directive (EU) 2016/680): whether
 * sharing with it is a transfer to a third country or an international organisation (Chapter V)
 * or stays within the Union. Written in `agencies.yaml` (`standing:`) or, when left out, derived
 * from the agency's country — a country that is neither a Member State nor a Schengen-associated
 * state, nor `EU`, is a third country: an unknown country never counts as inside the Union.
 */

/** `member-state`: an authority of an EU Member State or a Schengen-associated state; `eu-body`: an EU agency (Europol, Eurojust). */
export type AgencyStanding = 'member-state' | 'eu-body' | 'third-country' | 'international-organisation';

export const AGENCY_STANDINGS: readonly AgencyStanding[] = ['member-state', 'eu-body', 'third-country', 'international-organisation'];

/** EU Member States (ISO 3166 alpha-2; Greece as GR or EL) and the Schengen-associated states (IS, LI, NO, CH). */
const MEMBER_STATES: ReadonlySet<string> = new Set([
  'AT', 'BE', 'BG', 'HR', 'CY', 'CZ', 'DK', 'EE', 'FI', 'FR', 'DE', 'GR', 'EL', 'HU', 'IE', 'IT', 'LV', 'LT', 'LU', 'MT', 'NL',
  'PL', 'PT', 'RO', 'SK', 'SI', 'ES', 'SE', 'IS', 'LI', 'NO', 'CH',
]);

/** Standing a country implies (`EU` → an EU body). */
export function standingOfCountry(country: string): Exclude<AgencyStanding, 'international-organisation'> {
  if (country === 'EU') return 'eu-body';
  return MEMBER_STATES.has(country) ? 'member-state' : 'third-country';
}

/** Whether sharing personal data with an agency of this standing is a transfer under LED Chapter V. */
export function isTransferRecipient(standing: AgencyStanding): boolean {
  return standing === 'third-country' || standing === 'international-organisation';
}

/**
 * Why `standing` contradicts `country`, or undefined. An international organisation may sit in any
 * country; the others must match what the country implies (a Colombian authority cannot be declared
 * a Member State's).
 */
export function standingProblem(standing: AgencyStanding, country: string): string | undefined {
  if (standing === 'international-organisation') return undefined;
  const implied = standingOfCountry(country);
  return implied === standing ? undefined : `${standing} does not fit country ${country} (${country} is ${implied === 'eu-body' ? 'the EU itself' : `a ${implied}`})`;
}
