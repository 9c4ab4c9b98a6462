/**
 * The gateway's rate limits: per principal and per agency for every authenticated request, and a
 * lower pair of budgets for requests that select a hit/no-hit field (a hit answer is what a
 * prober wants, so those are the ones to count separately).
 *
 * Keys come from the verified principal only — its agency (from the trust registry, by the
 * token's issuer) and its subject — never from a header the client writes, so nobody can spend
 * another's budget or escape their own. The subject is hashed into the key: Redis holds no user
 * id.
 *
 * With Redis (`PACTUM_REDIS_URL`) the buckets are shared by every replica. When Redis cannot be
 * asked (down, unreachable, too slow):
 * - hit/no-hit requests are refused, 503 `RATE_LIMIT_UNAVAILABLE` (fail closed: an unlimited
 *   prober is what the budget exists to stop);
 * - ordinary requests are limited by this replica's own buckets with the same budgets, so each
 *   replica still bounds a principal (n replicas: at most n times the budget) and one cache
 *   outage does not take the whole service down. The switch and the return are logged once each.
 */
import { createHash } from 'node:crypto';
import { createMemoryLimiter } from './memory-limiter';
import type { RateLimitConfig } from './rate-limit-config';
import { RateLimitedError, RateLimitUnavailableError, type RateLimitScope } from './rate-limit-errors';
import type { RateLimiter } from './rate-limiter';
import { createRedisLimiter } from './redis-limiter';
import type { BucketClaim } from './token-bucket';

/** Who a request is counted for: the verified principal. */
export interface Counted {
  readonly agency: string;
  readonly subject: string;
}

export interface RateLimits {
  /** Counts an authenticated request; throws {@link RateLimitedError}. */
  admit(who: Counted): Promise<void>;
  /** Counts a hit/no-hit request; throws {@link RateLimitedError} or {@link RateLimitUnavailableError}. */
  admitHitCheck(who: Counted): Promise<void>;
  /** Where the buckets are. */
  readonly store: 'memory' | 'redis';
  /**
   * Whether the store answers now (`/readyz`, `pactum_rate_limit_store_up`): Redis is asked with
   * a PING; in memory it is always `up`. Never rejects.
   */
  storeState(): Promise<'up' | 'down'>;
  /** Waits up to `ms` for the shared limiter to answer (at start-up); true at once in memory. */
  connected(ms: number): Promise<boolean>;
  close(): Promise<void>;
}

export interface RateLimitsOptions {
  /** State changes of the shared limiter (unreachable, back). */
  readonly log?: (line: string) => void;
  /** The shared limiter (tests); default Redis at `config.redisUrl` when set. */
  readonly shared?: RateLimiter;
  /** This process's buckets (tests: an injected clock). */
  readonly local?: RateLimiter;
}

const principalId = (who: Counted): string => createHash('sha256').update(`${who.agency}\u0000${who.subject}`).digest('base64url').slice(0, 32);

export function createRateLimits(config: RateLimitConfig, options: RateLimitsOptions = {}): RateLimits {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const local = options.local ?? createMemoryLimiter();
  const shared = options.shared ?? (config.redisUrl !== undefined ? createRedisLimiter({ url: config.redisUrl, prefix: config.redisPrefix }) : undefined);
  const { budgets } = config;
  let sharedDown = false;

  function claims(who: Counted, scopes: readonly [RateLimitScope, RateLimitScope], prefix: string): { claims: BucketClaim[]; scopes: RateLimitScope[] } {
    const out: BucketClaim[] = [];
    const named: RateLimitScope[] = [];
    const [byPrincipal, byAgency] = scopes;
    const p = budgets[byPrincipal];
    const a = budgets[byAgency];
    if (p) {
      out.push({ key: `${prefix}p:${principalId(who)}`, spec: p });
      named.push(byPrincipal);
    }
    if (a) {
      out.push({ key: `${prefix}a:${who.agency}`, spec: a });
      named.push(byAgency);
    }
    return { claims: out, scopes: named };
  }

  async function takeShared(request: BucketClaim[]): Promise<Awaited<ReturnType<RateLimiter['take']>>> {
    const result = await (shared as RateLimiter).take(request);
    if (sharedDown) {
      sharedDown = false;
      log('rate limits: the shared limiter (Redis) answers again; buckets are shared by the replicas again');
    }
    return result;
  }

  function markDown(error: unknown): void {
    if (sharedDown) return;
    sharedDown = true;
    log(`rate limits: the shared limiter (Redis) cannot be asked (${error instanceof Error ? error.message : String(error)}); hit/no-hit requests are refused, other requests are limited by this replica alone`);
  }

  /**
   * Takes from the buckets of `scopes`; `whenSharedFails` says what a failing shared limiter
   * means for them: this replica's buckets (`local`), or a refusal (`refuse`).
   */
  async function take(who: Counted, scopes: readonly [RateLimitScope, RateLimitScope], prefix: string, whenSharedFails: 'local' | 'refuse'): Promise<void> {
    const { claims: request, scopes: named } = claims(who, scopes, prefix);
    if (request.length === 0) return;
    let result;
    if (shared) {
      try {
        result = await takeShared(request);
      } catch (error) {
        markDown(error);
        if (whenSharedFails === 'refuse') throw new RateLimitUnavailableError();
        result = await local.take(request);
      }
    } else result = await local.take(request);
    if (!result.allowed) throw new RateLimitedError(named[result.bucket] ?? scopes[0], result.retryAfterMs);
  }

  return {
    store: shared ? 'redis' : 'memory',
    admit: (who) => take(who, ['principal', 'agency'], '', 'local'),
    // Fail closed: an unlimited prober is what the hit budgets exist to stop.
    admitHitCheck: (who) => take(who, ['hitPrincipal', 'hitAgency'], 'hit:', 'refuse'),
    async storeState() {
      if (!shared) return 'up';
      // A limiter that cannot say (a test double without ping) is taken at its word: up.
      const answers = await (shared.ping?.() ?? Promise.resolve(true)).catch(() => false);
      return answers ? 'up' : 'down';
    },
    async connected(ms) {
      return shared?.connected ? shared.connected(ms) : true;
    },
    async close() {
      await Promise.all([local.close(), shared?.close()]);
    },
  };
}
