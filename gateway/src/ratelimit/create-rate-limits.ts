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
 * Before verification there is no principal, only a client address (`client-address.ts`): an
 * address's failed authentications are counted on their own budget, and once it is spent the
 * address is refused before its token is verified, until a token is back. That block is
 * remembered in this process, so the screening of every request costs no store lookup; with
 * Redis the failures of all replicas fill the one bucket, and each replica learns of the block at
 * the next failure it sees. Only failures count: a shared address (an agency's office behind one
 * NAT) is not throttled for its colleagues' successful requests, which their own budgets bound.
 *
 * One instance per process (`main.ts`), handed to every supergraph the gateway serves: a swap
 * (`PACTUM_SUPERGRAPH_WATCH`) builds new stages around the same buckets, so waiting for a swap
 * buys no fresh budget.
 *
 * A request asking several hit/no-hit probes at once costs one hit token per probe. A request
 * asking more probes than a hit budget holds could never pass: it is refused as a bad request
 * rather than told to retry.
 *
 * With Redis (`PACTUM_REDIS_URL`) the buckets are shared by every replica. When Redis cannot be
 * asked (down, unreachable, too slow):
 * - hit/no-hit requests are refused, 503 `RATE_LIMIT_UNAVAILABLE` (fail closed: an unlimited
 *   prober is what the budget exists to stop);
 * - ordinary requests (and failed authentications) are limited by this replica's own buckets
 *   with the same budgets, so each replica still bounds a principal (n replicas: at most n times
 *   the budget) and one cache outage does not take the whole service down. The switch and the
 *   return are logged once each.
 */
import { createHash } from 'node:crypto';
import { BadUserInputError } from '../errors';
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
  /**
   * Counts a hit/no-hit request asking `probes` probes (default 1), one token each; throws
   * {@link RateLimitedError}, {@link RateLimitUnavailableError}, or a `BadUserInputError`
   * (`limit_hit_probes`) when `probes` is more than a hit budget could ever hold.
   */
  admitHitCheck(who: Counted, probes?: number): Promise<void>;
  /**
   * Throws {@link RateLimitedError} (`authFailures`) when `address` has spent its
   * failed-authentication budget: checked before a token is verified, from this process's memory.
   */
  screen(address: string): void;
  /**
   * Marks one verification of `address` as running and returns its end: at most the
   * failed-authentication budget's capacity run at once per address in this process, so a burst
   * of simultaneous bad tokens (all screened before the first has failed) cannot outrun the
   * budget. Throws {@link RateLimitedError} (`authFailures`, retry after 1 s) past that.
   */
  beginVerification(address: string): () => void;
  /**
   * Counts one failed authentication of `address`. Resolves the block (ms) when this spent the
   * budget — the address is refused by {@link screen} that long — or 0. Never rejects.
   */
  countAuthFailure(address: string): Promise<number>;
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
  /** This process's failed-authentication buckets by address (capped: addresses are nobody's verified keys). */
  readonly localAddresses?: RateLimiter;
  /** Clock of the blocks {@link RateLimits.screen} remembers (ms, never going back); default `performance.now()`. */
  readonly now?: () => number;
}

/** Addresses blocked at once that this process remembers; past it the oldest blocks are forgotten. */
const MAX_BLOCKED = 50_000;

const principalId = (who: Counted): string => createHash('sha256').update(`${who.agency}\u0000${who.subject}`).digest('base64url').slice(0, 32);
// Client addresses are personal data too: hashed into the key like subjects.
const addressId = (address: string): string => createHash('sha256').update(`address\u0000${address}`).digest('base64url').slice(0, 32);

export function createRateLimits(config: RateLimitConfig, options: RateLimitsOptions = {}): RateLimits {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const local = options.local ?? createMemoryLimiter();
  const localAddresses = options.localAddresses ?? createMemoryLimiter({ maxBuckets: MAX_BLOCKED });
  const now = options.now ?? (() => performance.now());
  /** Address → until when it is refused before verification (insertion order: oldest block first). */
  const blocked = new Map<string, number>();
  /** Address → verifications running now (entries removed at zero: bounded by the requests in flight). */
  const verifying = new Map<string, number>();
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

  async function takeShared(request: BucketClaim[], cost: number): Promise<Awaited<ReturnType<RateLimiter['take']>>> {
    const result = await (shared as RateLimiter).take(request, cost);
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
   * Takes `cost` tokens from the buckets of `request`; `whenSharedFails` says what a failing
   * shared limiter means for them: this process's buckets (`fallback`), or a refusal (`refuse`).
   */
  async function takeFrom(request: BucketClaim[], cost: number, fallback: RateLimiter, whenSharedFails: 'local' | 'refuse'): Promise<Awaited<ReturnType<RateLimiter['take']>>> {
    if (!shared) return fallback.take(request, cost);
    try {
      return await takeShared(request, cost);
    } catch (error) {
      markDown(error);
      if (whenSharedFails === 'refuse') throw new RateLimitUnavailableError();
      return fallback.take(request, cost);
    }
  }

  async function take(who: Counted, scopes: readonly [RateLimitScope, RateLimitScope], prefix: string, whenSharedFails: 'local' | 'refuse', cost = 1): Promise<void> {
    const { claims: request, scopes: named } = claims(who, scopes, prefix);
    if (request.length === 0) return;
    const smallest = Math.min(...request.map((c) => c.spec.capacity));
    if (cost > smallest) {
      throw new BadUserInputError('limit_hit_probes', `the operation asks ${cost} hit/no-hit probes; at most ${smallest} fit in one request (the hit/no-hit budget)`);
    }
    const result = await takeFrom(request, cost, local, whenSharedFails);
    if (!result.allowed) throw new RateLimitedError(named[result.bucket] ?? scopes[0], result.retryAfterMs);
  }

  function screen(address: string): void {
    const until = blocked.get(address);
    if (until === undefined) return;
    const left = until - now();
    if (left > 0) throw new RateLimitedError('authFailures', left);
    blocked.delete(address);
  }

  function block(address: string, ms: number): void {
    blocked.delete(address);
    blocked.set(address, now() + ms);
    // Bounded whatever the number of addresses: expired blocks first, then the oldest.
    if (blocked.size > MAX_BLOCKED) {
      const t = now();
      for (const [key, until] of blocked) if (until <= t) blocked.delete(key);
      for (const key of blocked.keys()) {
        if (blocked.size <= MAX_BLOCKED) break;
        blocked.delete(key);
      }
    }
  }

  function beginVerification(address: string): () => void {
    const spec = budgets.authFailures;
    if (!spec) return () => undefined;
    const running = verifying.get(address) ?? 0;
    if (running >= spec.capacity) throw new RateLimitedError('authFailures', 1000);
    verifying.set(address, running + 1);
    let ended = false;
    return () => {
      if (ended) return;
      ended = true;
      const left = (verifying.get(address) ?? 1) - 1;
      if (left > 0) verifying.set(address, left);
      else verifying.delete(address);
    };
  }

  async function countAuthFailure(address: string): Promise<number> {
    const spec = budgets.authFailures;
    if (!spec) return 0;
    const result = await takeFrom([{ key: `f:${addressId(address)}`, spec }], 1, localAddresses, 'local').catch(() => undefined);
    // A bucket already empty (other replicas' failures) blocks as long as it names; one just emptied, until it holds a token.
    const ms = result === undefined ? 0 : result.allowed ? (result.exhaustedForMs ?? 0) : result.retryAfterMs;
    if (ms > 0) block(address, ms);
    return ms;
  }

  return {
    store: shared ? 'redis' : 'memory',
    admit: (who) => take(who, ['principal', 'agency'], '', 'local'),
    // Fail closed: an unlimited prober is what the hit budgets exist to stop.
    admitHitCheck: (who, probes = 1) => take(who, ['hitPrincipal', 'hitAgency'], 'hit:', 'refuse', probes),
    screen,
    beginVerification,
    countAuthFailure,
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
      blocked.clear();
      await Promise.all([local.close(), localAddresses.close(), shared?.close()]);
    },
  };
}
