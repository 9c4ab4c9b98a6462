/**
 * The gateway's caches of documents: @apollo/gateway's query-plan store (`queryPlannerConfig.cache`;
 * by default an LRU of 30 MiB measured as JSON length, while a plan keeps up to 22 times its JSON
 * alive) and the prepare stage's parsed and validated documents (~4–5 times their JSON on the
 * heap). Each gets its share of the {@link CacheBudget} and is weighed by the same calibrated
 * estimates as every other cache. Automatic persisted queries are off, so they have no cache.
 */
import type { DocumentNode } from 'graphql';
import { ByteLruCache } from './byte-lru-cache';
import { cacheLookups } from './cache-lookups';
import { defaultCacheBudget, type CacheBudget } from './cache-budget';
import { keyValueCache, type KeyValueCache } from './key-value-cache';
import { estimateDocumentBytes, estimatePlanBytes } from './size-estimates';

/** A document or plan heavier than this is not cached at all (it is parsed or planned again when it comes back). */
export const APOLLO_MAX_ENTRY_BYTES = 1024 * 1024;

/** The per-entry ceiling of a cache with `share` bytes: at most 1/16 of it, and never above {@link APOLLO_MAX_ENTRY_BYTES}. */
const entryCeiling = (share: number): number => Math.max(1, Math.min(APOLLO_MAX_ENTRY_BYTES, Math.floor(share / 16)));

/** For `new ApolloGateway({ queryPlannerConfig: { cache } })`, generic in what Apollo stores so it fits Apollo's option type. */
export function queryPlanCache<P>(budget: CacheBudget = defaultCacheBudget()): KeyValueCache<P> {
  return keyValueCache<P>({ maxBytes: budget.queryPlans, maxEntryBytes: entryCeiling(budget.queryPlans), sizeOf: estimatePlanBytes, lookups: cacheLookups('queryPlans') });
}

/** Validated documents by the sha256 of their text, for the prepare stage. */
export function documentCache(budget: CacheBudget = defaultCacheBudget()): ByteLruCache<string, DocumentNode> {
  return new ByteLruCache<string, DocumentNode>({ maxBytes: budget.documents, maxEntryBytes: entryCeiling(budget.documents), sizeOf: estimateDocumentBytes, lookups: cacheLookups('documents') });
}
