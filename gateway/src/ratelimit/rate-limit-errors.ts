/** The two refusals of the rate limits, in the gateway's one vocabulary (`errors.ts`). */
import { PactumError, WIRE_STATUS } from '../errors';

/** Which budget ran out; the metrics' `scope` label and, with `hit_`, the reason. */
export type RateLimitScope = 'principal' | 'agency' | 'hitPrincipal' | 'hitAgency' | 'authFailures';

const REASON: Readonly<Record<RateLimitScope, string>> = {
  principal: 'principal_budget',
  agency: 'agency_budget',
  hitPrincipal: 'hit_principal_budget',
  hitAgency: 'hit_agency_budget',
  authFailures: 'auth_failure_budget',
};

const WHOSE: Readonly<Record<RateLimitScope, string>> = {
  principal: 'your request budget',
  agency: "your agency's request budget",
  hitPrincipal: 'your hit/no-hit budget',
  hitAgency: "your agency's hit/no-hit budget",
  authFailures: 'the failed-authentication budget of your address',
};

/** A budget is spent: 429 with `retry-after` (whole seconds, at least 1). */
export class RateLimitedError extends PactumError {
  readonly code = 'RATE_LIMITED';
  readonly httpStatus = WIRE_STATUS.RATE_LIMITED;
  readonly retryAfterSeconds: number;

  constructor(
    readonly scope: RateLimitScope,
    retryAfterMs: number,
  ) {
    const seconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
    super(REASON[scope], `rate limit: ${WHOSE[scope]} is spent; retry after ${seconds} s`);
    this.retryAfterSeconds = seconds;
  }
}

/**
 * The shared limiter cannot be asked and the request is one that must not run unlimited
 * (a hit/no-hit check): 503, fail closed.
 */
export class RateLimitUnavailableError extends PactumError {
  readonly code = 'RATE_LIMIT_UNAVAILABLE';
  readonly httpStatus = WIRE_STATUS.RATE_LIMIT_UNAVAILABLE;
  readonly retryAfterSeconds = 1;

  constructor() {
    super('rate_limiter_unavailable', 'the shared rate limiter is unreachable: hit/no-hit checks are refused until it is back');
  }
}
