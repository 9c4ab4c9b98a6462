/**
 * What layout 2 adds, on both stores: `stats` from the aggregates is exactly what counting the
 * records gives, for any period (whole hours, minutes, and the milliseconds at the edges);
 * `verify` fails when the aggregates are edited; retention also removes entity keys no remaining
 * record names; and (SQLite) a file of the old layout is refused by name, untouched.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { createCheckpointSigner } from '../chain/checkpoint-statement';
import { collect, openAuditTrail, type AuditEvent, type AuditStats, type AuditTrail } from '../index';
import { RecordGenerator } from '../bench/generate-records';
import { createHarness, type StoreHarness } from './support/store-harness';
import { editContent } from './support/tamper';
import { generateKeyPairSync } from 'node:crypto';
import { publicJwkOf } from '../../auth/ensure-gateway-keys';

/** Counts the plain way, from the events themselves. */
function countByHand(events: readonly AuditEvent[]): Pick<AuditStats, 'requests' | 'byAgency' | 'denials'> {
  const agencies = new Map<string | null, Record<string, number>>();
  const denials = new Map<string, { agency: string | null; kind: string; reason: string; count: number }>();
  const deny = (agency: string | null, kind: string, reason: string) => {
    const k = `${agency}|${kind}|${reason}`;
    const d = denials.get(k) ?? { agency, kind, reason, count: 0 };
    d.count += 1;
    denials.set(k, d);
  };
  for (const e of events) {
    const agency = e.principal?.agency ?? null;
    const a = agencies.get(agency) ?? { requests: 0, released: 0, partial: 0, denied: 0, refused: 0, errors: 0, entitiesReleased: 0, fieldDenials: 0, rowDenials: 0 };
    a.requests = (a.requests ?? 0) + 1;
    const outcome = e.outcome === 'error' ? 'errors' : e.outcome;
    a[outcome] = (a[outcome] ?? 0) + 1;
    a.entitiesReleased = (a.entitiesReleased ?? 0) + new Set((e.enforcement?.released ?? []).map((x) => `${x.type}|${x.key}|${x.owner}`)).size;
    a.fieldDenials = (a.fieldDenials ?? 0) + (e.enforcement?.fieldDenials.length ?? 0);
    a.rowDenials = (a.rowDenials ?? 0) + (e.enforcement?.rowDenials.length ?? 0);
    agencies.set(agency, a);
    for (const d of e.enforcement?.fieldDenials ?? []) deny(agency, 'field', d.reason);
    for (const d of e.enforcement?.rowDenials ?? []) deny(agency, 'row', d.reason);
    if (e.refusal) deny(agency, 'refusal', e.refusal.reason);
  }
  const byAgency = [...agencies].map(([agency, a]) => ({ agency, ...a })).sort((x, y) => (x.agency === null ? 1 : y.agency === null ? -1 : x.agency < y.agency ? -1 : 1));
  return {
    requests: events.length,
    byAgency: byAgency as unknown as AuditStats['byAgency'],
    denials: [...denials.values()] as AuditStats['denials'],
  };
}

describe.each(['sqlite', 'postgres'] as const)('layout 2 on %s', (kind) => {
  let h: StoreHarness;
  let trail: AuditTrail;
  const events: AuditEvent[] = [];

  beforeAll(async () => {
    h = await createHarness(kind);
    trail = await h.open();
    // ~400 records over ~9 hours, so periods cut hours and minutes.
    const gen = new RecordGenerator({ start: new Date(Date.UTC(2026, 0, 5, 7, 41, 13, 517)), intervalMs: 80_000, entities: 50, seed: 7 });
    for (let i = 0; i < 400; i++) events.push(gen.next());
    await Promise.all(events.map((e) => trail.append(e)));
  }, 60_000);

  afterAll(async () => {
    await trail.close();
    await h.cleanup();
  });

  const at = (iso: string) => new Date(iso);
  test.each([
    ['the whole trail', undefined, undefined],
    ['whole hours', at('2026-01-05T09:00:00Z'), at('2026-01-05T13:00:00Z')],
    ['minutes around hours', at('2026-01-05T08:37:00Z'), at('2026-01-05T14:06:00Z')],
    ['milliseconds around minutes and hours', at('2026-01-05T08:37:41.123Z'), at('2026-01-05T14:06:02.999Z')],
    ['inside one minute', at('2026-01-05T10:15:03.250Z'), at('2026-01-05T10:15:59.001Z')],
    ['inside one hour', at('2026-01-05T10:15:03.250Z'), at('2026-01-05T10:47:00.000Z')],
    ['open start', undefined, at('2026-01-05T11:30:30.500Z')],
    ['open end', at('2026-01-05T11:30:30.500Z'), undefined],
  ])('stats over %s equal counting the records', async (_what, since, until) => {
    const inPeriod = events.filter((e) => (!since || e.time >= since) && (!until || e.time < until));
    const stats = await trail.stats({ ...(since ? { since } : {}), ...(until ? { until } : {}) });
    const want = countByHand(inPeriod);
    expect(stats.requests).toBe(want.requests);
    expect(stats.byAgency).toEqual(want.byAgency);
    expect([...stats.denials].sort((a, b) => `${a.agency}${a.kind}${a.reason}`.localeCompare(`${b.agency}${b.kind}${b.reason}`))).toEqual(
      [...want.denials].sort((a, b) => `${a.agency}${a.kind}${a.reason}`.localeCompare(`${b.agency}${b.kind}${b.reason}`)),
    );
    expect(want.requests).toBeGreaterThan(0);
  });

  test('stats by agency and purpose equal counting the records', async () => {
    const since = at('2026-01-05T08:12:30.400Z');
    const inPeriod = events.filter((e) => e.time >= since && e.principal?.agency === 'NL-POLICE' && e.purpose?.code === 'drug-trafficking');
    const stats = await trail.stats({ since, agency: 'NL-POLICE', purpose: 'drug-trafficking' });
    expect(stats.byAgency).toEqual(countByHand(inPeriod).byAgency);
    expect(inPeriod.length).toBeGreaterThan(0);
  });

  test('query --entity finds exactly the records that released it', async () => {
    const key = events.find((e) => e.enforcement?.released[0]?.type === 'Container')?.enforcement?.released[0]?.key ?? '';
    const want = events.filter((e) => e.enforcement?.released.some((x) => x.type === 'Container' && x.key === key)).map((e) => e.id);
    const got = (await collect(trail.query({ entity: { type: 'Container', key } }))).map((r) => r.id);
    expect(got.sort()).toEqual(want.sort());
    expect(want.length).toBeGreaterThan(1);
  });

  test('verify on worker threads: the same report, and the same record named after tampering', async () => {
    const alone = await trail.verify({ workers: 1 });
    expect(alone).toMatchObject({ ok: true, checked: 400, ranges: 0 });
    const split = await trail.verify({ workers: 2, parallelMinRecords: 100 });
    expect(split).toEqual({ ...alone, ranges: 2 });
    await editContent(h, 300, (t) => t.replace('"req-', '"rex-'));
    try {
      const bad = await trail.verify({ workers: 1 });
      expect(bad.firstBad).toMatchObject({ problem: 'changed', seq: 300 });
      expect((await trail.verify({ workers: 2, parallelMinRecords: 100 })).firstBad).toEqual(bad.firstBad);
    } finally {
      await editContent(h, 300, (t) => t.replace('"rex-', '"req-'));
    }
    expect((await trail.verify({ workers: 2, parallelMinRecords: 100 })).ok).toBe(true);
  }, 60_000);

  test('queries read page after page (500 a page) in (time, pos) order, with and without an entity', async () => {
    const h2 = await createHarness(kind);
    const t2 = await h2.open();
    try {
      // 1,400 records, several sharing each millisecond: the cursor must order ties by position.
      const gen = new RecordGenerator({ intervalMs: 1, entities: 2, seed: 5 });
      const t0 = Date.UTC(2026, 0, 5, 9);
      const many = Array.from({ length: 1400 }, (_, i) => ({ ...gen.next(), time: new Date(t0 + Math.floor(i / 3)) }));
      await Promise.all(many.map((e) => t2.append(e)));
      const all = await collect(t2.query({}));
      expect(all).toHaveLength(1400);
      const order = all.map((r) => [r.event.time.getTime(), r.chain, r.seq] as const);
      expect(order).toEqual([...order].sort((a, b) => a[0] - b[0] || a[2] - b[2]));
      const counts = new Map<string, number>();
      for (const e of many) for (const x of e.enforcement?.released ?? []) if (x.type === 'Container') counts.set(x.key, (counts.get(x.key) ?? 0) + 1);
      const [key] = [...counts].sort((a, b) => b[1] - a[1])[0] ?? [''];
      const type = 'Container';
      const want = many.filter((e) => e.enforcement?.released.some((x) => x.type === type && x.key === key)).map((e) => e.id).sort();
      expect(want.length).toBeGreaterThan(500);
      expect((await collect(t2.query({ entity: { type, key } }))).map((r) => r.id).sort()).toEqual(want);
      // With a condition on the record as well, and a time range, across pages.
      const since = many[100]?.time as Date;
      const byAgency = many.filter((e) => e.time >= since && e.principal?.agency === 'NL-POLICE' && e.enforcement?.released.some((x) => x.type === type && x.key === key));
      expect((await collect(t2.query({ entity: { type, key }, agency: 'NL-POLICE', since }))).map((r) => r.id).sort()).toEqual(byAgency.map((e) => e.id).sort());
      expect(byAgency.length).toBeGreaterThan(0);
    } finally {
      await t2.close();
      await h2.cleanup();
    }
  }, 60_000);

  test('query --entity of a key released under two owners: each record once, in time order', async () => {
    const h2 = await createHarness(kind);
    const t2 = await h2.open();
    try {
      const gen = new RecordGenerator({ seed: 11 });
      const base = gen.next();
      const both = { ...base, id: 'dup-both', enforcement: { ...(base.enforcement ?? releasedFallback()), released: [{ type: 'Container', key: 'DUPU1', owner: 'NL-CUSTOMS' }, { type: 'Container', key: 'DUPU1', owner: 'BE-CUSTOMS' }] } };
      const later = { ...both, id: 'dup-one', time: new Date(both.time.getTime() + 1000), enforcement: { ...both.enforcement, released: [{ type: 'Container', key: 'DUPU1', owner: 'BE-CUSTOMS' }] } };
      await t2.append(later);
      await t2.append(both);
      expect((await collect(t2.query({ entity: { type: 'Container', key: 'DUPU1' } }))).map((r) => r.id)).toEqual(['dup-both', 'dup-one']);
      expect(await collect(t2.query({ entity: { type: 'Container', key: 'NOPE' } }))).toEqual([]);
    } finally {
      await t2.close();
      await h2.cleanup();
    }
  });

  test('the whole trail verifies with its aggregates; an edited aggregate fails verify, and is named', async () => {
    const ok = await trail.verify();
    expect(ok).toMatchObject({ ok: true, checked: 400, aggregates: { checked: true } });
    expect(ok.aggregates.rows).toBeGreaterThan(0);
    const [row] = await h.sql("SELECT bucket, agency, purpose, outcome FROM audit_stat_hour WHERE kind = '' ORDER BY bucket LIMIT 1");
    const where = `bucket = ${Number(row?.bucket)} AND agency = '${String(row?.agency)}' AND purpose = '${String(row?.purpose)}' AND outcome = '${String(row?.outcome)}' AND kind = ''`;
    await h.sql(`UPDATE audit_stat_hour SET n = n + 1 WHERE ${where}`);
    const bad = await trail.verify();
    expect(bad.ok).toBe(false);
    expect(bad.firstBad).toBeUndefined();
    expect(bad.aggregates.problem).toContain(`agency ${String(row?.agency)}`);
    await h.sql(`UPDATE audit_stat_hour SET n = n - 1 WHERE ${where}`);
    await h.sql(`DELETE FROM audit_stat_minute WHERE bucket = (SELECT MIN(bucket) FROM audit_stat_minute)`);
    expect((await trail.verify()).aggregates.problem).toContain('missing');
    // One chain only: the aggregates (over every chain) are not compared, and the report says so.
    expect((await trail.verify({ chain: 'gw-1' })).aggregates).toEqual({ checked: false, rows: 0 });
  });
});

describe.each(['sqlite', 'postgres'] as const)('retention on layout 2 (%s)', (kind) => {
  test('prune removes the entity keys no remaining record names, and the aggregates of what it deleted', async () => {
    const h = await createHarness(kind);
    const { privateKey } = generateKeyPairSync('ed25519');
    const jwk = publicJwkOf(privateKey);
    const signer = createCheckpointSigner(privateKey, jwk.kid ?? '');
    const trail = await openAuditTrail(h.config, { signer, verifyKeys: [jwk] });
    try {
      const gen = new RecordGenerator({ start: new Date(Date.UTC(2025, 0, 1)), intervalMs: 3_600_000, entities: 500, seed: 3 });
      const events = Array.from({ length: 60 }, () => gen.next());
      for (const e of events) await trail.append(e);
      const cutoff = events[40]?.time as Date;
      const kept = events.filter((e) => e.time >= cutoff);
      await trail.prune(cutoff, new Date(Date.UTC(2025, 6, 1)));
      const keys = (await h.sql('SELECT key FROM audit_entity')).map((r) => String(r.key)).sort();
      expect(keys).toEqual([...new Set(kept.flatMap((e) => (e.enforcement?.released ?? []).map((x) => x.key)))].sort());
      expect((await trail.stats({})).requests).toBe(kept.length);
      expect(await trail.verify()).toMatchObject({ ok: true, checked: kept.length, aggregates: { checked: true } });
      // The writer had the deleted entities' ids cached: a record naming one again gets it anew.
      const gone = events.slice(0, 40).flatMap((e) => e.enforcement?.released ?? []).find((x) => !keys.includes(x.key));
      expect(gone).toBeDefined();
      const again = { ...(kept[0] as AuditEvent), id: 'again-1', time: new Date(Date.UTC(2025, 6, 2)), enforcement: { ...releasedFallback(), released: [gone as { type: string; key: string; owner: string }] } };
      await trail.append(again);
      expect((await collect(trail.query({ entity: { type: String(gone?.type), key: String(gone?.key) } }))).map((r) => r.id)).toEqual(['again-1']);
      expect(await trail.verify()).toMatchObject({ ok: true, checked: kept.length + 1 });
    } finally {
      await trail.close();
      await h.cleanup();
    }
  });
});

test('a SQLite file of layout 1 is refused, naming the migration, and left as it was', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'pactum-audit-v1-'));
  const file = path.join(dir, 'audit.sqlite');
  try {
    const old = new Database(file);
    old.exec('CREATE TABLE audit_record (pos INTEGER PRIMARY KEY, id TEXT, chain TEXT, seq INTEGER, content TEXT); CREATE TABLE audit_entity (record_id TEXT)');
    old.close();
    const before = readFileSync(file);
    const attempt = openAuditTrail({ file, replicaId: 'gw-1' });
    await expect(attempt).rejects.toMatchObject({ code: 'AUDIT_UNAVAILABLE', reason: 'trail_layout' });
    await expect(attempt).rejects.toThrow(/uses trail layout 1.*pactum audit migrate --from/);
    expect(readFileSync(file).equals(before)).toBe(true);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

function releasedFallback(): NonNullable<AuditEvent['enforcement']> {
  return { policyVersion: 'p', fieldsRequested: [], fieldDenials: [], rowDenials: [], released: [], grants: [] };
}
