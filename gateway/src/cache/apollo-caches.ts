/**
 * Bounded stand-ins for the caches Apollo keeps on its own: @apollo/gateway's query-plan store
 * (`queryPlannerConfig.cache`; by default an LRU of 30 MiB measured as JSON length, while a plan
 * keeps up to 22 times its JSON alive), Apollo Server's store of parsed and validated documents
 * (`documentStore`; 30 MiB of JSON by default, ~4–5 times that on the heap) and its automatic
 * persisted queries (`persistedQueries.cache`; by default the server-wide 30 MiB cache). Each is
 * given its share of the {@link CacheBudget} and weighed by the same calibrated estimates as
 * Pactum's own caches.
 */
import { defaultCacheBudget, type CacheBudget } from './cache-budget';
import { keyValueCache, type KeyValueCache } from './key-value-cache';
import { estimateDocumentBytes, estimatePlanBytes, estimateStringBytes } from './size-estimates';

/** A document, plan or query heavier than this is not cached at all (it is planned or parsed again when it comes back). */
export const APOLLO_MAX_ENTRY_BYTES = 1024 * 1024;

/** The three caches, each generic in what Apollo stores so it fits Apollo's own option types. */
export interface ApolloCaches {
  /** For `new ApolloGateway({ queryPlannerConfig: { cache } })`. */
  queryPlans<P>(): KeyValueCache<P>;
  /** For `new ApolloServer({ documentStore })`. */
  documents<D>(): KeyValueCache<D>;
  /** For `new ApolloServer({ persistedQueries: { cache } })`. */
  persistedQueries(): KeyValueCache<string>;
}

/** Creates the caches' factories over `budget` (default: this process's). */
export function apolloCaches(budget: CacheBudget = defaultCacheBudget()): ApolloCaches {
  const entry = (share: number): number => Math.max(1, Math.min(APOLLO_MAX_ENTRY_BYTES, Math.floor(share / 16)));
  return {
    queryPlans: <P>() => keyValueCache<P>({ maxBytes: budget.queryPlans, maxEntryBytes: entry(budget.queryPlans), sizeOf: estimatePlanBytes }),
    documents: <D>() => keyValueCache<D>({ maxBytes: budget.documents, maxEntryBytes: entry(budget.documents), sizeOf: estimateDocumentBytes }),
    persistedQueries: () =>
      keyValueCache<string>({ maxBytes: budget.persistedQueries, maxEntryBytes: entry(budget.persistedQueries), sizeOf: estimateStringBytes }),
  };
}
