/**
 * Builds a `Principal` from a verified token's claims. The claims object is untrusted JSON:
 * only own properties are read (a claim named `__proto__` or `constructor` is inert data), every
 * value is type- and format-checked, and the agency comes from the registry entry of the issuer.
 *
 * Claim names (agency identity providers must issue these):
 * - `sub` (required)        pseudonymous user id at the agency, ≤ 256 chars
 * - `clearance` (required)  clearance level name, e.g. `CONFIDENTIAL`
 * - `roles`                 list of role names (default none)
 * - `purposes`              list of purpose codes the user may invoke (default none)
 * - `cases`                 list of case / JIT references the user is a member of (default none)
 * - `agency` (optional)     if present it must equal the issuer's agency, else `agency_mismatch`
 * - `jti` (optional)        token id, kept for audit correlation
 */
import { UnauthenticatedError } from '../errors';
import type { Principal } from './principal';
import type { AgencyEntry } from './trust-registry';

// eslint-disable-next-line no-control-regex -- matching control characters is the point
const SUBJECT = /^[^\u0000-\u001f\u007f]{1,256}$/;
const ROLE = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$/;
const CLEARANCE = /^[A-Za-z][A-Za-z0-9_-]{0,63}$/;
const PURPOSE = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;
const CASE_REF = /^[A-Za-z0-9][A-Za-z0-9_./:-]{0,127}$/;
const MAX_LIST = 256;

/** Throws `UnauthenticatedError` `invalid_claims` or `agency_mismatch`. */
export function principalFromClaims(claims: Record<string, unknown>, agency: AgencyEntry): Principal {
  const own = (name: string): unknown => (Object.hasOwn(claims, name) ? claims[name] : undefined);

  const claimedAgency = own('agency');
  if (claimedAgency !== undefined && claimedAgency !== agency.id) {
    // The issuer decides the agency; a token claiming another one is forged or misconfigured.
    throw new UnauthenticatedError('agency_mismatch', "the token's agency claim does not match its issuer");
  }
  const subject = own('sub');
  if (typeof subject !== 'string' || !SUBJECT.test(subject)) throw invalid('sub');
  const clearance = own('clearance');
  if (typeof clearance !== 'string' || !CLEARANCE.test(clearance)) throw invalid('clearance');
  const jti = own('jti');
  if (jti !== undefined && (typeof jti !== 'string' || !SUBJECT.test(jti))) throw invalid('jti');

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
