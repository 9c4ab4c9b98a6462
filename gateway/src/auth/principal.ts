/**
 * Who is asking, and why: the verified identity the gateway builds from an agency's
 * token plus the purpose the request declares. Every later stage reads these; none
 * may change them.
 */

/** A verified principal. `agency` comes from the token's issuer, never from a claim. */
export interface Principal {
  /** `sub` of the agency token: a pseudonymous user id at that agency. */
  readonly subject: string;
  /** Agency id from the trust registry (e.g. `NL-POLICE`), derived from the issuer. */
  readonly agency: string;
  /** Issuer the token was verified against. */
  readonly issuer: string;
  readonly roles: ReadonlySet<string>;
  /** Clearance level name from `policies/classification.yaml` (e.g. `CONFIDENTIAL`). */
  readonly clearance: string;
  /** Purpose codes this principal may invoke. */
  readonly purposes: ReadonlySet<string>;
  /** Case and JIT references the principal is a member of (`NL-ONB-2024-0456`, `JIT-2024-07`). */
  readonly cases: ReadonlySet<string>;
  /** `jti` of the token, when present (kept for audit correlation). */
  readonly tokenId?: string;
}

/** The purpose a request declares in its headers. */
export interface DeclaredPurpose {
  /** Purpose code from `policies/purposes.yaml`, permitted by the token. */
  readonly code: string;
  /** Free-text justification (`x-justification`); required where the purpose says so. */
  readonly justification?: string;
  /** Case reference the request is made for (`x-case-ref`). */
  readonly caseRef?: string;
}
