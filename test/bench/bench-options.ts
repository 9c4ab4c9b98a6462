/**
 * The bench's settings, from flags (`npm run bench -- --duration 10`) with environment
 * fallbacks (`BENCH_DURATION=10`). A bad value stops the bench with the option's name.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { BASELINE_ENV, DEFAULT_VARIANT_NAMES, PACTUM_FROM, VARIANT_NAMES, type PactumFrom, type VariantName } from './gateway-variants';

export interface BenchOptions {
  /** Measured seconds per window (`--duration`, `BENCH_DURATION`; default 10). */
  readonly durationSec: number;
  /** Seconds of load before each measured window, and twice that once per gateway at start (`--warmup`; default 2). */
  readonly warmupSec: number;
  /** How many times each window is repeated, alternating the gateways (`--rounds`; default 2). */
  readonly rounds: number;
  /** Concurrency levels (`--connections 1,10,50`). */
  readonly connections: readonly number[];
  /** Workload names (`--workloads dossier-full,lookup`); undefined: all. */
  readonly workloads: readonly string[] | undefined;
  /** Gateway variants (`--variants bare,pactum`); the first is the reference of the ratios. */
  readonly variants: readonly VariantName[];
  /**
   * What the Pactum variants run (`--pactum-from`, `BENCH_PACTUM_FROM`): `build` (default), the
   * production build `npm run build` makes, run with plain `node` as production runs it; `source`,
   * the TypeScript sources under tsx, as `npm start` runs them (no build step; tsx's loader and
   * source maps cost memory, not CPU per request).
   */
  readonly pactumFrom: PactumFrom;
  /** What to run: the gateways side by side, the component micro-benchmarks, or both (default). */
  readonly parts: { readonly gateways: boolean; readonly components: boolean };
  /** JSON output file (`--output`; default test/bench/results/latest.json). */
  readonly output: string;
  /** Keep the scratch folder (subgraph data, audit files) for inspection (`--keep`). */
  readonly keep: boolean;
  /** `--compare before.json[,after.json]`: compare two results files (after: `output`) and run nothing. */
  readonly compare: { readonly before: string; readonly after: string } | undefined;
}

export const HELP = `usage: npm run bench -- [options]

Starts the subgraphs once, then the gateways (bare @apollo/gateway, the pactum variants, the
peers hive, hive-rust and grafbase) as child processes on free ports, and drives each with the
same load, alternating the gateways round by round. Prints a table and writes JSON. The peers
are installed into test/bench/peers/ on first use (npm ci, ~800 MB).

  --duration <s>        measured seconds per window            (BENCH_DURATION, default 10)
  --warmup <s>          warm-up seconds before each window     (BENCH_WARMUP, default 2)
  --rounds <n>          repeats of every window                (BENCH_ROUNDS, default 2)
  --connections <list>  concurrency levels                     (BENCH_CONNECTIONS, default 1,10,50)
  --workloads <list>    dossier-full,dossier-restricted,lookup,dossier-large,list-1,list-10,
                        list-100,list-1000,principals-1,principals-100,principals-10000
                                                               (BENCH_WORKLOADS, default all)
  --variants <list>     bare,pactum,pactum-no-audit,pactum-no-logs,pactum-no-rate-limits,
                        pactum-tracing,pactum-no-dedup,hive,hive-no-dedup,hive-rust,
                        hive-rust-no-dedup,grafbase,grafbase-no-dedup, and
                        pactum-baseline (pactum from the checkout in ${BASELINE_ENV})
                                                               (BENCH_VARIANTS, default all but
                                                               the baseline; first = reference)
  --pactum-from <what>  build: the Pactum variants run the production build (npm run build
                        first, then plain node); source: the TypeScript under tsx
                                                               (BENCH_PACTUM_FROM, default build)
  --quick               duration 3, warm-up 1, rounds 1
  --components          only the component micro-benchmarks
  --gateways            only the gateways side by side
  --output <file>       JSON file (default test/bench/results/latest.json); every run
                        of the gateways is also kept as results/run-<time>-<commit>.json
  --keep                keep the scratch folder
  --compare <a>[,<b>]   compare results file a (before) with b (after; default the
                        --output file) row by row, and run nothing
`;

function positive(name: string, raw: string, integer: boolean): number {
  const value = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(value) || value <= 0 || (integer && !Number.isInteger(value))) {
    throw new Error(`${name}=${raw}: must be a positive ${integer ? 'whole ' : ''}number`);
  }
  return value;
}

function list(name: string, raw: string): string[] {
  const items = raw.split(',').map((s) => s.trim());
  if (items.length === 0 || items.some((s) => s === '')) throw new Error(`${name}=${raw}: must be a comma-separated list`);
  if (new Set(items).size !== items.length) throw new Error(`${name}=${raw}: names an item twice`);
  return items;
}

/** Parses flags, then environment; throws an Error naming the option on a bad value. Returns undefined for `--help`. */
export function parseBenchOptions(argv: readonly string[], env: NodeJS.ProcessEnv = process.env, repoRoot = path.resolve(__dirname, '../..')): BenchOptions | undefined {
  const { values } = parseArgs({
    args: [...argv],
    strict: true,
    options: {
      duration: { type: 'string' },
      warmup: { type: 'string' },
      rounds: { type: 'string' },
      connections: { type: 'string' },
      workloads: { type: 'string' },
      variants: { type: 'string' },
      'pactum-from': { type: 'string' },
      quick: { type: 'boolean' },
      components: { type: 'boolean' },
      gateways: { type: 'boolean' },
      output: { type: 'string' },
      keep: { type: 'boolean' },
      compare: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return undefined;
  const pick = (flag: string | undefined, envName: string): [string, string] | undefined =>
    flag !== undefined ? [`--${envName.slice('BENCH_'.length).toLowerCase().replace(/_/g, '-')}`, flag] : env[envName] ? [envName, env[envName] as string] : undefined;

  const quick = values.quick === true;
  const duration = pick(values.duration, 'BENCH_DURATION');
  const warmup = pick(values.warmup, 'BENCH_WARMUP');
  const rounds = pick(values.rounds, 'BENCH_ROUNDS');
  const connections = pick(values.connections, 'BENCH_CONNECTIONS');
  const workloads = pick(values.workloads, 'BENCH_WORKLOADS');
  const variants = pick(values.variants, 'BENCH_VARIANTS');
  const pactumFrom = pick(values['pactum-from'], 'BENCH_PACTUM_FROM');
  if (pactumFrom && !(PACTUM_FROM as readonly string[]).includes(pactumFrom[1])) throw new Error(`${pactumFrom[0]}=${pactumFrom[1]}: must be one of ${PACTUM_FROM.join(', ')}`);

  const variantList = variants ? list(...variants) : [...DEFAULT_VARIANT_NAMES];
  for (const v of variantList) {
    if (!(VARIANT_NAMES as readonly string[]).includes(v)) throw new Error(`${variants?.[0]}: unknown variant "${v}"; known: ${VARIANT_NAMES.join(', ')}`);
  }
  const connectionList = connections ? list(...connections).map((c) => positive(connections[0], c, true)) : [1, 10, 50];
  if (values.components && values.gateways) throw new Error('--components and --gateways exclude each other (give neither to run both)');

  const output = path.resolve(repoRoot, values.output ?? 'test/bench/results/latest.json');
  let compare: BenchOptions['compare'];
  if (values.compare !== undefined) {
    const files = list('--compare', values.compare);
    if (files.length > 2) throw new Error(`--compare=${values.compare}: give one or two results files`);
    compare = { before: path.resolve(files[0] as string), after: files[1] !== undefined ? path.resolve(files[1]) : output };
  }

  return {
    durationSec: duration ? positive(...duration, false) : quick ? 3 : 10,
    warmupSec: warmup ? positive(...warmup, false) : quick ? 1 : 2,
    rounds: rounds ? positive(...rounds, true) : quick ? 1 : 2,
    connections: connectionList,
    workloads: workloads ? list(...workloads) : undefined,
    variants: variantList as VariantName[],
    pactumFrom: (pactumFrom?.[1] as PactumFrom | undefined) ?? 'build',
    parts: { gateways: values.components !== true, components: values.gateways !== true },
    output,
    keep: values.keep === true,
    compare,
  };
}
