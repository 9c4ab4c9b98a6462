/**
 * The gateway's error vocabulary. Every failure the gateway reports is one of these
 * classes, each with a stable `code` (what kind of failure) and `reason` (which one);
 * they are turned into GraphQL / HTTP errors once, at the edge (`server/`).
 */

export type ErrorCode =
  | 'UNAUTHENTICATED'
  | 'BAD_USER_INPUT'
  | 'FORBIDDEN'
  | 'AUDIT_UNAVAILABLE'
  | 'CONFIG_INVALID'
  | 'POLICY_INVALID'
  | 'INTERNAL';

export abstract class PactumError extends Error {
  abstract readonly code: ErrorCode;
  /** HTTP status this error maps to at the edge. */
  abstract readonly httpStatus: number;
  /** Stable machine-readable reason (`token_expired`, `NO_AGREEMENT`, …). */
  readonly reason: string;

  constructor(reason: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.reason = reason;
    this.name = new.target.name;
  }
}

/** The request carries no acceptable identity or purpose: 401. */
export class UnauthenticatedError extends PactumError {
  readonly code = 'UNAUTHENTICATED';
  readonly httpStatus = 401;
}

/** Malformed input (identifier, header, variable): 400. */
export class BadUserInputError extends PactumError {
  readonly code = 'BAD_USER_INPUT';
  readonly httpStatus = 400;
}

/** Need-to-know denied the request or part of it. */
export class ForbiddenError extends PactumError {
  readonly code = 'FORBIDDEN';
  readonly httpStatus = 403;
}

/** The audit trail cannot take the record: no audit, no data. */
export class AuditUnavailableError extends PactumError {
  readonly code = 'AUDIT_UNAVAILABLE';
  readonly httpStatus = 503;
}

/** Something failed that no caller could have caused; the client learns nothing more than that. */
export class InternalError extends PactumError {
  readonly code = 'INTERNAL';
  readonly httpStatus = 500;
}

/** A configuration file or option is invalid; the process refuses to start. */
export class ConfigError extends PactumError {
  readonly code = 'CONFIG_INVALID';
  readonly httpStatus = 500;
}

/** A policy file is invalid; it is not loaded (at start-up the gateway refuses to start). */
export class PolicyError extends PactumError {
  readonly code = 'POLICY_INVALID';
  readonly httpStatus = 500;
}
