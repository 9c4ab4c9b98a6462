import DataLoader from 'dataloader';
import { KitOptionsError } from '../errors';

const LOADERS = Symbol('pactum.loaders');

/**
 * Per-request home of DataLoaders. A fresh one per request keeps caching within one
 * request: no row loaded for one caller is ever served to another.
 */
export interface LoaderCache {
  readonly [LOADERS]: Map<string, DataLoader<unknown, unknown, unknown>>;
}

/** A new, empty loader cache (the server factory makes one per request). */
export function createLoaderCache(): LoaderCache {
  return { [LOADERS]: new Map() };
}

/**
 * Turns a key into the string DataLoader caches and matches rows by. Primitive keys
 * become `String(key)`; object keys (composite keys such as `{agency, localId}`) become
 * JSON with sorted property names, so `{a, b}` and `{b, a}` are the same key.
 */
export function keyToString(key: unknown): string {
  if (key === null || typeof key !== 'object') return String(key);
  return JSON.stringify(key, (_k, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

/**
 * The request's DataLoader called `name`, created on first use from `batchFn`. Use one
 * name per (entity, relation), e.g. `Container.byNumber`, `Container.seizures`.
 * Composite keys are supported out of the box (see {@link keyToString}).
 */
export function loaderFor<K, V>(
  cache: LoaderCache,
  name: string,
  batchFn: DataLoader.BatchLoadFn<K, V>,
  options?: { cacheKeyFn?: (key: K) => string; maxBatchSize?: number },
): DataLoader<K, V, string> {
  if (!cache || !(cache[LOADERS] instanceof Map)) {
    throw new KitOptionsError('loader_cache', `loaderFor(${name}): the first argument must come from createLoaderCache()`);
  }
  const existing = cache[LOADERS].get(name);
  if (existing) return existing as unknown as DataLoader<K, V, string>;
  const loader = new DataLoader<K, V, string>(batchFn, {
    cacheKeyFn: options?.cacheKeyFn ?? keyToString,
    ...(options?.maxBatchSize ? { maxBatchSize: options.maxBatchSize } : {}),
  });
  cache[LOADERS].set(name, loader as unknown as DataLoader<unknown, unknown, unknown>);
  return loader;
}
