/**
 * Hit and miss tallies of the gateway's caches, by cache name, for the `pactum_cache_lookups_total`
 * metric. Plain numbers per process (a cache counts with one increment, no label lookup), read by
 * the metrics registry when it is scraped. A cache rebuilt (the access profiles at each policy
 * reload) keeps counting into the same tally, so the series never goes backwards.
 */
import type { CacheName } from './cache-budget';

/** One cache's tally. */
export interface CacheLookups {
  hits: number;
  misses: number;
}

const tallies = new Map<CacheName, CacheLookups>();

/** The tally of the named cache (created on first use; shared by every cache of that name in this process). */
export function cacheLookups(name: CacheName): CacheLookups {
  let tally = tallies.get(name);
  if (!tally) tallies.set(name, (tally = { hits: 0, misses: 0 }));
  return tally;
}

/** Every tally so far, by cache name. */
export function allCacheLookups(): ReadonlyMap<CacheName, Readonly<CacheLookups>> {
  return tallies;
}
