/**
 * The target of the side-by-side bench, checked row by row against the reference (bare
 * @apollo/gateway): the full gateway (`pactum`) must cost no more gateway CPU per request,
 * reach at least the reference's throughput at 50 connections, keep p99 within 10 %, and
 * stay under 300 MB RSS at 50 connections. The verdict is printed under the table and kept
 * in the JSON so runs can be compared; it is never asserted by `npm test`.
 */
import type { SummaryRow } from './bench-results';
import type { VariantName } from './gateway-variants';

/** The variant the target is about. */
export const TARGET_VARIANT: VariantName = 'pactum';

/** One criterion, as checked over the rows it applies to. */
export interface TargetCheck {
  /** What is required, in words (`CPU ms/req ≤ 1.00 × bare`). */
  readonly rule: string;
  /** Rows it applies to. */
  readonly rows: number;
  /** Rows that miss it, with the figure that misses. */
  readonly misses: readonly { readonly workload: string; readonly connections: number; readonly value: number }[];
}

const MAX_CPU_RATIO = 1.0;
const MIN_THROUGHPUT_RATIO = 1.0;
const THROUGHPUT_AT_CONNECTIONS = 50;
const MAX_P99_RATIO = 1.1;
const MAX_RSS_MB = 300;
const RSS_AT_CONNECTIONS = 50;

/** Checks the target over the summary rows; a criterion with no row to apply to is left out. */
export function checkTarget(rows: readonly SummaryRow[], reference: VariantName): TargetCheck[] {
  const mine = rows.filter((r) => r.variant === TARGET_VARIANT && r.ratio !== undefined && !r.flagged);
  const check = (rule: string, applies: (r: SummaryRow) => boolean, value: (r: SummaryRow) => number, ok: (v: number) => boolean): TargetCheck | null => {
    const subject = mine.filter(applies);
    if (subject.length === 0) return null;
    const misses = subject
      .map((r) => ({ workload: r.workload, connections: r.connections, value: value(r) }))
      .filter((m) => !(Number.isFinite(m.value) && ok(m.value)));
    return { rule, rows: subject.length, misses };
  };
  return [
    check(`CPU ms/req ≤ ${MAX_CPU_RATIO.toFixed(2)} × ${reference}`, () => true, (r) => r.ratio?.cpuMsPerRequest ?? Number.NaN, (v) => v <= MAX_CPU_RATIO),
    check(
      `req/s ≥ ${MIN_THROUGHPUT_RATIO.toFixed(2)} × ${reference} at ${THROUGHPUT_AT_CONNECTIONS} connections`,
      (r) => r.connections === THROUGHPUT_AT_CONNECTIONS,
      (r) => r.ratio?.requestsPerSec ?? Number.NaN,
      (v) => v >= MIN_THROUGHPUT_RATIO,
    ),
    check(`p99 ≤ ${MAX_P99_RATIO.toFixed(2)} × ${reference}`, () => true, (r) => r.ratio?.p99Ms ?? Number.NaN, (v) => v <= MAX_P99_RATIO),
    check(`RSS < ${MAX_RSS_MB} MB at ${RSS_AT_CONNECTIONS} connections`, (r) => r.connections === RSS_AT_CONNECTIONS, (r) => r.peakRssMb, (v) => v < MAX_RSS_MB),
  ].filter((c): c is TargetCheck => c !== null);
}

/** The verdict as lines for the end of the table. */
export function formatTarget(checks: readonly TargetCheck[]): string[] {
  if (checks.length === 0) return [];
  const out = [`target (${TARGET_VARIANT} against the reference, medians; flagged rows left out):`];
  for (const c of checks) {
    const met = c.rows - c.misses.length;
    const detail = c.misses.map((m) => `${m.workload} c=${m.connections}: ${m.value.toFixed(2)}`).join('; ');
    out.push(`  ${c.misses.length === 0 ? 'met ' : 'MISS'}  ${c.rule}: ${met}/${c.rows} rows${detail ? ` — missed by ${detail}` : ''}`);
  }
  return out;
}
