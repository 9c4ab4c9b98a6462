/**
 * Rate limits: token buckets per principal and per agency, lower hit/no-hit budgets, and a
 * failed-authentication budget per client address, in memory or shared in Redis. The only public door.
 */
export { createRateLimits, type Counted, type RateLimits, type RateLimitsOptions } from './create-rate-limits';
export { rateLimitConfigFromEnv, parseBudget, type BudgetName, type RateLimitConfig } from './rate-limit-config';
export { RateLimitedError, RateLimitUnavailableError, type RateLimitScope } from './rate-limit-errors';
export { addressKey, clientAddress, parseTrustedProxies, type TrustedProxies } from './client-address';
export { createMemoryLimiter, type MemoryLimiterOptions } from './memory-limiter';
export { createRedisLimiter, type RedisLimiter, type RedisLimiterOptions } from './redis-limiter';
export type { RateLimiter } from './rate-limiter';
export type { BucketClaim, BucketSpec, TakeResult } from './token-bucket';
