/**
 * Token buckets in Redis, shared by every replica. One Lua script takes from all of a request's
 * buckets or from none, atomically (Redis runs a script alone), on Redis's own clock (`TIME`), so
 * replicas whose clocks drift apart still refill the same bucket at the same rate. It is the rule
 * of `token-bucket.ts`, held to the same contract suite. A bucket's key expires once it would be
 * full again, so Redis holds only the principals active within one refill period.
 *
 * The client fails fast instead of queueing: no offline queue and a command timeout, so an
 * unreachable or stalled Redis rejects `take` within `commandTimeoutMs` and the caller decides
 * (`create-rate-limits.ts`: hit/no-hit refused, ordinary requests limited in this process); it
 * keeps reconnecting in the background. Single Redis (or a primary behind Sentinel): the keys of
 * one request are not in one Cluster slot.
 */
import Redis from 'ioredis';
import type { RateLimiter } from './rate-limiter';
import type { BucketClaim, TakeResult } from './token-bucket';

// KEYS: the buckets. ARGV: capacity and refill per second of each, in KEYS order, then the cost.
// Returns {1, exhausted ms} when taken (0: every bucket still holds a token), {0, index (0-based),
// wait ms} when refused.
const TAKE_SCRIPT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local cost = tonumber(ARGV[2 * #KEYS + 1]) or 1
local tokens = {}
local worst, wait = -1, 0
for i = 1, #KEYS do
  local cap = tonumber(ARGV[2 * i - 1])
  local rate = tonumber(ARGV[2 * i])
  local held = redis.call('HMGET', KEYS[i], 't', 'at')
  local cur = cap
  local tk, at = tonumber(held[1]), tonumber(held[2])
  if tk ~= nil and at ~= nil then
    local elapsed = now - at
    if elapsed < 0 then elapsed = 0 end
    cur = math.min(cap, tk + elapsed * rate / 1000)
  end
  tokens[i] = cur
  if cur < cost then
    local ms = math.ceil((cost - cur) * 1000 / rate)
    if ms < 1 then ms = 1 end
    if worst < 0 or ms > wait then worst, wait = i, ms end
  end
end
if worst >= 0 then return {0, worst - 1, wait} end
local exhausted = 0
for i = 1, #KEYS do
  local cap = tonumber(ARGV[2 * i - 1])
  local rate = tonumber(ARGV[2 * i])
  local left = tokens[i] - cost
  if left < 1 then
    local ms = math.ceil((1 - left) * 1000 / rate)
    if ms < 1 then ms = 1 end
    if ms > exhausted then exhausted = ms end
  end
  redis.call('HSET', KEYS[i], 't', tostring(left), 'at', tostring(now))
  redis.call('PEXPIRE', KEYS[i], math.ceil(cap * 1000 / rate) + 1000)
end
return {1, exhausted}
`;

interface WithTake {
  pactumTake(numKeys: number, ...keysAndArgs: (string | number)[]): Promise<unknown>;
}

export interface RedisLimiterOptions {
  readonly url: string;
  /** Prefix of every key (tests use one of their own). */
  readonly prefix: string;
  /** A command not answered by then rejects (default 500 ms). */
  readonly commandTimeoutMs?: number;
}

export interface RedisLimiter extends RateLimiter {
  /** Resolves true once connected, false after `ms` (the client keeps trying either way). */
  connected(ms: number): Promise<boolean>;
  /** PING: true when Redis answers within the command timeout. */
  ping(): Promise<boolean>;
}

export function createRedisLimiter(options: RedisLimiterOptions): RedisLimiter {
  const redis = new Redis(options.url, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    commandTimeout: options.commandTimeoutMs ?? 500,
    connectTimeout: 1000,
    // Reconnect for ever, backing off to one attempt a second.
    retryStrategy: (attempt) => Math.min(attempt * 100, 1000),
    // The gateway logs the limiter's state changes itself; ioredis would otherwise print every failed attempt.
    showFriendlyErrorStack: false,
  });
  redis.on('error', () => undefined);
  redis.defineCommand('pactumTake', { lua: TAKE_SCRIPT });
  const take = redis as unknown as WithTake;

  return {
    async take(claims: readonly BucketClaim[], cost = 1): Promise<TakeResult> {
      const args: (string | number)[] = claims.map((c) => options.prefix + c.key);
      for (const c of claims) args.push(c.spec.capacity, c.spec.refillPerSecond);
      args.push(cost);
      const reply = await take.pactumTake(claims.length, ...args);
      if (!Array.isArray(reply) || (reply[0] !== 1 && reply[0] !== 0)) throw new Error('unexpected reply from the rate-limit script');
      if (reply[0] === 1) {
        const exhausted = Number(reply[1] ?? 0);
        return exhausted > 0 ? { allowed: true, exhaustedForMs: exhausted } : { allowed: true };
      }
      return { allowed: false, bucket: Number(reply[1]), retryAfterMs: Number(reply[2]) };
    },
    async connected(ms) {
      if (redis.status === 'ready') return true;
      return new Promise<boolean>((resolve) => {
        const timer = setTimeout(() => {
          redis.off('ready', onReady);
          resolve(false);
        }, ms);
        const onReady = (): void => {
          clearTimeout(timer);
          resolve(true);
        };
        redis.once('ready', onReady);
      });
    },
    async ping() {
      // No offline queue: while disconnected this rejects at once instead of waiting.
      return redis.ping().then(
        (reply) => reply === 'PONG',
        () => false,
      );
    },
    async close() {
      redis.disconnect(false);
    },
  };
}
