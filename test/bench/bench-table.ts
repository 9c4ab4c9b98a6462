/**
 * Prints the summary rows as a fixed-width table: one block per (workload, connections), the
 * reference first, then each variant with its ratios to the reference. A row whose windows had
 * failures is marked `!!` and its failure counts are spelled out under the table.
 */
import type { BenchReport, Spread, SummaryRow } from './bench-results';
import { checkTarget, formatTarget } from './bench-target';

function num(value: number, digits: number): string {
  return Number.isFinite(value) ? value.toFixed(digits) : '-';
}

function withSpread(s: Spread, digits: number, showSpread: boolean): string {
  const median = num(s.median, digits);
  return showSpread && s.min !== s.max ? `${median} (${num(s.min, digits)}–${num(s.max, digits)})` : median;
}

const COLUMNS = [
  ['workload', 18, 'left'],
  ['conns', 5, 'right'],
  ['variant', 18, 'left'],
  ['req/s (min–max)', 24, 'right'],
  ['p50 ms', 7, 'right'],
  ['p99 ms (min–max)', 22, 'right'],
  ['CPU ms/req (min–max)', 22, 'right'],
  ['main', 5, 'right'],
  ['subgr', 6, 'right'],
  ['RSS MB', 6, 'right'],
  ['×req/s', 6, 'right'],
  ['×CPU', 5, 'right'],
  ['×p99', 5, 'right'],
  ['', 2, 'left'],
] as const;

function line(cells: readonly string[]): string {
  return cells
    .map((cell, i) => {
      const [, width, align] = COLUMNS[i] ?? ['', 8, 'left'];
      return align === 'left' ? cell.padEnd(width) : cell.padStart(width);
    })
    .join('  ')
    .trimEnd();
}

/** One row's cells. */
function cells(row: SummaryRow, first: boolean): string[] {
  return [
    first ? row.workload : '',
    first ? String(row.connections) : '',
    row.variant,
    withSpread(row.requestsPerSec, 1, true),
    num(row.p50Ms.median, 1),
    withSpread(row.p99Ms, 1, true),
    withSpread(row.cpuMsPerRequest, 2, true),
    num(row.mainThreadCpuMsPerRequest.median, 2),
    num(row.subgraphCpuMsPerRequest?.median ?? Number.NaN, 2),
    num(row.peakRssMb, 0),
    row.ratio ? num(row.ratio.requestsPerSec, 2) : '',
    row.ratio ? num(row.ratio.cpuMsPerRequest, 2) : '',
    row.ratio ? num(row.ratio.p99Ms, 2) : '',
    row.flagged ? '!!' : '',
  ];
}

/** The table as text (no trailing newline). */
export function formatTable(report: Pick<BenchReport, 'rows' | 'settings' | 'skippedVariants'>): string {
  const out: string[] = [];
  const header = line(COLUMNS.map(([title]) => title));
  out.push(header, '-'.repeat(header.length));
  let block = '';
  for (const row of report.rows) {
    const key = `${row.workload}/${row.connections}`;
    const first = key !== block;
    if (first && block !== '') out.push('');
    block = key;
    out.push(line(cells(row, first)));
  }
  const reference = report.settings.variants[0] ?? 'bare';
  out.push(
    '',
    `medians over ${report.settings.rounds} round(s) of ${report.settings.durationSec} s; (min–max) over rounds; ×: ratio to ${reference} (medians).`,
    ...(report.settings.pactumFrom ? [`Pactum ran from ${report.settings.pactumFrom === 'build' ? 'its production build (plain node)' : 'its TypeScript sources (tsx)'}; bare runs its TypeScript under tsx.`] : []),
    'CPU ms/req: gateway process user+system CPU in the window / completed requests; main: of which its main thread (the rest is GC, libuv and',
    'worker threads such as the audit writer). subgr: the subgraphs\' CPU in the window / completed requests (they share the cores: what a',
    'gateway asks them for costs the machine too). RSS: highest sampled gateway RSS in the window.',
  );
  const target = formatTarget(checkTarget(report.rows, reference));
  if (target.length > 0) out.push('', ...target);
  const flagged = report.rows.filter((r) => r.flagged);
  if (flagged.length > 0) {
    out.push('', `!! ${flagged.length} row(s) had failures — their figures describe broken runs:`);
    for (const r of flagged) {
      const f = r.failures;
      out.push(
        `   ${r.workload} ${r.connections} ${r.variant}: non-2xx ${f.non2xx}, socket errors ${f.errors}, timeouts ${f.timeouts}, unexpected GraphQL-error responses ${f.unexpectedGraphqlErrors}, windows without a completed request ${f.emptyWindows}${f.differentData ? ', probe data differs from the reference' : ''}`,
      );
    }
  }
  for (const s of report.skippedVariants) out.push('', `skipped ${s.variant}: ${s.reason}`);
  return out.join('\n');
}
