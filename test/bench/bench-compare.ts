/**
 * Two bench runs side by side (`npm run bench -- --compare <before.json>[,<after.json>]`): for
 * each (workload, connections, variant) both runs have, the median CPU per request, req/s and
 * p99, each run's ratio to its own reference, and the change from before to after. Ratios are
 * what to compare across runs: the machine's speed drifts between runs, the reference drifts
 * with it.
 */
import fs from 'node:fs';
import type { BenchReport, SummaryRow } from './bench-results';

/** Reads a results file the bench wrote; throws naming the file when it is not one. */
export function readReport(file: string): BenchReport {
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`${file}: cannot read a bench results file (${error instanceof Error ? error.message : String(error)})`);
  }
  const report = parsed as Partial<BenchReport> | null;
  if (!report || typeof report !== 'object' || !Array.isArray(report.rows) || !report.settings || !Array.isArray(report.settings.variants)) {
    throw new Error(`${file}: not a bench results file (no rows / settings); components-latest.json cannot be compared`);
  }
  return report as BenchReport;
}

function fixed(value: number | undefined, digits: number): string {
  return value !== undefined && Number.isFinite(value) ? value.toFixed(digits) : '-';
}

function change(before: number | undefined, after: number | undefined): string {
  if (before === undefined || after === undefined || !Number.isFinite(before) || !Number.isFinite(after) || before === 0) return '-';
  const pct = ((after - before) / before) * 100;
  return `${pct >= 0 ? '+' : ''}${pct.toFixed(0)}%`;
}

const HEADER = ['workload', 'conns', 'variant', 'CPU ms/req', 'Δ', '×CPU', 'req/s', 'Δ', '×req/s', 'p99 ms', '×p99'];
const WIDTHS = [18, 5, 15, 13, 5, 11, 15, 5, 11, 13, 11];

function line(cells: readonly string[]): string {
  return cells.map((c, i) => (i < 3 ? c.padEnd(WIDTHS[i] ?? 8) : c.padStart(WIDTHS[i] ?? 8))).join('  ').trimEnd();
}

const pair = (a: string, b: string): string => `${a} → ${b}`;

/** The comparison as text: before → after for every row both runs have, then what only one has. */
export function formatComparison(before: BenchReport, after: BenchReport, names: { before: string; after: string }): string {
  const key = (r: SummaryRow): string => `${r.workload}\u0000${r.connections}\u0000${r.variant}`;
  const old = new Map(before.rows.map((r) => [key(r), r]));
  const out = [
    `before: ${names.before} (${before.startedAt ?? '?'}, commit ${before.gitCommit ?? '?'}, ${before.settings.rounds} round(s) of ${before.settings.durationSec} s)`,
    `after:  ${names.after} (${after.startedAt ?? '?'}, commit ${after.gitCommit ?? '?'}, ${after.settings.rounds} round(s) of ${after.settings.durationSec} s)`,
    '',
    line(HEADER),
    '-'.repeat(line(HEADER).length),
  ];
  const seen = new Set<string>();
  for (const a of after.rows) {
    const b = old.get(key(a));
    if (!b) continue;
    seen.add(key(a));
    out.push(
      line([
        a.workload,
        String(a.connections),
        a.variant,
        pair(fixed(b.cpuMsPerRequest.median, 2), fixed(a.cpuMsPerRequest.median, 2)),
        change(b.cpuMsPerRequest.median, a.cpuMsPerRequest.median),
        a.ratio ? pair(fixed(b.ratio?.cpuMsPerRequest, 2), fixed(a.ratio.cpuMsPerRequest, 2)) : '',
        pair(fixed(b.requestsPerSec.median, 0), fixed(a.requestsPerSec.median, 0)),
        change(b.requestsPerSec.median, a.requestsPerSec.median),
        a.ratio ? pair(fixed(b.ratio?.requestsPerSec, 2), fixed(a.ratio.requestsPerSec, 2)) : '',
        pair(fixed(b.p99Ms.median, 0), fixed(a.p99Ms.median, 0)),
        a.ratio ? pair(fixed(b.ratio?.p99Ms, 2), fixed(a.ratio.p99Ms, 2)) : '',
      ]),
    );
  }
  const onlyAfter = after.rows.filter((r) => !seen.has(key(r)));
  const onlyBefore = before.rows.filter((r) => !seen.has(key(r)));
  if (seen.size === 0) out.push('(no row in common: the runs measured different workloads, connections or variants)');
  const describe = (rows: readonly SummaryRow[]): string => rows.map((r) => `${r.workload} c=${r.connections} ${r.variant}`).join('; ');
  if (onlyBefore.length > 0) out.push('', `only before: ${describe(onlyBefore)}`);
  if (onlyAfter.length > 0) out.push('', `only after: ${describe(onlyAfter)}`);
  out.push('', 'Δ: change of the median from before to after; ×: each run against its own reference (what to compare across runs).');
  return out.join('\n');
}
