/**
 * How many records a page read of the trail asks for: pages are sized by entity links as well as
 * by records. A record that released a 1,000-row list has 2,000 links, and 1,000 such records
 * made a page of 2,000,000 entity rows (verifying 1,500 of them took 1.2 GB of RSS). The first
 * page is short; each next one holds about {@link PAGE_LINKS} links at the rate of the page
 * before, and never more records than the caller's page size.
 */

/** Records of the first page, before the rate of links per record is known. */
export const FIRST_PAGE_RECORDS = 50;
/** Entity links a page holds, about: the bound on what a page costs in memory. */
export const PAGE_LINKS = 100_000;

/**
 * Records retention reads a page, unpacked, to take their counts out of the aggregates. Their
 * texts are held together, in the gateway's heap: a record that released a 1,000-row list
 * unpacks to over 100 kB, so a page is kept small.
 */
export const PRUNE_PAGE_RECORDS = 100;

/** The first page's size, for pages of at most `max` records. */
export function firstPageSize(max: number): number {
  return Math.max(1, Math.min(max, FIRST_PAGE_RECORDS));
}

/** The next page's size after `page` (records with their entity rows), for pages of at most `max` records. */
export function nextPageSize(max: number, page: ReadonlyArray<{ readonly entities: readonly unknown[] }>): number {
  let links = 0;
  for (const row of page) links += row.entities.length;
  return Math.max(1, Math.min(max, Math.floor((PAGE_LINKS * Math.max(1, page.length)) / Math.max(1, links))));
}
