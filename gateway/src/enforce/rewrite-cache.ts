/**
 * Rewrites cached per (client query hash, operation name, profile key): two principals with the
 * same query text but different profiles never share an entry, and equal profile keys promise
 * identical decisions, so sharing within one key is safe. A schema change empties the cache.
 */
import type { AccessProfile, SupergraphFacts } from '../policy/types';
import { LruCache } from './lru-cache';
import { rewriteOperation, type RewriteInput, type RewriteResult } from './rewrite-operation';
import type { GraphQLSchema } from 'graphql';

/** Default bound: distinct (operation, profile) pairs kept. */
export const DEFAULT_REWRITE_CACHE_SIZE = 2000;

/** A bounded cache in front of {@link rewriteOperation}. */
export interface RewriteCache {
  /**
   * The rewrite of `input.document` for `input.profile`. `queryHash` must identify the client's
   * document (Apollo Server's `queryHash`: sha256 of its source).
   */
  rewrite(input: RewriteInput & { readonly queryHash: string }): RewriteResult;
  readonly size: number;
}

/** Creates a rewrite cache holding at most `maxEntries` rewrites. */
export function createRewriteCache(maxEntries = DEFAULT_REWRITE_CACHE_SIZE): RewriteCache {
  const lru = new LruCache<string, RewriteResult>(maxEntries);
  let schema: GraphQLSchema | undefined;
  let facts: SupergraphFacts | undefined;
  return {
    rewrite(input) {
      if (input.schema !== schema || input.facts !== facts) {
        lru.clear();
        schema = input.schema;
        facts = input.facts;
      }
      // The NUL separator cannot occur in a hash, an operation name or a profile key made of names.
      const key = `${input.queryHash}\u0000${input.operationName ?? ''}\u0000${profileKey(input.profile)}`;
      const hit = lru.get(key);
      if (hit) return hit;
      const result = rewriteOperation(input);
      lru.set(key, result);
      return result;
    },
    get size() {
      return lru.size;
    },
  };
}

function profileKey(profile: AccessProfile): string {
  if (typeof profile.key !== 'string' || profile.key === '') throw new Error('enforcement: access profile without a key');
  return profile.key;
}
