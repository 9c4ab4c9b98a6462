/** What the gateway asks of a rate limiter, in memory or in Redis. */
import type { BucketClaim, TakeResult } from './token-bucket';

export interface RateLimiter {
  /**
   * Takes `cost` tokens (default 1, never above a claimed bucket's capacity) from every claimed
   * bucket, or from none. Rejects when the limiter cannot answer (Redis unreachable or too slow):
   * the caller decides what that means.
   */
  take(claims: readonly BucketClaim[], cost?: number): Promise<TakeResult>;
  /** A limiter that connects somewhere: resolves true once it can answer, false after `ms`. */
  connected?(ms: number): Promise<boolean>;
  /** A limiter that connects somewhere: whether it answers now (a round trip, bounded by its command timeout); never rejects. */
  ping?(): Promise<boolean>;
  close(): Promise<void>;
}
