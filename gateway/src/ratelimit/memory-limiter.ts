/**
 * Token buckets in this process: the default, and what ordinary requests fall back to when the
 * shared limiter is unreachable. Keys come and go with principals: a bucket untouched long enough
 * to be full again is the same as no bucket, so it is forgotten on the next sweep — the map holds
 * only the principals active within one refill period. Keys nobody verified (client addresses)
 * can come from a whole botnet, so a limiter may also be capped: past `maxBuckets`, the buckets
 * touched longest ago are dropped (forgetting an address's failures, which is what a fresh
 * address would have had anyway), and memory stays bounded.
 */
import type { RateLimiter } from './rate-limiter';
import { refillMs, takeFromBuckets, type BucketState } from './token-bucket';

export interface MemoryLimiterOptions {
  /** Milliseconds on a clock that never goes back; default `performance.now()`. */
  readonly now?: () => number;
  /** Buckets held before a sweep drops the full ones (default 10 000). */
  readonly sweepAbove?: number;
  /** Most buckets held at all: past it the least recently touched go (default: no cap). */
  readonly maxBuckets?: number;
}

interface Held extends BucketState {
  /** From then on the bucket is full again: forget it. */
  readonly forgetAt: number;
}

export function createMemoryLimiter(options: MemoryLimiterOptions = {}): RateLimiter & { readonly size: () => number } {
  const now = options.now ?? (() => performance.now());
  const sweepAbove = options.sweepAbove ?? 10_000;
  const maxBuckets = options.maxBuckets ?? Number.POSITIVE_INFINITY;
  // Insertion order is recency order: a bucket written is moved to the end.
  const buckets = new Map<string, Held>();
  // A sweep walks every bucket: the next one waits until the map has doubled, so many active
  // keys (none full yet) cost an amortised constant per take, not a walk per take.
  let sweepAt = sweepAbove;

  function sweep(at: number): void {
    for (const [key, held] of buckets) if (held.forgetAt <= at) buckets.delete(key);
    sweepAt = Math.max(sweepAbove, buckets.size * 2);
  }

  function cap(): void {
    for (const key of buckets.keys()) {
      if (buckets.size <= maxBuckets) return;
      buckets.delete(key);
    }
  }

  return {
    async take(claims, cost = 1) {
      const at = now();
      const { result, next } = takeFromBuckets(claims.map((c) => buckets.get(c.key)), claims.map((c) => c.spec), at, cost);
      if (next) {
        next.forEach((state, i) => {
          const claim = claims[i];
          if (!claim) return;
          buckets.delete(claim.key);
          buckets.set(claim.key, { ...state, forgetAt: at + refillMs(claim.spec) });
        });
        if (buckets.size > sweepAt) sweep(at);
        if (buckets.size > maxBuckets) cap();
      } else {
        // A refused take touches its buckets too: the cap must not drop a spent bucket first (a fresh, full one for its key).
        for (const claim of claims) {
          const held = buckets.get(claim.key);
          if (!held) continue;
          buckets.delete(claim.key);
          buckets.set(claim.key, held);
        }
      }
      return result;
    },
    async close() {
      buckets.clear();
    },
    size: () => buckets.size,
  };
}
