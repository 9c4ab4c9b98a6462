/**
 * How many bytes each cache of the gateway may hold, derived from the heap the process runs with
 * (`v8.getHeapStatistics().heap_size_limit`: `--max-old-space-size`, i.e. `PACTUM_GATEWAY_HEAP_MB`,
 * plus V8's young generation), so that all caches full together still leave the heap room to
 * serve. Every cache takes its default bound from here; an option given explicitly wins.
 *
 * The share: caches together get {@link CACHE_HEAP_SHARE} of the heap. The rest is for serving —
 * requests in flight (a ContainerDossier response with its subgraph results and audit record is
 * a few hundred kB), the policy, the schema and the query planner (~40 MB after start-up), and
 * the garbage V8 needs between collections to not thrash. The split follows what a miss costs
 * and how much one entry weighs: a rewrite (parse + policy walk) and a query plan (the planner,
 * the slowest step of all) are the most worth keeping.
 */
import v8 from 'node:v8';

/** The part of the heap all caches together may fill. */
export const CACHE_HEAP_SHARE = 0.4;

/** Relative weight of each cache in the budget (sums to 100). */
export const CACHE_WEIGHTS = {
  /** Rewritten operations (enforce/rewrite-cache.ts). */
  rewrites: 24,
  /** @apollo/gateway's query plans. */
  queryPlans: 16,
  /** Access profiles (policy/compile-policy.ts). */
  profiles: 13,
  /** Parsed and validated documents (server/stages/prepare-operation.ts). */
  documents: 14,
  /** Filtered introspection schemas, per profile. */
  introspection: 7,
  /**
   * Verified bearer tokens (auth/verify-token.ts): one per signed-in user, so this share, not
   * the operations', is what grows with the number of people using the gateway. A miss costs a
   * signature check (≈ 0.1 ms).
   */
  verifiedTokens: 14,
  /**
   * Context tokens kept for reuse (auth/context-token-signer.ts): one per user and subgraph
   * asked. A miss costs an Ed25519 signature here and a verification at the subgraph.
   */
  contextTokens: 12,
} as const;

export type CacheName = keyof typeof CACHE_WEIGHTS;

/** Bytes per cache, and the figures they were derived from. */
export type CacheBudget = Readonly<Record<CacheName, number>> & {
  /** The heap ceiling the budget was derived from. */
  readonly heapLimitBytes: number;
  /** All caches together: `CACHE_HEAP_SHARE × heapLimitBytes`. */
  readonly totalBytes: number;
};

/** Splits {@link CACHE_HEAP_SHARE} of `heapLimitBytes` between the caches by {@link CACHE_WEIGHTS}. */
export function cacheBudget(heapLimitBytes: number = v8.getHeapStatistics().heap_size_limit): CacheBudget {
  if (!(Number.isFinite(heapLimitBytes) && heapLimitBytes > 0)) throw new RangeError(`heap limit must be a positive number of bytes, got ${heapLimitBytes}`);
  const totalBytes = Math.floor(heapLimitBytes * CACHE_HEAP_SHARE);
  const weightSum = Object.values(CACHE_WEIGHTS).reduce((a, b) => a + b, 0);
  const split = Object.fromEntries(
    Object.entries(CACHE_WEIGHTS).map(([name, weight]) => [name, Math.floor((totalBytes * weight) / weightSum)]),
  ) as Record<CacheName, number>;
  return { ...split, heapLimitBytes, totalBytes };
}

let processBudget: CacheBudget | undefined;

/** The budget of this process (computed once: the heap ceiling does not change while it runs). */
export function defaultCacheBudget(): CacheBudget {
  processBudget ??= cacheBudget();
  return processBudget;
}
