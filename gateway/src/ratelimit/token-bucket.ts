/**
 * The token bucket, as a pure function: a bucket holds up to `capacity` tokens, refills
 * continuously at `refillPerSecond`, and a request takes `cost` tokens (one, unless it asks
 * several hit/no-hit probes at once) from every bucket it is counted in — from all of them or
 * from none (a request refused by its agency's budget does not spend its principal's). A cost
 * above a bucket's capacity could never be taken: callers refuse such a request themselves. The Redis limiter runs the same rule in Lua (`redis-limiter.ts`), where
 * it must be atomic across replicas; the contract suite in `__tests__/limiters.test.ts` holds
 * both to the same answers.
 */

/** One budget: at most `capacity` requests at once, `refillPerSecond` more every second. */
export interface BucketSpec {
  readonly capacity: number;
  readonly refillPerSecond: number;
}

/** What a bucket holds between requests: its tokens at `at` (ms). */
export interface BucketState {
  readonly tokens: number;
  readonly at: number;
}

/** A bucket a request is counted in: its key and budget. */
export interface BucketClaim {
  readonly key: string;
  readonly spec: BucketSpec;
}

export type TakeResult =
  /**
   * `exhaustedForMs`, present when the take left a bucket without a whole token: how long until
   * every bucket holds one again (the failed-authentication budget blocks an address that long
   * without asking the store again).
   */
  | { readonly allowed: true; readonly exhaustedForMs?: number }
  /** `bucket` is the index of the claim that ran out first (the longest wait); `retryAfterMs` > 0. */
  | { readonly allowed: false; readonly bucket: number; readonly retryAfterMs: number };

/** Tokens of a bucket at `now`, refilled since its state was written (a missing bucket is full). */
export function tokensAt(state: BucketState | undefined, spec: BucketSpec, now: number): number {
  if (!state) return spec.capacity;
  const elapsed = Math.max(0, now - state.at);
  return Math.min(spec.capacity, state.tokens + (elapsed * spec.refillPerSecond) / 1000);
}

/**
 * Takes `cost` tokens from each bucket or from none. Returns the new states to write when
 * allowed, or which bucket refused and how long until it holds `cost` tokens.
 */
export function takeFromBuckets(
  states: readonly (BucketState | undefined)[],
  specs: readonly BucketSpec[],
  now: number,
  cost = 1,
): { readonly result: TakeResult; readonly next?: readonly BucketState[] } {
  const tokens = specs.map((spec, i) => tokensAt(states[i], spec, now));
  let worst = -1;
  let wait = 0;
  tokens.forEach((t, i) => {
    if (t >= cost) return;
    const spec = specs[i] as BucketSpec;
    const ms = Math.ceil(((cost - t) * 1000) / spec.refillPerSecond);
    if (ms > wait || worst < 0) {
      wait = Math.max(ms, 1);
      worst = i;
    }
  });
  if (worst >= 0) return { result: { allowed: false, bucket: worst, retryAfterMs: wait } };
  let exhausted = 0;
  tokens.forEach((t, i) => {
    const left = t - cost;
    if (left < 1) exhausted = Math.max(exhausted, Math.ceil(((1 - left) * 1000) / (specs[i] as BucketSpec).refillPerSecond), 1);
  });
  const result: TakeResult = exhausted > 0 ? { allowed: true, exhaustedForMs: exhausted } : { allowed: true };
  return { result, next: tokens.map((t) => ({ tokens: t - cost, at: now })) };
}

/** How long an untouched bucket takes to be full again: after that its state can be forgotten. */
export function refillMs(spec: BucketSpec): number {
  return Math.ceil((spec.capacity * 1000) / spec.refillPerSecond);
}
