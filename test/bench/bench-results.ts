/**
 * The bench's results: every measured window as it happened, and one summary row per
 * (workload, connections, variant) with the median over rounds, the spread (min–max) that
 * shows the machine's noise, and the ratio to the reference variant. Written as JSON so runs
 * can be compared; the table is printed from the same rows.
 */
import type { LoadRunResult } from './load-run';
import type { PactumFrom, VariantName } from './gateway-variants';
import type { TargetCheck } from './bench-target';

/** One measured window. */
export interface MeasuredRun extends LoadRunResult {
  readonly round: number;
  readonly workload: string;
  readonly variant: VariantName;
}

/** Median and spread of one figure over rounds. */
export interface Spread {
  readonly median: number;
  readonly min: number;
  readonly max: number;
}

/** What went wrong in a row's windows, summed over rounds. */
export interface RowFailures {
  readonly non2xx: number;
  readonly errors: number;
  readonly timeouts: number;
  /** 2xx responses with GraphQL errors although the workload's probe had none (or the reverse). */
  readonly unexpectedGraphqlErrors: number;
  /** Windows in which not one request completed (the gateway stalled, or the window was far too short). */
  readonly emptyWindows: number;
  /** 1 when the variant's probe answered other data than the reference's for the same request, unexpectedly: its figures are for other work. */
  readonly differentData: number;
}

/** One line of the table. */
export interface SummaryRow {
  readonly workload: string;
  readonly connections: number;
  readonly variant: VariantName;
  readonly rounds: number;
  readonly requestsPerSec: Spread;
  readonly p50Ms: Spread;
  readonly p99Ms: Spread;
  readonly cpuMsPerRequest: Spread;
  /** Of that, the gateway's main thread (event loop). */
  readonly mainThreadCpuMsPerRequest: Spread;
  /** The shared subgraphs' CPU per request of this variant (absent in results written before it was measured). */
  readonly subgraphCpuMsPerRequest?: Spread;
  /** Highest gateway RSS seen in any of the row's windows, MB. */
  readonly peakRssMb: number;
  readonly failures: RowFailures;
  /** True when any failure count is non-zero: the row's figures describe a broken run. */
  readonly flagged: boolean;
  /** This variant / the reference (median over median); absent on the reference itself or when it is missing. */
  readonly ratio?: { readonly requestsPerSec: number; readonly cpuMsPerRequest: number; readonly p99Ms: number; readonly p50Ms: number };
}

/** What one probe request (before the load) got back from a gateway. */
export interface ProbeResult {
  readonly workload: string;
  readonly variant: VariantName;
  readonly status: number;
  readonly bodyBytes: number;
  /** `extensions.code` (and `reason`) of each GraphQL error, in order. */
  readonly errorCodes: readonly string[];
  /** Top-level data fields that came back non-null. */
  readonly dataFields: readonly string[];
  /** sha256 of `JSON.stringify(data)`: equal hashes mean two gateways released the very same data. */
  readonly dataHash: string;
  /** Whether `data` equals the reference variant's for the same workload (absent on the reference). */
  readonly sameDataAsReference?: boolean;
  /** The workload means this variant's data to differ from the reference's (Pactum, a restricted principal). */
  readonly differenceExpected?: boolean;
}

/** The JSON file (`test/bench/results/latest.json`). */
export interface BenchReport {
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly machine: { readonly cpus: number; readonly cpuModel: string; readonly node: string; readonly loadAvgBefore: readonly number[] };
  readonly gitCommit: string | undefined;
  readonly settings: {
    readonly durationSec: number;
    readonly warmupSec: number;
    readonly rounds: number;
    readonly connections: readonly number[];
    readonly workloads: readonly string[];
    readonly variants: readonly VariantName[];
    /** What the Pactum variants ran: the production build or the TypeScript sources (absent in results older than the option). */
    readonly pactumFrom?: PactumFrom;
  };
  /** What each workload asks, as whom. */
  readonly workloads: readonly { readonly name: string; readonly description: string; readonly agency: string; readonly purpose: string; readonly query: string }[];
  /** Variants that could not be started, with the reason; they have no rows. */
  readonly skippedVariants: readonly { readonly variant: VariantName; readonly reason: string }[];
  readonly probes: readonly ProbeResult[];
  readonly rows: readonly SummaryRow[];
  /** The target checked over `rows` (see `bench-target.ts`). */
  readonly target: readonly TargetCheck[];
  readonly runs: readonly MeasuredRun[];
}

function spread(values: readonly number[]): Spread {
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return { median: Number.NaN, min: Number.NaN, max: Number.NaN };
  const mid = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
  return { median, min: sorted[0] as number, max: sorted[sorted.length - 1] as number };
}

/** Whether a window's GraphQL errors disagree with what the probe saw for the same (workload, variant). */
function unexpectedErrors(run: MeasuredRun, probe: ProbeResult | undefined): number {
  const expectErrors = (probe?.errorCodes.length ?? 0) > 0;
  const twoXx = run.requests - run.non2xx;
  return expectErrors ? twoXx - run.graphqlErrorResponses : run.graphqlErrorResponses;
}

/**
 * Folds the windows into table rows, in the order workloads × connections × variants; the
 * first variant of `variants` is the reference of the ratios.
 */
export function summarise(
  runs: readonly MeasuredRun[],
  probes: readonly ProbeResult[],
  order: { workloads: readonly string[]; connections: readonly number[]; variants: readonly VariantName[] },
): SummaryRow[] {
  const rows: SummaryRow[] = [];
  for (const workload of order.workloads) {
    for (const connections of order.connections) {
      let reference: SummaryRow | undefined;
      for (const variant of order.variants) {
        const mine = runs.filter((r) => r.workload === workload && r.connections === connections && r.variant === variant);
        if (mine.length === 0) continue;
        const probe = probes.find((p) => p.workload === workload && p.variant === variant);
        const failures: RowFailures = {
          non2xx: mine.reduce((n, r) => n + r.non2xx, 0),
          errors: mine.reduce((n, r) => n + r.errors, 0),
          timeouts: mine.reduce((n, r) => n + r.timeouts, 0),
          unexpectedGraphqlErrors: mine.reduce((n, r) => n + unexpectedErrors(r, probe), 0),
          emptyWindows: mine.filter((r) => r.requests === 0).length,
          differentData: probe?.sameDataAsReference === false && probe.differenceExpected !== true ? 1 : 0,
        };
        const row: SummaryRow = {
          workload,
          connections,
          variant,
          rounds: mine.length,
          requestsPerSec: spread(mine.map((r) => r.requestsPerSec)),
          p50Ms: spread(mine.map((r) => r.latencyMs.p50)),
          p99Ms: spread(mine.map((r) => r.latencyMs.p99)),
          cpuMsPerRequest: spread(mine.map((r) => r.gatewayCpuMsPerRequest ?? Number.NaN)),
          mainThreadCpuMsPerRequest: spread(mine.map((r) => r.gatewayMainThreadCpuMsPerRequest ?? Number.NaN)),
          subgraphCpuMsPerRequest: spread(mine.map((r) => r.subgraphCpuMsPerRequest ?? Number.NaN)),
          peakRssMb: Math.max(...mine.map((r) => (r.gatewayPeakRssBytes ?? 0) / (1024 * 1024))),
          failures,
          flagged: Object.values(failures).some((n) => n > 0),
        };
        if (variant === order.variants[0]) {
          reference = row;
          rows.push(row);
        } else {
          rows.push(reference ? { ...row, ratio: ratioOf(row, reference) } : row);
        }
      }
    }
  }
  return rows;
}

function ratioOf(row: SummaryRow, reference: SummaryRow): NonNullable<SummaryRow['ratio']> {
  return {
    requestsPerSec: row.requestsPerSec.median / reference.requestsPerSec.median,
    cpuMsPerRequest: row.cpuMsPerRequest.median / reference.cpuMsPerRequest.median,
    p99Ms: row.p99Ms.median / reference.p99Ms.median,
    p50Ms: row.p50Ms.median / reference.p50Ms.median,
  };
}
