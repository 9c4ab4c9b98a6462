/**
 * Token buckets in this process: the default, and what ordinary requests fall back to when the
 * shared limiter is unreachable. Keys come and go with principals: a bucket untouched long enough
 * to be full again is the same as no bucket, so it is forgotten on the next sweep — the map holds
 * only the principals active within one refill period.
 */
import type { RateLimiter } from './rate-limiter';
import { refillMs, takeFromBuckets, type BucketState } from './token-bucket';

export interface MemoryLimiterOptions {
  /** Milliseconds on a clock that never goes back; default `performance.now()`. */
  readonly now?: () => number;
  /** Buckets held before a sweep drops the full ones (default 10 000). */
  readonly sweepAbove?: number;
}

interface Held extends BucketState {
  /** From then on the bucket is full again: forget it. */
  readonly forgetAt: number;
}

export function createMemoryLimiter(options: MemoryLimiterOptions = {}): RateLimiter & { readonly size: () => number } {
  const now = options.now ?? (() => performance.now());
  const sweepAbove = options.sweepAbove ?? 10_000;
  const buckets = new Map<string, Held>();

  function sweep(at: number): void {
    for (const [key, held] of buckets) if (held.forgetAt <= at) buckets.delete(key);
  }

  return {
    async take(claims) {
      const at = now();
      const { result, next } = takeFromBuckets(claims.map((c) => buckets.get(c.key)), claims.map((c) => c.spec), at);
      if (next) {
        next.forEach((state, i) => {
          const claim = claims[i];
          if (claim) buckets.set(claim.key, { ...state, forgetAt: at + refillMs(claim.spec) });
        });
        if (buckets.size > sweepAbove) sweep(at);
      }
      return result;
    },
    async close() {
      buckets.clear();
    },
    size: () => buckets.size,
  };
}
