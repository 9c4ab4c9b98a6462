/**
 * Apollo's caches — @apollo/gateway's query-plan store, Apollo Server's parsed-document store and
 * its automatic-persisted-query store — take any `KeyValueCache`. Handing them a
 * {@link ByteLruCache} puts them under the same byte budget as Pactum's own caches, instead of
 * their defaults (30 MiB each, measured as JSON length, which undercounts what a parsed document
 * or a plan keeps alive on the heap several times over).
 */
import { ByteLruCache } from './byte-lru-cache';
import type { CacheLookups } from './cache-lookups';

/** The shape of `@apollo/utils.keyvaluecache`'s `KeyValueCache` (structural: no dependency on that package). */
export interface KeyValueCache<V> {
  get(key: string): Promise<V | undefined>;
  set(key: string, value: V, options?: { ttl?: number | null }): Promise<void>;
  delete(key: string): Promise<boolean | void>;
  /** @apollo/gateway empties its plan store on a schema change. */
  clear(): void;
}

/** A KeyValueCache over a byte-bounded LRU. TTLs are ignored: every user here stores immutable values. */
export function keyValueCache<V>(options: {
  maxBytes: number;
  maxEntryBytes?: number;
  sizeOf: (value: V, key: string) => number;
  lookups?: CacheLookups;
}): KeyValueCache<V> & {
  readonly lru: ByteLruCache<string, V>;
} {
  const lru = new ByteLruCache<string, V>(options);
  return {
    lru,
    async get(key) {
      return lru.get(key);
    },
    async set(key, value) {
      lru.set(key, value);
    },
    async delete(key) {
      return lru.delete(key);
    },
    clear() {
      lru.clear();
    },
  };
}
