/**
 * The trail at scale, on demand (never in `npm test`): fills a fresh trail per store with
 * generated records (`generate-records.ts`, straight through the store's batch append, big
 * batches), then reports bytes per record on disk, the bulk fill rate, the CPU of one appender
 * (2,000 serial appends through the trail: process.cpuUsage, all threads), the wall time and the
 * CPU per record (all threads) of verify, and the wall time of stats (whole trail; a period cut
 * at odd milliseconds) and query --entity (the most asked-about container; a rare one).
 *   npm run bench:audit -w @pactum/gateway -- [records …] [--store sqlite|postgres]
 * e.g. `-- 100000 1000000`, `-- 10000000 --store sqlite`. Default 100000 on both stores.
 * SQLite files go to PACTUM_BENCH_DIR (default the OS temp dir) and are deleted after each case;
 * PostgreSQL: PACTUM_BENCH_PG_URL (default postgres://postgres@127.0.0.1:5432/test), in a
 * throw-away schema, vacuumed and analysed after the fill as autovacuum would. The machine's load
 * average is printed with each case: note it with the figures. PACTUM_BENCH_VERIFY_PROF=<dir>
 * writes a CPU profile of each verify there; verify then runs on the main thread alone (no
 * workers), so the profile holds the work and the verify figures of such a run are one thread's.
 */
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import inspector from 'node:inspector/promises';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { Client } from 'pg';
import { createAuditTrail, collect } from '../audit-trail';
import type { AuditEvent } from '../audit-event';
import type { AuditStore } from '../stores/audit-store';
import { openPostgresStore } from '../stores/postgres-store';
import { openSqliteStore } from '../stores/sqlite-store';
import { benchAuditEvent } from './bench-event';
import { prepareRecord } from '../chain/prepare-record';
import { RecordGenerator } from './generate-records';

const PG_URL = process.env.PACTUM_BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const BATCH = 5000;

interface Case {
  readonly store: 'sqlite' | 'postgres';
  readonly records: number;
  readonly load: string;
  readonly bytesPerRecord: number;
  readonly fillPerSecond: number;
  readonly appendCpuMs: { user: number; system: number };
  readonly verifyPerSecond: number;
  /** CPU of verify per record, every thread (workers included), µs: the figure a loaded machine moves least. */
  readonly verifyCpuUs: number;
  readonly statsMs: number;
  readonly statsPeriodMs: number;
  readonly entityMs: { hot: number; hotRecords: number; rare: number; rareRecords: number };
}

const seconds = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e9;

/** Where verify's CPU profiles go (PACTUM_BENCH_VERIFY_PROF), if anywhere. */
const VERIFY_PROFILE_DIR = process.env.PACTUM_BENCH_VERIFY_PROF || undefined;

/**
 * Runs `work`, under the CPU profiler of this thread when {@link VERIFY_PROFILE_DIR} is set:
 * `<dir>/<name>.cpuprofile`, for `test/bench/summarise-profile.ts` or Chrome DevTools.
 */
async function profiled<T>(name: string, work: () => Promise<T>): Promise<T> {
  const dir = VERIFY_PROFILE_DIR;
  if (!dir) return work();
  const session = new inspector.Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  try {
    return await work();
  } finally {
    const { profile } = await session.post('Profiler.stop');
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, `${name}.cpuprofile`), JSON.stringify(profile));
    session.disconnect();
  }
}

async function fill(store: AuditStore, records: number): Promise<{ perSecond: number; hot: string; rare: string }> {
  const gen = new RecordGenerator({ entities: Math.max(1000, Math.round(records / 2000)) });
  const counts = new Map<string, number>();
  const t0 = process.hrtime.bigint();
  // One batch in flight while the next is prepared: the writer commits as the main thread generates.
  let inFlight: Promise<unknown> = Promise.resolve();
  for (let done = 0; done < records; ) {
    const n = Math.min(BATCH, records - done);
    const batch = [];
    for (let i = 0; i < n; i++) {
      const e: AuditEvent = gen.next();
      const c = e.enforcement?.released.find((x) => x.type === 'Container');
      if (c && done + i < 200_000) counts.set(c.key, (counts.get(c.key) ?? 0) + 1);
      batch.push(prepareRecord(e));
    }
    await inFlight;
    inFlight = store.appendBatch('bench', batch).then((out) => {
      const failed = out.find((o) => o instanceof Error);
      if (failed) throw failed;
    });
    done += n;
    if (done % 1_000_000 === 0) process.stdout.write(`  … ${done} records\n`);
  }
  await inFlight;
  const perSecond = records / seconds(t0);
  const ranked = [...counts].sort((a, b) => b[1] - a[1]);
  return { perSecond, hot: ranked[0]?.[0] ?? '', rare: ranked[ranked.length - 1]?.[0] ?? '' };
}

async function measure(kind: 'sqlite' | 'postgres', records: number): Promise<Case> {
  const dir = mkdtempSync(path.join(process.env.PACTUM_BENCH_DIR ?? os.tmpdir(), 'pactum-trail-bench-'));
  const file = path.join(dir, 'audit.sqlite');
  const schema = `audit_trail_bench_${process.pid}`;
  // Long deadlines: a 5,000-record batch on a loaded machine (and its WAL checkpoint) can take seconds.
  const open = () => (kind === 'sqlite' ? openSqliteStore({ file, writeTimeoutMs: 600_000 }) : openPostgresStore({ url: PG_URL, schema, queryTimeoutMs: 600_000 }));
  const admin = kind === 'postgres' ? new Client({ connectionString: PG_URL }) : null;
  await admin?.connect();
  try {
    const store = await open();
    const filled = await fill(store, records);
    const trail = createAuditTrail(store, { chain: 'bench' });
    await trail.append(benchAuditEvent(0));
    const serial = Array.from({ length: 2000 }, (_, i) => benchAuditEvent(i + 1));
    const c0 = process.cpuUsage();
    for (const e of serial) await trail.append(e);
    const c = process.cpuUsage(c0);
    await trail.close();
    const total = records + 2001;

    let bytes: number;
    if (kind === 'sqlite') {
      const db = new Database(file);
      db.pragma('wal_checkpoint(TRUNCATE)');
      db.close();
      bytes = statSync(file).size;
    } else {
      const sizes = await admin?.query(
        "SELECT COALESCE(SUM(pg_total_relation_size(c.oid)), 0) AS b FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relkind = 'r'",
        [schema],
      );
      bytes = Number(sizes?.rows[0]?.b ?? 0);
    }

    if (admin) {
      // What autovacuum does to tables that grow by inserts (PostgreSQL 13 and later), and what
      // this machine's server, with autovacuum off, would otherwise never do: without it every
      // index-only probe of verify's entity-index check also reads the table.
      for (const table of ['audit_record', 'audit_entity_link', 'audit_entity_second', 'audit_entity']) await admin.query(`VACUUM (ANALYZE) "${schema}".${table}`);
    }
    const reader = createAuditTrail(await open(), { chain: 'bench-reader' });
    try {
      let t0 = process.hrtime.bigint();
      const v0 = process.cpuUsage();
      const report = await profiled(`verify-${kind}-${total}`, () => reader.verify(VERIFY_PROFILE_DIR ? { workers: 1 } : {}));
      const verifySeconds = seconds(t0);
      const vc = process.cpuUsage(v0);
      if (!report.ok || report.checked !== total) throw new Error(`verify: ${JSON.stringify(report.firstBad ?? report.aggregates)}`);
      t0 = process.hrtime.bigint();
      const all = await reader.stats({});
      const statsMs = seconds(t0) * 1000;
      if (all.requests !== total) throw new Error(`stats counted ${all.requests} of ${total}`);
      const first = new Date(Date.UTC(2026, 0, 5, 8));
      const span = records * 20;
      t0 = process.hrtime.bigint();
      await reader.stats({ since: new Date(first.getTime() + span * 0.2 + 12_345), until: new Date(first.getTime() + span * 0.7 + 54_321) });
      const statsPeriodMs = seconds(t0) * 1000;
      t0 = process.hrtime.bigint();
      const hot = await collect(reader.query({ entity: { type: 'Container', key: filled.hot } }));
      const hotMs = seconds(t0) * 1000;
      t0 = process.hrtime.bigint();
      const rare = await collect(reader.query({ entity: { type: 'Container', key: filled.rare } }));
      const rareMs = seconds(t0) * 1000;
      return {
        store: kind,
        records: total,
        load: os.loadavg().map((l) => l.toFixed(2)).join(' '),
        bytesPerRecord: bytes / total,
        fillPerSecond: filled.perSecond,
        appendCpuMs: { user: c.user / 2000 / 1000, system: c.system / 2000 / 1000 },
        verifyPerSecond: total / verifySeconds,
        verifyCpuUs: (vc.user + vc.system) / total,
        statsMs,
        statsPeriodMs,
        entityMs: { hot: hotMs, hotRecords: hot.length, rare: rareMs, rareRecords: rare.length },
      };
    } finally {
      await reader.close();
    }
  } finally {
    await admin?.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await admin?.end();
    rmSync(dir, { recursive: true, force: true });
  }
}

function row(c: Case): string {
  return (
    `| ${c.store} | ${c.records} | ${c.bytesPerRecord.toFixed(0)} | ${Math.round(c.fillPerSecond)} | ${c.appendCpuMs.user.toFixed(3)} + ${c.appendCpuMs.system.toFixed(3)} | ` +
    `${Math.round(c.verifyPerSecond)} | ${c.verifyCpuUs.toFixed(1)} | ${c.statsMs.toFixed(0)} | ${c.statsPeriodMs.toFixed(0)} | ${c.entityMs.hot.toFixed(0)} (${c.entityMs.hotRecords}) | ` +
    `${c.entityMs.rare.toFixed(0)} (${c.entityMs.rareRecords}) | ${c.load} |`
  );
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const at = args.indexOf('--store');
  const only = at >= 0 ? args[at + 1] : undefined;
  const kinds: ReadonlyArray<'sqlite' | 'postgres'> = only === undefined ? ['sqlite', 'postgres'] : only === 'sqlite' || only === 'postgres' ? [only] : [];
  if (kinds.length === 0) throw new Error('--store must be sqlite or postgres');
  // Without --store every argument is a count (at + 1 would otherwise drop the first).
  const sizes = args.filter((_a, i) => at < 0 || (i !== at && i !== at + 1)).map((a) => {
    if (!/^[1-9]\d*$/.test(a)) throw new Error(`record counts are positive integers, not "${a}"`);
    return Number(a);
  });
  const rows: string[] = [];
  for (const records of sizes.length ? sizes : [100_000]) {
    for (const kind of kinds) {
      process.stdout.write(`${kind}, ${records} records…\n`);
      const c = await measure(kind, records);
      rows.push(row(c));
      process.stdout.write(`${rows[rows.length - 1]}\n`);
    }
  }
  process.stdout.write(
    '\n| store | records | bytes/record | bulk fill rec/s | CPU per append, 1 appender (ms user + sys) | verify rec/s | verify CPU / record (µs, all threads) | stats all (ms) | stats period (ms) | query --entity hot (ms, records) | rare (ms, records) | load avg |\n' +
      `|---|---|---|---|---|---|---|---|---|---|---|---|\n${rows.join('\n')}\n`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
