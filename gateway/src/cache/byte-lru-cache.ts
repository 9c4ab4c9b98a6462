/**
 * The gateway's one cache implementation: a least-recently-used map bounded both by entries and
 * by an estimate of the bytes its entries keep alive on the heap. An entry bound alone is no
 * bound on memory — one rewrite of a large document weighs a thousand of a small one — so every
 * cache that a client can fill (rewrites, access profiles, verified tokens, query plans, parsed
 * documents) is one of these, sized from the heap by {@link cacheBudget}.
 *
 * `Map` keeps insertion order, so re-inserting on a hit moves the entry to the young end and the
 * oldest entry is always the first key.
 */

/** Options of {@link ByteLruCache}. */
export interface ByteLruCacheOptions<K, V> {
  /** Most bytes (by `sizeOf`) all entries together may weigh. */
  readonly maxBytes: number;
  /** Most entries kept, whatever their weight. Default: no bound beyond bytes. */
  readonly maxEntries?: number;
  /**
   * Heaviest single entry accepted; a heavier one is not cached at all (the caller computes it
   * again next time), so one huge document cannot push out hundreds of ordinary ones.
   * Default: an eighth of `maxBytes`.
   */
  readonly maxEntryBytes?: number;
  /** Retained heap bytes of one entry, key included (see `size-estimates.ts`). */
  readonly sizeOf: (value: V, key: K) => number;
  /** Where `get` counts its hits and misses (see `cache-lookups.ts`); default: not counted. */
  readonly lookups?: CacheLookups;
}

import type { CacheLookups } from './cache-lookups';

/** Bytes a `Map` entry costs beyond its key and value (hash table slot, entry record). */
const MAP_ENTRY_BYTES = 48;

interface Entry<V> {
  readonly value: V;
  readonly bytes: number;
}

function checkBound(name: string, value: number): void {
  if (!(Number.isInteger(value) || value === Infinity) || value < 1) throw new RangeError(`ByteLruCache ${name} must be a positive integer, got ${value}`);
}

/** A bounded LRU map (see the file comment). */
export class ByteLruCache<K, V> {
  readonly maxBytes: number;
  readonly maxEntries: number;
  readonly maxEntryBytes: number;
  private readonly sizeOf: (value: V, key: K) => number;
  private readonly lookups: CacheLookups | undefined;
  private readonly map = new Map<K, Entry<V>>();
  private total = 0;

  constructor(options: ByteLruCacheOptions<K, V>) {
    this.maxBytes = options.maxBytes;
    this.maxEntries = options.maxEntries ?? Infinity;
    this.maxEntryBytes = options.maxEntryBytes ?? Math.max(1, Math.floor(options.maxBytes / 8));
    checkBound('maxBytes', this.maxBytes);
    checkBound('maxEntries', this.maxEntries);
    checkBound('maxEntryBytes', this.maxEntryBytes);
    this.sizeOf = options.sizeOf;
    this.lookups = options.lookups;
  }

  get(key: K): V | undefined {
    const entry = this.map.get(key);
    if (entry === undefined) {
      if (this.lookups) this.lookups.misses++;
      return undefined;
    }
    if (this.lookups) this.lookups.hits++;
    this.map.delete(key);
    this.map.set(key, entry);
    return entry.value;
  }

  has(key: K): boolean {
    return this.map.has(key);
  }

  /**
   * Keeps `value` under `key`, evicting the least recently used entries until both bounds hold.
   * Returns false, and keeps nothing (an older entry under `key` is dropped too), when the entry
   * alone is heavier than `maxEntryBytes`.
   */
  set(key: K, value: V): boolean {
    this.delete(key);
    const estimate = this.sizeOf(value, key);
    const bytes = MAP_ENTRY_BYTES + (Number.isFinite(estimate) && estimate > 0 ? Math.ceil(estimate) : 0);
    if (bytes > this.maxEntryBytes || bytes > this.maxBytes) return false;
    this.map.set(key, { value, bytes });
    this.total += bytes;
    while (this.total > this.maxBytes || this.map.size > this.maxEntries) {
      const oldest = this.map.keys().next();
      if (oldest.done) break;
      this.delete(oldest.value);
    }
    return true;
  }

  delete(key: K): boolean {
    const entry = this.map.get(key);
    if (entry === undefined) return false;
    this.map.delete(key);
    this.total -= entry.bytes;
    return true;
  }

  clear(): void {
    this.map.clear();
    this.total = 0;
  }

  /** Entries kept. */
  get size(): number {
    return this.map.size;
  }

  /** Estimated bytes of all entries kept (never above `maxBytes`). */
  get bytes(): number {
    return this.total;
  }
}
