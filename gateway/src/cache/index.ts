/**
 * Bounded caches: one implementation ({@link ByteLruCache}), honest size estimates, and the
 * budget that sizes every cache of the gateway from its heap. The only public door.
 */
export { ByteLruCache, type ByteLruCacheOptions } from './byte-lru-cache';
export { allCacheLookups, cacheLookups, type CacheLookups } from './cache-lookups';
export { keyValueCache, type KeyValueCache } from './key-value-cache';
export { APOLLO_MAX_ENTRY_BYTES, documentCache, queryPlanCache } from './apollo-caches';
export { cacheBudget, defaultCacheBudget, CACHE_HEAP_SHARE, CACHE_WEIGHTS, type CacheBudget, type CacheName } from './cache-budget';
export {
  countAstNodes,
  estimateContextTokenBytes,
  estimateDocumentBytes,
  estimatePlanBytes,
  estimateProfileBytes,
  estimateRewriteBytes,
  estimateSchemaBytes,
  estimateVerifiedTokenBytes,
} from './size-estimates';
