/**
 * The targets of the side-by-side bench, checked row by row. Against the reference (bare
 * @apollo/gateway): the full gateway (`pactum`) must cost no more gateway CPU per request,
 * reach at least the reference's throughput at 50 connections, keep p99 within 10 %, stay
 * under 250 MB RSS at 50 connections, and cost at most half the reference's CPU per request at
 * every list size. Against the peers, by defaults (`pactum` vs `hive`) and like for like
 * (`pactum-no-dedup` vs `hive-no-dedup`): at least Hive's throughput at 10 and 50 connections
 * and no worse p99; and like for like no more CPU per request than Hive with its Rust planner.
 * A rule whose variants were not run is left out. The verdict is printed under the table and
 * kept in the JSON so runs can be compared; it is never asserted by `npm test`.
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
const MAX_RSS_MB = 250;
const RSS_AT_CONNECTIONS = 50;
const MAX_LIST_CPU_RATIO = 0.5;
const PEER_THROUGHPUT_AT_CONNECTIONS: readonly number[] = [10, 50];

/** Pactum against a peer: defaults against defaults, and with dedup off on both sides. */
const PEER_PAIRS: readonly { readonly mine: VariantName; readonly peer: VariantName; readonly rules: readonly ('throughput' | 'p99' | 'cpu')[] }[] = [
  { mine: 'pactum', peer: 'hive', rules: ['throughput', 'p99'] },
  { mine: 'pactum-no-dedup', peer: 'hive-no-dedup', rules: ['throughput', 'p99'] },
  { mine: 'pactum-no-dedup', peer: 'hive-rust-no-dedup', rules: ['cpu'] },
];

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
    check(
      `CPU ms/req ≤ ${MAX_LIST_CPU_RATIO.toFixed(2)} × ${reference} at every list size`,
      (r) => r.workload.startsWith('list-'),
      (r) => r.ratio?.cpuMsPerRequest ?? Number.NaN,
      (v) => v <= MAX_LIST_CPU_RATIO,
    ),
    ...PEER_PAIRS.flatMap(({ mine: subject, peer, rules }) =>
      rules.map((rule) => {
        if (rule === 'throughput') {
          return against(rows, subject, peer, `${subject} req/s ≥ ${peer}'s at ${PEER_THROUGHPUT_AT_CONNECTIONS.join(' and ')} connections`, (r) => PEER_THROUGHPUT_AT_CONNECTIONS.includes(r.connections), (a, b) => a.requestsPerSec.median / b.requestsPerSec.median, (v) => v >= 1);
        }
        if (rule === 'p99') return against(rows, subject, peer, `${subject} p99 ≤ ${peer}'s`, () => true, (a, b) => a.p99Ms.median / b.p99Ms.median, (v) => v <= 1);
        return against(rows, subject, peer, `${subject} CPU ms/req ≤ ${peer}'s`, () => true, (a, b) => a.cpuMsPerRequest.median / b.cpuMsPerRequest.median, (v) => v <= 1);
      }),
    ),
  ].filter((c): c is TargetCheck => c !== null);
}

/**
 * One rule of `subject` against another variant, over the (workload, connections) rows both have
 * unflagged; the value is the ratio subject ÷ other (the figure a miss shows).
 */
function against(
  rows: readonly SummaryRow[],
  subject: VariantName,
  other: VariantName,
  rule: string,
  applies: (r: SummaryRow) => boolean,
  ratio: (mine: SummaryRow, theirs: SummaryRow) => number,
  ok: (v: number) => boolean,
): TargetCheck | null {
  const pairs = rows
    .filter((r) => r.variant === subject && !r.flagged && applies(r))
    .flatMap((mine) => {
      const theirs = rows.find((r) => r.variant === other && r.workload === mine.workload && r.connections === mine.connections && !r.flagged);
      return theirs ? [{ mine, theirs }] : [];
    });
  if (pairs.length === 0) return null;
  const misses = pairs
    .map(({ mine, theirs }) => ({ workload: mine.workload, connections: mine.connections, value: ratio(mine, theirs) }))
    .filter((m) => !(Number.isFinite(m.value) && ok(m.value)));
  return { rule, rows: pairs.length, misses };
}

/** The verdict as lines for the end of the table. */
export function formatTarget(checks: readonly TargetCheck[]): string[] {
  if (checks.length === 0) return [];
  const out = [`targets (${TARGET_VARIANT} against the reference unless a rule names its variants; medians; flagged rows left out; peer rules show the ratio):`];
  for (const c of checks) {
    const met = c.rows - c.misses.length;
    const detail = c.misses.map((m) => `${m.workload} c=${m.connections}: ${m.value.toFixed(2)}`).join('; ');
    out.push(`  ${c.misses.length === 0 ? 'met ' : 'MISS'}  ${c.rule}: ${met}/${c.rows} rows${detail ? ` — missed by ${detail}` : ''}`);
  }
  return out;
}
