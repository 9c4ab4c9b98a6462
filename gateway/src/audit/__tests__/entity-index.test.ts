/**
 * The entity index of layout 3 (`audit_entity_second`: one row per entity and second), on both
 * stores: `query --entity` returns exactly the records that released the entity, in (time, pos)
 * order, across more seconds than one round of the index reads and across pages; a record that
 * releases thousands of entities is found by each; verify names a record whose index row is gone;
 * retention removes the index rows only no remaining record backs (another chain's record in the
 * same second keeps its row); and a trail of layout 2 is upgraded in place on open.
 */
import { generateKeyPairSync } from 'node:crypto';
import { publicJwkOf } from '../../auth/ensure-gateway-keys';
import { createCheckpointSigner } from '../chain/checkpoint-statement';
import { collect, openAuditTrail, type AuditEvent, type AuditTrail } from '../index';
import { RecordGenerator } from '../bench/generate-records';
import { openPostgresStore } from '../stores/postgres-store';
import { openSqliteStore } from '../stores/sqlite-store';
import { createHarness, type StoreHarness } from './support/store-harness';

const T0 = Date.UTC(2026, 2, 2, 10);

function withReleased(e: AuditEvent, id: string, time: number, released: ReadonlyArray<{ type: string; key: string; owner: string }>): AuditEvent {
  const en = e.enforcement ?? { policyVersion: 'p', fieldsRequested: [], fieldDenials: [], rowDenials: [], released: [], grants: [] };
  return { ...e, id, time: new Date(time), outcome: 'released', enforcement: { ...en, released: [...released] } };
}

const container = (key: string) => ({ type: 'Container', key, owner: 'NL-CUSTOMS' });

describe.each(['sqlite', 'postgres'] as const)('entity index on %s', (kind) => {
  let h: StoreHarness;
  let trail: AuditTrail;
  const events: AuditEvent[] = [];

  beforeAll(async () => {
    h = await createHarness(kind);
    trail = await h.open();
    const gen = new RecordGenerator({ seed: 21 });
    // 400 records over 200 seconds (two per second, odd ones 400 ms later): every third releases
    // HOT, one in 50 releases RARE, the rest other containers.
    for (let i = 0; i < 400; i++) {
      const released = [container(i % 3 === 0 ? 'HOTU1234565' : `OTHR${i}`)];
      if (i % 50 === 7) released.push(container('RARU1234560'));
      events.push(withReleased(gen.next(), `ix-${String(i).padStart(4, '0')}`, T0 + Math.floor(i / 2) * 1000 + (i % 2) * 400, released));
    }
    await Promise.all(events.map((e) => trail.append(e)));
  }, 60_000);

  afterAll(async () => {
    await trail.close();
    await h.cleanup();
  });

  const idsReleasing = (key: string, keep: (e: AuditEvent) => boolean = () => true) =>
    events.filter((e) => keep(e) && e.enforcement?.released.some((x) => x.key === key)).map((e) => e.id);

  test('query --entity across more seconds than one round of the index, in time order', async () => {
    const got = (await collect(trail.query({ entity: { type: 'Container', key: 'HOTU1234565' } }))).map((r) => r.id);
    const want = idsReleasing('HOTU1234565');
    expect(want.length).toBeGreaterThan(128); // more than two rounds of 64 seconds
    expect(got).toEqual(want); // the ids sort like the times
    expect((await collect(trail.query({ entity: { type: 'Container', key: 'RARU1234560' } }))).map((r) => r.id)).toEqual(idsReleasing('RARU1234560'));
  });

  test('query --entity with a time range cut inside seconds, and with conditions on the record', async () => {
    const since = new Date(T0 + 37_400);
    const until = new Date(T0 + 151_001);
    const inRange = (e: AuditEvent) => e.time >= since && e.time < until;
    const got = (await collect(trail.query({ entity: { type: 'Container', key: 'HOTU1234565' }, since, until }))).map((r) => r.id);
    expect(got).toEqual(idsReleasing('HOTU1234565', inRange));
    const agency = events[3]?.principal?.agency ?? '';
    const byAgency = (await collect(trail.query({ entity: { type: 'Container', key: 'HOTU1234565' }, agency, since }))).map((r) => r.id);
    const want = idsReleasing('HOTU1234565', (e) => e.time >= since && e.principal?.agency === agency);
    expect(byAgency).toEqual(want);
    expect(want.length).toBeGreaterThan(0);
  });

  test('query --entity in small pages: each page resumes after the last record, mid-second and mid-round', async () => {
    const store = kind === 'sqlite' ? await openSqliteStore({ file: h.config.file ?? '' }) : await openPostgresStore({ url: h.config.url ?? '', schema: h.config.schema ?? '' });
    try {
      for (const [filter, keep] of [
        [{}, () => true],
        [{ since: new Date(T0 + 20_400), until: new Date(T0 + 170_001) }, (e: AuditEvent) => e.time.getTime() >= T0 + 20_400 && e.time.getTime() < T0 + 170_001],
      ] as const) {
        const got: string[] = [];
        let after: { timeMs: number; pos: number } | null = null;
        for (let pages = 0; pages < 100; pages++) {
          // 7 a page: pages end inside a second (two records each) and inside a round of 64 seconds.
          const page = await store.queryPage({ ...filter, entity: { type: 'Container', key: 'HOTU1234565' } }, after, 7);
          got.push(...page.map((r) => r.id));
          const last = page[page.length - 1];
          if (!last || page.length < 7) break;
          after = { timeMs: Number(last.columns[0]), pos: last.pos };
        }
        expect(got).toEqual(idsReleasing('HOTU1234565', keep));
      }
    } finally {
      await store.close();
    }
  });

  test('a record releasing 3,000 entities is found by each of them, and verifies', async () => {
    const h2 = await createHarness(kind);
    const t2 = await h2.open();
    try {
      const gen = new RecordGenerator({ seed: 4 });
      const many = Array.from({ length: 3000 }, (_, i) => ({ type: i % 2 ? 'Person' : 'Alert', key: `BULK-${i}`, owner: 'NL-POLICE' }));
      await t2.append(withReleased(gen.next(), 'bulk-1', T0, many));
      await t2.append(withReleased(gen.next(), 'bulk-2', T0 + 10, many.slice(0, 1500)));
      await t2.append(withReleased(gen.next(), 'bulk-3', T0 + 2500, many.slice(1000)));
      for (const [key, want] of [['BULK-0', ['bulk-1', 'bulk-2']], ['BULK-1499', ['bulk-1', 'bulk-2', 'bulk-3']], ['BULK-2999', ['bulk-1', 'bulk-3']]] as const) {
        const type = Number(key.slice(5)) % 2 ? 'Person' : 'Alert';
        expect((await collect(t2.query({ entity: { type, key } }))).map((r) => r.id)).toEqual(want);
      }
      expect(await t2.verify()).toMatchObject({ ok: true, checked: 3 });
      const rows = await h2.sql('SELECT COUNT(*) AS n FROM audit_entity_second');
      expect(Number(rows[0]?.n)).toBe(3000 + 2000); // seconds T0 (3,000 entities) and T0+2 (2,000); bulk-2 adds none
    } finally {
      await t2.close();
      await h2.cleanup();
    }
  });

  test('one key under two types and two owners is four entities; records batched together each link their own', async () => {
    const h2 = await createHarness(kind);
    const t2 = await h2.open();
    try {
      const gen = new RecordGenerator({ seed: 5 });
      const pad = Array.from({ length: 20 }, (_, i) => ({ type: 'Alert', key: `PAD-${i}`, owner: 'NL-POLICE' }));
      const a = [{ type: 'Person', key: 'SAME-1', owner: 'NL-POLICE' }, { type: 'Person', key: 'SAME-1', owner: 'BE-POLICE' }, ...pad];
      const b = [{ type: 'Vehicle', key: 'SAME-1', owner: 'NL-POLICE' }, { type: 'Person', key: 'SAME-1', owner: 'BE-POLICE' }, ...pad.slice(5)];
      await Promise.all([t2.append(withReleased(gen.next(), 'same-a', T0, a)), t2.append(withReleased(gen.next(), 'same-b', T0 + 1, b))]);
      expect((await collect(t2.query({ entity: { type: 'Person', key: 'SAME-1' } }))).map((r) => r.id)).toEqual(['same-a', 'same-b']);
      expect((await collect(t2.query({ entity: { type: 'Vehicle', key: 'SAME-1' } }))).map((r) => r.id)).toEqual(['same-b']);
      expect((await collect(t2.query({ entity: { type: 'Alert', key: 'PAD-2' } }))).map((r) => r.id)).toEqual(['same-a']);
      expect(await t2.verify()).toMatchObject({ ok: true, checked: 2 });
      const [entities] = await h2.sql('SELECT COUNT(*) AS n FROM audit_entity');
      expect(Number(entities?.n)).toBe(3 + 20);
      const [links] = await h2.sql('SELECT COUNT(*) AS n FROM audit_entity_link');
      expect(Number(links?.n)).toBe(a.length + b.length);
    } finally {
      await t2.close();
      await h2.cleanup();
    }
  });

  test('an entity key holding NUL is refused for its own event alone; the records batched with it are written', async () => {
    const h2 = await createHarness(kind);
    const t2 = await h2.open();
    try {
      const gen = new RecordGenerator({ seed: 6 });
      const outcomes = await Promise.allSettled([
        t2.append(withReleased(gen.next(), 'nul-before', T0, [container('GOOD1')])),
        t2.append(withReleased(gen.next(), 'nul-bad', T0 + 1, [{ type: 'Person', key: 'B\u0000C', owner: 'O' }])),
        t2.append(withReleased(gen.next(), 'nul-after', T0 + 2, [container('GOOD1')])),
      ]);
      expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
      expect((outcomes[1] as PromiseRejectedResult).reason).toMatchObject({ reason: 'invalid_event', message: expect.stringContaining('enforcement.released[0].key must not contain NUL') });
      expect((await collect(t2.query({ entity: { type: 'Container', key: 'GOOD1' } }))).map((r) => r.id)).toEqual(['nul-before', 'nul-after']);
      expect(await t2.verify()).toMatchObject({ ok: true, checked: 2 });
    } finally {
      await t2.close();
      await h2.cleanup();
    }
  });

  test('verify names the record whose entity index row was deleted', async () => {
    const victim = events[120] as AuditEvent;
    const sec = Math.floor(victim.time.getTime() / 1000);
    const [row] = await h.sql(`SELECT eid FROM audit_entity WHERE key = 'OTHR121'`);
    expect(victim.id).toBe('ix-0120');
    // OTHR121 is released once, by ix-0121 in the same second as ix-0120.
    await h.sql(`DELETE FROM audit_entity_second WHERE eid = ${Number(row?.eid)} AND sec = ${sec}`);
    try {
      const report = await trail.verify({ workers: 1 });
      expect(report.ok).toBe(false);
      expect(report.firstBad).toMatchObject({ problem: 'changed', id: 'ix-0121', detail: expect.stringContaining('entity rows') });
      expect(await collect(trail.query({ entity: { type: 'Container', key: 'OTHR121' } }))).toEqual([]);
    } finally {
      await h.sql(`INSERT INTO audit_entity_second (eid, sec) VALUES (${Number(row?.eid)}, ${sec})`);
    }
    expect((await trail.verify({ workers: 1 })).ok).toBe(true);
  });
});

describe.each(['sqlite', 'postgres'] as const)('entity index under retention and upgrade (%s)', (kind) => {
  test("prune keeps an index row another chain's record of the same second still backs", async () => {
    const h = await createHarness(kind);
    const { privateKey } = generateKeyPairSync('ed25519');
    const jwk = publicJwkOf(privateKey);
    const signer = createCheckpointSigner(privateKey, jwk.kid ?? '');
    const a = await openAuditTrail({ ...h.config, replicaId: 'gw-a' }, { signer, verifyKeys: [jwk] });
    const b = await h.open({ replicaId: 'gw-b' });
    try {
      const gen = new RecordGenerator({ seed: 9 });
      const old = Date.UTC(2025, 0, 1, 8);
      // Same second, same container, two chains; and a container only chain a released.
      await a.append(withReleased(gen.next(), 'a-1', old + 100, [container('SHRU1234567'), container('ONLA1234562')]));
      await b.append(withReleased(gen.next(), 'b-1', old + 900, [container('SHRU1234567')]));
      await a.append(withReleased(gen.next(), 'a-2', Date.UTC(2025, 6, 1), [container('LATU1234561')]));
      // Cut inside that second: a-1 goes, b-1 stays.
      await a.prune(new Date(old + 500), new Date(Date.UTC(2025, 6, 2)));
      expect((await collect(a.query({ entity: { type: 'Container', key: 'SHRU1234567' } }))).map((r) => r.id)).toEqual(['b-1']);
      expect(await collect(a.query({ entity: { type: 'Container', key: 'ONLA1234562' } }))).toEqual([]);
      const keys = (await h.sql('SELECT e.key FROM audit_entity_second s JOIN audit_entity e ON e.eid = s.eid')).map((r) => String(r.key)).sort();
      expect(keys).toEqual(['LATU1234561', 'SHRU1234567']);
      expect((await h.sql("SELECT key FROM audit_entity WHERE key = 'ONLA1234562'")).length).toBe(0);
      expect(await a.verify()).toMatchObject({ ok: true });
    } finally {
      await a.close();
      await b.close();
      await h.cleanup();
    }
  });

  test('a trail of layout 2 is upgraded in place when opened: same records, index rebuilt, verify ok', async () => {
    const h = await createHarness(kind);
    try {
      const first = await h.open();
      const gen = new RecordGenerator({ seed: 13 });
      const events = Array.from({ length: 30 }, (_, i) => withReleased(gen.next(), `up-${i}`, T0 + i * 700, [container(i % 2 ? 'ODDU1234568' : `EVN${i}`)]));
      for (const e of events) await first.append(e);
      const before = await first.verify();
      await first.close();
      // Back to layout 2: no per-second index, the exact (eid, time, pos) index instead.
      await h.sql('DROP TABLE audit_entity_second');
      await h.sql('CREATE INDEX audit_entity_link_eid ON audit_entity_link (eid, time_ms, pos)');
      if (kind === 'sqlite') await h.sql('PRAGMA user_version = 2');
      const again = await h.open();
      try {
        const odd = events.filter((_, i) => i % 2).map((e) => e.id);
        expect((await collect(again.query({ entity: { type: 'Container', key: 'ODDU1234568' } }))).map((r) => r.id)).toEqual(odd);
        expect(await again.verify()).toEqual(before);
        if (kind === 'sqlite') expect(await h.sql('PRAGMA user_version')).toEqual([{ user_version: 4 }]);
        const indexes = kind === 'sqlite' ? await h.sql("SELECT name FROM sqlite_master WHERE name = 'audit_entity_link_eid'") : await h.sql("SELECT indexname FROM pg_indexes WHERE indexname = 'audit_entity_link_eid'");
        expect(indexes).toEqual([]);
      } finally {
        await again.close();
      }
    } finally {
      await h.cleanup();
    }
  });
});
