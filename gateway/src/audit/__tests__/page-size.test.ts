/**
 * Verify and query read the trail in pages sized by entity links as well as by records
 * (`chain/page-size.ts`), on both stores: records that each released a thousand entities are
 * read in pages of about `PAGE_LINKS` links, so what a page holds in memory stays bounded
 * whatever the trail's records released, while small records still come in full pages after a
 * short first one. Either way every record is checked, or returned, once, and a query's limit holds.
 * And on PostgreSQL, a pass's entity memo that is full starts again without losing the entities
 * of the page it is reading (which would read as edited entity rows).
 */
import { GENESIS_HASH } from '../chain/chain-hash';
import { prepareRecord } from '../chain/prepare-record';
import { FIRST_PAGE_RECORDS, PAGE_LINKS } from '../chain/page-size';
import { walkChain } from '../chain/verify-chain';
import { collect, createAuditTrail } from '../audit-trail';
import type { AuditStore, ChainWalkMemo, StoredRow } from '../stores/audit-store';
import { openPostgresStore, WALK_MEMO_ENTITIES } from '../stores/postgres-store';
import { openSqliteStore } from '../stores/sqlite-store';
import { releasedEvent } from './support/events';
import { createHarness, type StoreHarness } from './support/store-harness';

type Page = { limit: number; records: number; links: number };

/** The store, with each page of records it returns (chain pages, query pages) noted: records asked for, entity links returned. */
function noting(store: AuditStore): { store: AuditStore; pages: Page[]; queried: Page[] } {
  const pages: Page[] = [];
  const queried: Page[] = [];
  const note = (to: Page[], limit: number, rows: readonly StoredRow[]) => to.push({ limit, records: rows.length, links: rows.reduce((n, r) => n + r.entities.length, 0) });
  const spied = new Proxy(store, {
    get(target, prop, receiver) {
      if (prop === 'readChain') {
        return async (...args: Parameters<AuditStore['readChain']>) => {
          const rows = await target.readChain(...args);
          note(pages, args[2], rows);
          return rows;
        };
      }
      if (prop === 'queryPage') {
        return async (...args: Parameters<AuditStore['queryPage']>) => {
          const rows = await target.queryPage(...args);
          note(queried, args[2], rows);
          return rows;
        };
      }
      const v: unknown = Reflect.get(target, prop, receiver);
      return typeof v === 'function' ? v.bind(target) : v;
    },
  });
  return { store: spied, pages, queried };
}

describe.each(['sqlite', 'postgres'] as const)('pages of verify and query on %s', (kind) => {
  let h: StoreHarness;
  let store: AuditStore;

  beforeEach(async () => {
    h = await createHarness(kind);
    const c = h.config;
    store = kind === 'sqlite' ? await openSqliteStore({ file: c.file as string }) : await openPostgresStore({ url: c.url as string, schema: c.schema as string });
  });

  afterEach(async () => {
    await store.close();
    await h.cleanup();
  });

  async function fill(records: number, entitiesEach: number): Promise<void> {
    for (let at = 0; at < records; at += 20) {
      const batch = [];
      for (let i = at; i < Math.min(records, at + 20); i++) {
        const e = releasedEvent(i + 1);
        const released = Array.from({ length: entitiesEach }, (_, k) => ({ type: k % 2 ? 'Seizure' : 'Container', key: `K-${(i * 7 + k) % 5000}`, owner: 'NL-CUSTOMS' }));
        batch.push(prepareRecord({ ...e, enforcement: { ...e.enforcement!, released } }));
      }
      const out = await store.appendBatch('gw-1', batch);
      for (const o of out) if (o instanceof Error) throw o;
    }
  }

  test('records that released 1,000 entities each: pages of at most PAGE_LINKS links, every record checked', async () => {
    await fill(160, 1000);
    const { store: spied, pages } = noting(store);
    const r = await walkChain(spied, 'gw-1', { seq: 0, hash: GENESIS_HASH, id: null }, new Map(), { pageSize: 1000, deep: false }, null, 0);
    expect(r).toEqual({ prev: expect.objectContaining({ seq: 160 }), checked: 160 });
    expect(Math.max(...pages.map((p) => p.links))).toBeLessThanOrEqual(PAGE_LINKS);
    expect(pages.map((p) => p.limit)).toEqual([FIRST_PAGE_RECORDS, PAGE_LINKS / 1000, PAGE_LINKS / 1000]);
    expect(pages.map((p) => p.records)).toEqual([50, 100, 10]);

    // A query reads the same records in pages as bounded (at most 500 records a page).
    const q = noting(store);
    const all = await collect(createAuditTrail(q.store, { chain: 'reader' }).query({}));
    expect(all).toHaveLength(160);
    expect(new Set(all.map((a) => a.id)).size).toBe(160);
    expect(Math.max(...q.queried.map((p) => p.links))).toBeLessThanOrEqual(PAGE_LINKS);
    expect(q.queried.map((p) => p.limit)).toEqual([FIRST_PAGE_RECORDS, PAGE_LINKS / 1000, PAGE_LINKS / 1000]);
  }, 60_000);

  test('small records: a short first page, then full ones', async () => {
    await fill(260, 1);
    const { store: spied, pages } = noting(store);
    const r = await walkChain(spied, 'gw-1', { seq: 0, hash: GENESIS_HASH, id: null }, new Map(), { pageSize: 100, deep: false }, null, 0);
    expect(r.checked).toBe(260);
    expect(r.problem).toBeUndefined();
    expect(pages.map((p) => p.limit)).toEqual([FIRST_PAGE_RECORDS, 100, 100, 100]);
    expect(pages.map((p) => p.records)).toEqual([50, 100, 100, 10]);

    const q = noting(store);
    expect(await collect(createAuditTrail(q.store, { chain: 'reader' }).query({}))).toHaveLength(260);
    expect(q.queried.map((p) => p.limit)).toEqual([FIRST_PAGE_RECORDS, 500]);
    // A limit is still a limit, across pages.
    const r2 = noting(store);
    expect(await collect(createAuditTrail(r2.store, { chain: 'reader' }).query({ limit: 120 }))).toHaveLength(120);
    expect(r2.queried.map((p) => p.limit)).toEqual([FIRST_PAGE_RECORDS, 70]);
  });
});

describe("a pass's entity memo on postgres, when full", () => {
  let h: StoreHarness;
  let store: AuditStore;

  beforeEach(async () => {
    h = await createHarness('postgres');
    store = await openPostgresStore({ url: h.config.url as string, schema: h.config.schema as string });
    const batch = [];
    for (let i = 1; i <= 8; i++) {
      const e = releasedEvent(i);
      batch.push(prepareRecord({ ...e, enforcement: { ...e.enforcement!, released: [{ type: 'Container', key: `MEMO${i}`, owner: 'NL-CUSTOMS' }] } }));
    }
    for (const o of await store.appendBatch('gw-1', batch)) if (o instanceof Error) throw o;
  });

  afterEach(async () => {
    await store.close();
    await h.cleanup();
  });

  test("starts again from the page it is reading, which keeps every one of the page's entities", async () => {
    const walk: ChainWalkMemo = new Map();
    const firstHalf = await store.readChain('gw-1', 0, 4, false, walk);
    // The memo now holds the first four records' entities; fill it to one short of full.
    for (let i = walk.size; i < WALK_MEMO_ENTITIES - 1; i++) walk.set(`filler-${i}`, [`filler-${i}`, 'Container', `F${i}`, 'NL-CUSTOMS']);
    // The next page meets four of them again and four new ones: the memo overflows.
    const page = await store.readChain('gw-1', 0, 8, false, walk);
    expect(page.map((r) => r.entities.map((e) => e.key))).toEqual([1, 2, 3, 4, 5, 6, 7, 8].map((i) => [`MEMO${i}`]));
    expect(page.slice(0, 4).map((r) => r.entities)).toEqual(firstHalf.map((r) => r.entities));
    expect(page.every((r) => r.linkIndexBroken === undefined)).toBe(true);
    expect(walk.size).toBeLessThanOrEqual(WALK_MEMO_ENTITIES);
  });
});
