/**
 * Rewrites cached per (schema, policy version, profile key, client query hash, operation name):
 * two principals with the same query text but different profiles never share an entry, equal
 * profile keys promise identical decisions, so sharing within one key is safe, and no entry
 * outlives the schema or the policy it was built from — a new schema or a reloaded policy (new
 * supergraph facts) empties the cache, and the policy version is part of every key besides.
 *
 * Bounded in bytes as well as entries (see `cache/`): an entry's weight is estimated from the
 * AST nodes of the client's and the rewritten document, and a rewrite heavier than
 * `maxEntryBytes` is not cached at all, so one large document cannot evict hundreds of ordinary
 * ones, nor can many large ones fill the heap.
 */
import type { GraphQLSchema } from 'graphql';
import { ByteLruCache, cacheLookups, defaultCacheBudget, estimateRewriteBytes } from '../cache';
import type { AccessProfile, SupergraphFacts } from '../policy';
import { rewriteOperation, type RewriteInput, type RewriteResult } from './rewrite-operation';

/** Default entry bound: distinct (operation, profile) pairs kept, whatever their weight. */
export const DEFAULT_REWRITE_CACHE_SIZE = 2000;

/** Heaviest rewrite cached by default (≈ 4 000 AST nodes, twice the largest trusted operation's). */
export const DEFAULT_REWRITE_MAX_ENTRY_BYTES = 1024 * 1024;

/** Bounds of a {@link RewriteCache}. */
export interface RewriteCacheOptions {
  /** Most entries. Default {@link DEFAULT_REWRITE_CACHE_SIZE}. */
  readonly maxEntries?: number;
  /** Most estimated bytes. Default: the `rewrites` share of the process's cache budget. */
  readonly maxBytes?: number;
  /** Heaviest single rewrite cached. Default the smaller of {@link DEFAULT_REWRITE_MAX_ENTRY_BYTES} and maxBytes / 16. */
  readonly maxEntryBytes?: number;
}

/** A bounded cache in front of {@link rewriteOperation}. */
export interface RewriteCache {
  /**
   * The rewrite of `input.document` for `input.profile`. `queryHash` must identify the client's
   * document (Apollo Server's `queryHash`: sha256 of its source).
   */
  rewrite(input: RewriteInput & { readonly queryHash: string }): RewriteResult;
  /** Entries kept. */
  readonly size: number;
  /** Estimated bytes kept. */
  readonly bytes: number;
}

/** Creates a rewrite cache; a number is the entry bound (bytes from the budget). */
export function createRewriteCache(options: number | RewriteCacheOptions = {}): RewriteCache {
  const o: RewriteCacheOptions = typeof options === 'number' ? { maxEntries: options } : options;
  const maxBytes = o.maxBytes ?? defaultCacheBudget().rewrites;
  // The client's document is kept beside its rewrite to weigh the entry; it is counted as if no
  // other cache (Apollo's document store) shared it, so the estimate stays an upper bound.
  const lru = new ByteLruCache<string, { readonly result: RewriteResult; readonly clientDocument: RewriteInput['document'] }>({
    maxEntries: o.maxEntries ?? DEFAULT_REWRITE_CACHE_SIZE,
    maxBytes,
    maxEntryBytes: o.maxEntryBytes ?? Math.max(1, Math.min(DEFAULT_REWRITE_MAX_ENTRY_BYTES, Math.floor(maxBytes / 16))),
    sizeOf: (entry, key) => estimateRewriteBytes(entry.clientDocument, entry.result.document, key),
    lookups: cacheLookups('rewrites'),
  });
  let schema: GraphQLSchema | undefined;
  let facts: SupergraphFacts | undefined;
  return {
    rewrite(input) {
      if (input.schema !== schema || input.facts !== facts) {
        lru.clear();
        schema = input.schema;
        facts = input.facts;
      }
      // The NUL separator cannot occur in a hash, an operation name, a policy version or a profile key made of names.
      const key = `${input.queryHash}\u0000${input.operationName ?? ''}\u0000${input.profile.policyVersion}\u0000${profileKey(input.profile)}`;
      const hit = lru.get(key);
      if (hit) return hit.result;
      const result = rewriteOperation(input);
      lru.set(key, { result, clientDocument: input.document });
      return result;
    },
    get size() {
      return lru.size;
    },
    get bytes() {
      return lru.bytes;
    },
  };
}

function profileKey(profile: AccessProfile): string {
  if (typeof profile.key !== 'string' || profile.key === '') throw new Error('enforcement: access profile without a key');
  return profile.key;
}
