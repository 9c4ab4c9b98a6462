/**
 * The first stage of every request: who is asking (bearer token) and why (declared purpose).
 * Runs before the body is parsed or planned; a request without a verified principal and an
 * acceptable purpose goes no further.
 *
 * Headers:
 * - `authorization: Bearer <jwt>` — exactly one
 * - `x-purpose: <code>` — a code of `policies/purposes.yaml` that the token's `purposes` claim permits
 * - `x-justification: <text>` — required where the purpose says so; UTF-8, ≤ `maxJustificationLength`
 *   characters, no control or bidi formatting characters
 * - `x-case-ref: <reference>` — optional, e.g. `NL-ONB-2024-0456`, `EJ-2024-0173`, `JIT-2024-07`;
 *   must be one of the token's `cases`
 *
 * Order of checks (pinned by the tests): the headers' form first, without touching the token
 * (401 for the bearer header and the purpose code, 400 for malformed text); then the token (401);
 * then what the verified principal may declare — purpose permitted, justification given, case
 * one of its own — refused 403 with {@link PrincipalRefusedError}, which carries the principal
 * so that the refusal is recorded against it: misuse is attributable.
 */
import { BadUserInputError, ForbiddenError, UnauthenticatedError } from '../errors';
import type { DeclaredPurpose, Principal } from './principal';
import type { PurposeRegistry } from './purposes';
import { hasControlCharacters, headerText } from './text-rules';
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

/**
 * A verified principal declared what it may not (`purpose_not_permitted`,
 * `justification_required`, `case_not_permitted`): 403, recorded with the principal.
 */
export class PrincipalRefusedError extends ForbiddenError {
  constructor(
    reason: 'purpose_not_permitted' | 'justification_required' | 'case_not_permitted',
    message: string,
    /** Who asked, and what it declared. */
    readonly identity: Authenticated,
  ) {
    super(reason, message);
  }
}

const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i;
const PURPOSE_CODE = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;
/** Agency / case references: upper-case groups joined by dashes, at least two groups. */
const CASE_REF = /^[A-Z0-9]+(-[A-Z0-9]+){1,7}$/;
const MAX_CASE_REF = 64;

/**
 * Authenticates one request from its headers. Rejects with `UnauthenticatedError` (401: reason
 * `missing_token`, `bad_header`, `token_too_large`, `missing_purpose`, `unknown_purpose`, or a
 * token reason of {@link TokenVerifier.verify}), `BadUserInputError` (400: `bad_header`,
 * `control_characters`, `invalid_claims` for a `sub` with control characters) or
 * {@link PrincipalRefusedError} (403).
 */
export async function authenticateRequest(headers: RequestHeaders, deps: AuthenticateDeps): Promise<Authenticated> {
  const token = bearerToken(headers);

  const code = single(headers, 'x-purpose');
  if (code === undefined || code.trim() === '') throw new UnauthenticatedError('missing_purpose', 'the x-purpose header is required');
  if (!PURPOSE_CODE.test(code)) throw new UnauthenticatedError('unknown_purpose', 'x-purpose is not a known purpose code');
  const purpose = deps.purposes.get(code);
  if (!purpose) throw new UnauthenticatedError('unknown_purpose', 'x-purpose is not a known purpose code');
  const justification = readJustification(headers, deps.maxJustificationLength ?? 1000);
  const caseRef = readCaseRef(headers);

  const principal = await deps.verifier.verify(token);
  const declared: DeclaredPurpose = Object.freeze({
    code: purpose.code,
    ...(justification !== undefined ? { justification } : {}),
    ...(caseRef !== undefined ? { caseRef } : {}),
  });
  const identity: Authenticated = { principal, purpose: declared };
  if (!principal.purposes.has(purpose.code)) {
    throw new PrincipalRefusedError('purpose_not_permitted', `the token does not permit purpose ${purpose.code}`, identity);
  }
  if (purpose.justificationRequired && justification === undefined) {
    throw new PrincipalRefusedError('justification_required', `purpose ${purpose.code} requires an x-justification header`, identity);
  }
  if (caseRef !== undefined && !principal.cases.has(caseRef)) {
    throw new PrincipalRefusedError('case_not_permitted', `x-case-ref ${caseRef} is not one of the token's cases`, identity);
  }
  return identity;
}

/** The bearer token a request presents, without judging it (undefined when there is none, or not one). */
export function presentedToken(headers: RequestHeaders): string | undefined {
  const value = Object.hasOwn(headers, 'authorization') ? headers.authorization : undefined;
  if (typeof value !== 'string') return undefined;
  return BEARER.exec(value)?.[1];
}

function bearerToken(headers: RequestHeaders): string {
  const value = single(headers, 'authorization');
  if (value === undefined || value.trim() === '') throw new UnauthenticatedError('missing_token', 'no bearer token (authorization: Bearer <token>)');
  const match = BEARER.exec(value);
  if (!match?.[1]) throw new UnauthenticatedError('bad_header', 'the authorization header must be "Bearer <token>"');
  return match[1];
}

/** A free-text header as faithful UTF-8 text, or refused (400). */
function textHeader(headers: RequestHeaders, name: string): string | undefined {
  const raw = single(headers, name, (reason, message) => new BadUserInputError(reason, message));
  if (raw === undefined) return undefined;
  const text = headerText(raw);
  if (text === undefined) throw new BadUserInputError('bad_header', `${name} is not valid UTF-8`);
  if (hasControlCharacters(text)) throw new BadUserInputError('control_characters', `${name} contains control or bidi formatting characters`);
  return text.trim();
}

function readJustification(headers: RequestHeaders, max: number): string | undefined {
  const text = textHeader(headers, 'x-justification');
  if (text === undefined || text === '') return undefined;
  if (text.length > max) throw new BadUserInputError('bad_header', `x-justification is longer than ${max} characters`);
  return text;
}

function readCaseRef(headers: RequestHeaders): string | undefined {
  const ref = textHeader(headers, 'x-case-ref');
  if (ref === undefined) return undefined;
  if (ref.length > MAX_CASE_REF || !CASE_REF.test(ref)) throw new BadUserInputError('bad_header', 'x-case-ref is not a case reference (e.g. NL-ONB-2024-0456)');
  return ref;
}

type Refusal = (reason: string, message: string) => Error;
const unauthenticated: Refusal = (reason, message) => new UnauthenticatedError(reason, message);

/** A header that must appear at most once: several values (an array) are refused, not merged. */
function single(headers: RequestHeaders, name: string, refuse: Refusal = unauthenticated): string | undefined {
  const value = Object.hasOwn(headers, name) ? headers[name] : undefined;
  if (Array.isArray(value)) {
    if (value.length === 1) return value[0];
    throw refuse('bad_header', `the ${name} header must appear once`);
  }
  return value;
}
