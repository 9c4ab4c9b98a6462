/**
 * Micro-benchmark: durable appends per second for each store with 1, 10 and 50
 * concurrent appenders (group commit makes the concurrent cases share commits), and
 * what they cost the main thread: its busy time per record (event-loop utilisation ×
 * wall time / records) and the longest event-loop stall seen — the time no request of
 * a gateway could have made progress.
 *   node --import tsx gateway/src/audit/bench/append.bench.ts [seconds-per-case]
 * PostgreSQL: PACTUM_BENCH_PG_URL (default postgres://postgres@127.0.0.1:5432/test),
 * in a throw-away schema.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { Client } from 'pg';
import { openAuditTrail, type AuditConfig } from '../index';
import { benchAuditEvent as event } from './bench-event';

const SECONDS = Number(process.argv[2] ?? '3');
const PG_URL = process.env.PACTUM_BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';


interface CaseResult {
  readonly perSecond: number;
  /** Main-thread busy µs per record. */
  readonly busyUsPerRecord: number;
  /** Longest event-loop stall, ms. */
  readonly maxStallMs: number;
}

async function runCase(config: AuditConfig, concurrency: number): Promise<CaseResult> {
  const trail = await openAuditTrail(config);
  await trail.append(event(0)); // start-up (connection, writer thread) is not what is measured
  let n = 0;
  const deadline = Date.now() + SECONDS * 1000;
  const delay = monitorEventLoopDelay({ resolution: 1 });
  delay.enable();
  const elu = performance.eventLoopUtilization();
  const started = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (Date.now() < deadline) {
        n += 1;
        await trail.append(event(n));
      }
    }),
  );
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const busy = performance.eventLoopUtilization(elu);
  delay.disable();
  const report = await trail.verify({ chain: String(config.replicaId) });
  if (!report.ok) throw new Error(`chain broken after the benchmark: ${JSON.stringify(report.firstBad)}`);
  await trail.close();
  return { perSecond: n / seconds, busyUsPerRecord: (busy.active * 1000) / n, maxStallMs: delay.max / 1e6 };
}

function cell(r: CaseResult): string {
  return `${Math.round(r.perSecond)} | ${r.busyUsPerRecord.toFixed(0)} µs | ${r.maxStallMs.toFixed(1)} ms`;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'pactum-audit-bench-'));
  const schema = `audit_bench_${process.pid}`;
  const admin = new Client({ connectionString: PG_URL });
  await admin.connect();
  const results: string[] = [];
  try {
    for (const concurrency of [1, 10, 50]) {
      const sqlite = await runCase({ file: path.join(dir, 'audit.sqlite'), replicaId: `c${concurrency}` }, concurrency);
      const pg = await runCase({ url: PG_URL, schema, replicaId: `c${concurrency}` }, concurrency);
      results.push(`| ${concurrency} | ${cell(sqlite)} | ${cell(pg)} |`);
      process.stdout.write(`concurrency ${concurrency}: sqlite ${cell(sqlite)}; postgres ${cell(pg)}\n`);
    }
  } finally {
    await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await admin.end();
    rmSync(dir, { recursive: true, force: true });
  }
  process.stdout.write(
    '\n| appenders | SQLite rec/s (WAL, FULL) | main-thread busy / record | longest stall | PostgreSQL rec/s | main-thread busy / record | longest stall |\n' +
      `|---|---|---|---|---|---|---|\n${results.join('\n')}\n`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
