/**
 * Builds a `Principal` from a verified token's claims. The claims object is untrusted JSON:
 * only own properties are read (a claim named `__proto__` or `constructor` is inert data), every
 * value is type- and format-checked, and the agency comes from the registry entry of the issuer.
 *
 * Claim names (agency identity providers must issue these):
 * - `sub` (required)        pseudonymous user id at the agency, ≤ 256 chars, any text but control
 *                           and bidi formatting characters (kept exactly, in UTF-8, in the audit record)
 * - `clearance` (required)  clearance level name, e.g. `CONFIDENTIAL`
 * - `roles`                 list of role names (default none)
 * - `purposes`              list of purpose codes the user may invoke (default none)
 * - `cases`                 list of case / JIT references the user is a member of (default none)
 * - `agency` (optional)     if present it must equal the issuer's agency, else `agency_mismatch`
 * - `jti` (optional)        token id, kept for audit correlation
 */
import { BadUserInputError, UnauthenticatedError } from '../errors';
import type { Principal } from './principal';
import { hasControlCharacters } from './text-rules';
import type { AgencyEntry } from './trust-registry';

/** Longest `sub` / `jti`, in UTF-16 code units. */
const MAX_TEXT_CLAIM = 256;
const ROLE = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$/;
const CLEARANCE = /^[A-Za-z][A-Za-z0-9_-]{0,63}$/;
const PURPOSE = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;
const CASE_REF = /^[A-Za-z0-9][A-Za-z0-9_./:-]{0,127}$/;
const MAX_LIST = 256;

/** Throws `UnauthenticatedError` `invalid_claims` or `agency_mismatch`, `BadUserInputError` `control_characters`. */
export function principalFromClaims(claims: Record<string, unknown>, agency: AgencyEntry): Principal {
  const own = (name: string): unknown => (Object.hasOwn(claims, name) ? claims[name] : undefined);

  const claimedAgency = own('agency');
  if (claimedAgency !== undefined && claimedAgency !== agency.id) {
    // The issuer decides the agency; a token claiming another one is forged or misconfigured.
    throw new UnauthenticatedError('agency_mismatch', "the token's agency claim does not match its issuer");
  }
  const subject = textClaim(own('sub'), 'sub');
  if (subject === undefined) throw invalid('sub');
  const clearance = own('clearance');
  if (typeof clearance !== 'string' || !CLEARANCE.test(clearance)) throw invalid('clearance');
  const rawJti = own('jti');
  const jti = rawJti === undefined ? undefined : textClaim(rawJti, 'jti');
  if (rawJti !== undefined && jti === undefined) throw invalid('jti');

  const principal: Principal = {
    subject,
    agency: agency.id,
    issuer: agency.identityProvider.issuer,
    roles: readList(own('roles'), 'roles', ROLE),
    clearance,
    purposes: readList(own('purposes'), 'purposes', PURPOSE),
    cases: readList(own('cases'), 'cases', CASE_REF),
    ...(typeof jti === 'string' ? { tokenId: jti } : {}),
  };
  return Object.freeze(principal);
}

/**
 * A free-text claim kept exactly as issued (any Unicode text round-trips into the audit record),
 * or refused: control and bidi formatting characters would let a token rewrite how the audit
 * trail reads, so they are refused as bad input (400), naming the claim, never its value.
 */
function textClaim(value: unknown, claim: string): string | undefined {
  if (typeof value !== 'string' || value.length === 0 || value.length > MAX_TEXT_CLAIM) return undefined;
  if (hasControlCharacters(value)) {
    throw new BadUserInputError('control_characters', `the token's "${claim}" claim contains control or bidi formatting characters`);
  }
  return value;
}

function readList(value: unknown, claim: string, pattern: RegExp): ReadonlySet<string> {
  if (value === undefined) return new Set();
  if (!Array.isArray(value) || value.length > MAX_LIST) throw invalid(claim);
  const out = new Set<string>();
  for (const item of value) {
    if (typeof item !== 'string' || !pattern.test(item)) throw invalid(claim);
    out.add(item);
  }
  return out;
}

function invalid(claim: string): UnauthenticatedError {
  // Names the claim (useful to an integrator) but never echoes its value.
  return new UnauthenticatedError('invalid_claims', `the token's "${claim}" claim is missing or malformed`);
}
