/**
 * The first stage of every request: who is asking (bearer token) and why (declared purpose).
 * Runs before the body is parsed or planned; a request without a verified principal and an
 * acceptable purpose goes no further.
 *
 * Headers:
 * - `authorization: Bearer <jwt>` — exactly one
 * - `x-purpose: <code>` — a code of `policies/purposes.yaml` that the token's `purposes` claim permits
 * - `x-justification: <text>` — required where the purpose says so; ≤ `maxJustificationLength`
 *   characters, no control characters
 * - `x-case-ref: <reference>` — optional, e.g. `NL-ONB-2024-0456`, `EJ-2024-0173`, `JIT-2024-07`
 */
import { UnauthenticatedError } from '../errors';
import type { DeclaredPurpose, Principal } from './principal';
import type { PurposeRegistry } from './purposes';
import type { TokenVerifier } from './verify-token';

/** Incoming headers as Node gives them (lower-case names). */
export type RequestHeaders = Readonly<Record<string, string | string[] | undefined>>;

/** What {@link authenticateRequest} needs. */
export interface AuthenticateDeps {
  readonly verifier: TokenVerifier;
  readonly purposes: PurposeRegistry;
  /** Longest accepted `x-justification`, in characters. Default 1 000. */
  readonly maxJustificationLength?: number;
}

/** The verified identity and declared purpose of one request. */
export interface Authenticated {
  readonly principal: Principal;
  readonly purpose: DeclaredPurpose;
}

const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i;
const PURPOSE_CODE = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;
/** Agency / case references: upper-case groups joined by dashes, at least two groups. */
const CASE_REF = /^[A-Z0-9]+(-[A-Z0-9]+){1,7}$/;
const MAX_CASE_REF = 64;
// C0 and C1 controls, DEL, and Unicode line/paragraph separators and bidi overrides (log and display injection).
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

/**
 * Authenticates one request from its headers. Rejects with `UnauthenticatedError` (401) whose
 * `reason` is one of `missing_token`, `bad_header`, `token_too_large`, `missing_purpose`,
 * `unknown_purpose`, `justification_required`, `purpose_not_permitted`, or a token reason of
 * {@link TokenVerifier.verify}.
 */
export async function authenticateRequest(headers: RequestHeaders, deps: AuthenticateDeps): Promise<Authenticated> {
  const token = bearerToken(headers);

  const code = single(headers, 'x-purpose');
  if (code === undefined || code.trim() === '') throw new UnauthenticatedError('missing_purpose', 'the x-purpose header is required');
  if (!PURPOSE_CODE.test(code)) throw new UnauthenticatedError('unknown_purpose', 'x-purpose is not a known purpose code');
  const purpose = deps.purposes.get(code);
  if (!purpose) throw new UnauthenticatedError('unknown_purpose', 'x-purpose is not a known purpose code');

  const justification = readJustification(headers, deps.maxJustificationLength ?? 1000);
  if (purpose.justificationRequired && justification === undefined) {
    throw new UnauthenticatedError('justification_required', `purpose ${purpose.code} requires an x-justification header`);
  }
  const caseRef = single(headers, 'x-case-ref');
  if (caseRef !== undefined && (caseRef.length > MAX_CASE_REF || !CASE_REF.test(caseRef))) {
    throw new UnauthenticatedError('bad_header', 'x-case-ref is not a case reference (e.g. NL-ONB-2024-0456)');
  }

  const principal = await deps.verifier.verify(token);
  if (!principal.purposes.has(purpose.code)) {
    throw new UnauthenticatedError('purpose_not_permitted', `the token does not permit purpose ${purpose.code}`);
  }
  const declared: DeclaredPurpose = {
    code: purpose.code,
    ...(justification !== undefined ? { justification } : {}),
    ...(caseRef !== undefined ? { caseRef } : {}),
  };
  return { principal, purpose: Object.freeze(declared) };
}

function bearerToken(headers: RequestHeaders): string {
  const value = single(headers, 'authorization');
  if (value === undefined || value.trim() === '') throw new UnauthenticatedError('missing_token', 'no bearer token (authorization: Bearer <token>)');
  const match = BEARER.exec(value);
  if (!match?.[1]) throw new UnauthenticatedError('bad_header', 'the authorization header must be "Bearer <token>"');
  return match[1];
}

function readJustification(headers: RequestHeaders, max: number): string | undefined {
  const raw = single(headers, 'x-justification');
  if (raw === undefined) return undefined;
  const text = raw.trim();
  if (text === '') return undefined;
  if (text.length > max) throw new UnauthenticatedError('bad_header', `x-justification is longer than ${max} characters`);
  if (CONTROL.test(text)) throw new UnauthenticatedError('bad_header', 'x-justification contains control characters');
  return text;
}

/** A header that must appear at most once: several values (an array) are refused, not merged. */
function single(headers: RequestHeaders, name: string): string | undefined {
  const value = Object.hasOwn(headers, name) ? headers[name] : undefined;
  if (Array.isArray(value)) {
    if (value.length === 1) return value[0];
    throw new UnauthenticatedError('bad_header', `the ${name} header must appear once`);
  }
  return value;
}
