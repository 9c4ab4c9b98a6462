/**
 * Stages 1a, 1b and 3b: rate limits (`ratelimit/`).
 *
 * 1a, around authentication: a client address that has spent its failed-authentication budget is
 * refused before its token is looked at (no signature check, no issuer key lookup); a request
 * that fails authentication spends that budget, and no more verifications of one address run at
 * once than the budget holds (a burst sent together is not screened by failures not yet counted).
 * A token this gateway has verified before (still in
 * its verified-token cache) passes a blocked address: nobody can make one without the issuer's key,
 * so colleagues signed in behind the same proxy as a client sending bad tokens keep working. A verified principal refused for what it declared
 * (403: purpose, justification, case) spends its own budgets instead, like any request it makes,
 * so a principal cannot send unlimited requests by declaring what it may not.
 *
 * 1b: every authenticated request is counted against its principal's and its agency's budgets
 * right after authentication — before the body is read or parsed, so a spent budget costs the
 * gateway one bucket lookup and one audit record.
 *
 * 3b: a document that asks hit/no-hit probes is counted again, against the lower hit budgets,
 * once it is parsed: one token per probe (`hit-probes.ts`), so aliasing a probe thirty times in
 * one request costs thirty. Buckets are keyed by the verified principal only.
 */
import type { GraphQLSchema } from 'graphql';
import { PrincipalRefusedError, type Authenticated, type RequestHeaders } from '../../auth';
import { PactumError } from '../../errors';
import { clientAddress, RateLimitedError, RateLimitUnavailableError, type RateLimits, type RateLimitScope, type TrustedProxies } from '../../ratelimit';
import type { GatewayMetrics } from '../metrics';
import { countHitProbes } from './hit-probes';
import type { PreparedOperation } from './prepare-operation';

/** Authentication refusals caused by the issuer's side, not the client's: never counted against an address. */
const ISSUER_SIDE_REASONS = new Set(['jwks_unavailable']);

/** Where a request came from (the socket, and `x-forwarded-for` of trusted proxies) and what it presents. */
export interface ClientOrigin {
  readonly remoteAddress: string | undefined;
  readonly headers: RequestHeaders;
}

export interface RateLimitStage {
  /**
   * Runs `authenticate` under the client address's failed-authentication budget (429
   * `RATE_LIMITED` `auth_failure_budget` before it runs when the budget is spent); a refused
   * principal (403) is counted on its own budgets, and answered 429 once they are spent.
   */
  authenticate(origin: ClientOrigin, authenticate: () => Promise<Authenticated>): Promise<Authenticated>;
  /** Counts an authenticated request (429 `RATE_LIMITED` when a budget is spent). */
  admit(identity: Authenticated): Promise<void>;
  /** Counts a hit/no-hit request again, on its own budgets, a token per probe (429, or 503 `RATE_LIMIT_UNAVAILABLE`). */
  admitPrepared(identity: Authenticated, prepared: PreparedOperation): Promise<void>;
}

/**
 * A principal refused at authentication (403) whose own budget is spent too: answered 429, and
 * recorded against that principal like the 403 would have been.
 */
export class RefusedPrincipalRateLimitedError extends RateLimitedError {
  constructor(
    limited: RateLimitedError,
    /** Who asked, and what it declared. */
    readonly identity: Authenticated,
  ) {
    super(limited.scope, limited.retryAfterSeconds * 1000);
  }
}

const METRIC_SCOPE: Readonly<Record<RateLimitScope, string>> = {
  principal: 'principal',
  agency: 'agency',
  hitPrincipal: 'hit_principal',
  hitAgency: 'hit_agency',
  authFailures: 'auth_failures',
};

export interface RateLimitStageDeps {
  readonly limits: RateLimits;
  readonly schema: GraphQLSchema;
  readonly metrics: GatewayMetrics;
  /** Whose `x-forwarded-for` names the client (`PACTUM_TRUSTED_PROXIES`); default nobody's. */
  readonly trustedProxies?: TrustedProxies;
  /** Told once each time an address spends its failed-authentication budget (the operator's log). */
  readonly onBlocked?: (address: string, retryAfterSeconds: number) => void;
  /** Whether the request's bearer token passed verification here before (see the file comment); default never. */
  readonly wasVerified?: (headers: RequestHeaders) => boolean;
}

export function createRateLimitStage(deps: RateLimitStageDeps): RateLimitStage {
  const { limits, schema, metrics } = deps;
  const trusted = deps.trustedProxies ?? { kind: 'none' };
  // Documents are cached by the prepare stage: the count runs once per distinct (document, operation).
  const probes = new WeakMap<PreparedOperation['operation'], number>();

  function counting(error: unknown): unknown {
    if (error instanceof RateLimitedError) metrics.rateLimitRefusals.inc({ scope: METRIC_SCOPE[error.scope] });
    else if (error instanceof RateLimitUnavailableError) metrics.rateLimitRefusals.inc({ scope: 'unavailable' });
    return error;
  }

  async function counted(take: () => Promise<void> | void): Promise<void> {
    try {
      await take();
    } catch (error) {
      throw counting(error);
    }
  }

  const who = (identity: Authenticated) => ({ agency: identity.principal.agency, subject: identity.principal.subject });

  return {
    async authenticate(origin, authenticate) {
      const address = clientAddress(origin.remoteAddress, origin.headers['x-forwarded-for'], trusted);
      const known = deps.wasVerified?.(origin.headers) ?? false;
      let end = (): void => undefined;
      try {
        limits.screen(address);
        // A token verified before costs nothing to check again; any other takes one of the address's concurrent verifications.
        if (!known) end = limits.beginVerification(address);
      } catch (error) {
        if (!(error instanceof RateLimitedError) || !known) throw counting(error);
      }
      try {
        return await authenticate();
      } catch (error) {
        if (error instanceof PrincipalRefusedError) {
          try {
            await limits.admit(who(error.identity));
          } catch (limited) {
            if (limited instanceof RateLimitedError) throw counting(new RefusedPrincipalRateLimitedError(limited, error.identity));
            throw counting(limited);
          }
        } else if (error instanceof PactumError && !ISSUER_SIDE_REASONS.has(error.reason)) {
          // The client's failure (a bad, expired or unknown token, a malformed header), never an internal one:
          // an issuer whose keys cannot be fetched is no reason to block the office behind one address.
          const blockedMs = await limits.countAuthFailure(address);
          if (blockedMs > 0) deps.onBlocked?.(address, Math.max(1, Math.ceil(blockedMs / 1000)));
        }
        throw error;
      } finally {
        end();
      }
    },
    admit: (identity) => counted(() => limits.admit(who(identity))),
    async admitPrepared(identity, prepared) {
      let asked = probes.get(prepared.operation);
      if (asked === undefined) {
        asked = countHitProbes(schema, prepared.document, prepared.operation);
        probes.set(prepared.operation, asked);
      }
      const n = asked;
      if (n > 0) await counted(() => limits.admitHitCheck(who(identity), n));
    },
  };
}
