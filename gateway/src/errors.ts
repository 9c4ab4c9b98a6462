/**
 * The gateway's error vocabulary. Every failure the gateway reports is one of these
 * classes, each with a stable `code` (what kind of failure) and `reason` (which one);
 * they are turned into GraphQL / HTTP errors once, at the edge (`server/`), through
 * {@link WIRE_STATUS}: the HTTP refusals, `formatError` and the audit record all read
 * the same code from the same table, so a client and an auditor see the same words.
 */
import type { GraphQLError } from 'graphql';

/**
 * The codes a client can see in `extensions.code`, and the only ones an audit record's
 * `refusal.code` holds. Anything else is masked as `INTERNAL_SERVER_ERROR`.
 */
export type WireCode =
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'BAD_USER_INPUT'
  | 'GRAPHQL_PARSE_FAILED'
  | 'GRAPHQL_VALIDATION_FAILED'
  | 'PERSISTED_QUERY_NOT_SUPPORTED'
  | 'PERSISTED_QUERY_NOT_IN_LIST'
  | 'PERSISTED_QUERY_ID_REQUIRED'
  | 'RATE_LIMITED'
  | 'RATE_LIMIT_UNAVAILABLE'
  | 'SUBGRAPH_UNAVAILABLE'
  | 'AUDIT_UNAVAILABLE'
  | 'GATEWAY_BUSY'
  | 'INTERNAL_SERVER_ERROR';

/**
 * HTTP status of an answer refused with this code (no `data`). An answer that carries `data`
 * is 200 whatever its errors say: GraphQL over HTTP reports partial failures in the body.
 */
export const WIRE_STATUS: Readonly<Record<WireCode, number>> = Object.freeze({
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  BAD_USER_INPUT: 400,
  GRAPHQL_PARSE_FAILED: 400,
  GRAPHQL_VALIDATION_FAILED: 400,
  PERSISTED_QUERY_NOT_SUPPORTED: 400,
  // Trusted operations (`PACTUM_OPERATIONS`): a document not in the manifest; a text where only ids run.
  PERSISTED_QUERY_NOT_IN_LIST: 400,
  PERSISTED_QUERY_ID_REQUIRED: 400,
  // Rate limits: a budget spent (with retry-after); the shared limiter unreachable for a request that must not run unlimited.
  RATE_LIMITED: 429,
  RATE_LIMIT_UNAVAILABLE: 503,
  SUBGRAPH_UNAVAILABLE: 502,
  AUDIT_UNAVAILABLE: 503,
  // Every execution slot taken and the queue behind them full (with retry-after).
  GATEWAY_BUSY: 503,
  INTERNAL_SERVER_ERROR: 500,
});

/** True for a code of {@link WireCode}. */
export function isWireCode(code: unknown): code is WireCode {
  return typeof code === 'string' && Object.hasOwn(WIRE_STATUS, code);
}

/** Codes that never reach a client: the process refuses to start (or to load a policy). */
export type StartupCode = 'CONFIG_INVALID' | 'POLICY_INVALID';

export type ErrorCode = WireCode | StartupCode;

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
  readonly httpStatus = WIRE_STATUS.UNAUTHENTICATED;
}

/** Malformed input (identifier, header, variable, operation name): 400. */
export class BadUserInputError extends PactumError {
  readonly code = 'BAD_USER_INPUT';
  readonly httpStatus: number = WIRE_STATUS.BAD_USER_INPUT;
}

/** Need-to-know denied the request or part of it: 403 (the caller was identified; the answer is no). */
export class ForbiddenError extends PactumError {
  readonly code = 'FORBIDDEN';
  readonly httpStatus = WIRE_STATUS.FORBIDDEN;
}

/** The audit trail cannot take the record: no audit, no data. */
export class AuditUnavailableError extends PactumError {
  readonly code = 'AUDIT_UNAVAILABLE';
  readonly httpStatus = WIRE_STATUS.AUDIT_UNAVAILABLE;
}

/**
 * Something failed that no caller could have caused; the client learns nothing more than
 * that (and the reason, a stable word such as `enforcement_failed`), the log gets the cause.
 */
export class InternalError extends PactumError {
  readonly code = 'INTERNAL_SERVER_ERROR';
  readonly httpStatus = WIRE_STATUS.INTERNAL_SERVER_ERROR;
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

/**
 * The operation itself is refused before anything runs: it does not parse, does not validate
 * (including Pactum's limits), or its variables do not coerce. `errors` are graphql-js's own,
 * with their locations, and go to the client as they are (after masking at the edge).
 */
export class OperationRefusedError extends PactumError {
  readonly httpStatus: number;

  constructor(
    readonly code: 'GRAPHQL_PARSE_FAILED' | 'GRAPHQL_VALIDATION_FAILED' | 'BAD_USER_INPUT',
    reason: string,
    readonly errors: readonly GraphQLError[],
  ) {
    super(reason, errors[0]?.message ?? reason);
    this.httpStatus = WIRE_STATUS[code];
  }
}
