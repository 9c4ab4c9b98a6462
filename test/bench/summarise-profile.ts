/**
 * Where a gateway's main thread spent its time: reads the V8 CPU profiles a bench run wrote with
 * `BENCH_GATEWAY_CPU_PROF=<dir>` and prints the top items by self time — grouped by package (and
 * by Pactum source file), and by function — as shares of the busy time, idle and start-up
 * (module loading, the TypeScript loader) left out, so two runs' tables compare.
 *
 *   node --import tsx test/bench/summarise-profile.ts <dir or .cpuprofile> [--top 25] [--json]
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';

interface CallFrame {
  readonly functionName: string;
  readonly url: string;
  readonly lineNumber: number;
}
interface ProfileNode {
  readonly id: number;
  readonly callFrame: CallFrame;
  readonly children?: readonly number[];
}
/** The parts of a `.cpuprofile` read here. */
export interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

/** One row of a summary: a name and its share of the busy time. */
export interface ShareRow {
  readonly name: string;
  readonly ms: number;
  readonly share: number;
}

export interface ProfileSummary {
  /** Sampled time in ms, all of it. */
  readonly totalMs: number;
  /** Of which idle (nothing to run). */
  readonly idleMs: number;
  /** Of which start-up: module loading and the TypeScript loader. */
  readonly startupMs: number;
  /** The rest: what the shares below divide. */
  readonly busyMs: number;
  readonly byPackage: readonly ShareRow[];
  readonly byFunction: readonly ShareRow[];
}

const STARTUP = /^node:internal\/(modules|bootstrap|process\/pre_execution|main)|\/node_modules\/(tsx|esbuild|get-tsconfig)\//;

/** `@apollo/gateway`, `pactum gateway/server`, `node:net`, `(native)`: what a frame's time is charged to. */
export function packageOf(url: string): string {
  if (!url) return '(native: GC, syscalls, V8)';
  const dependency = /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url);
  if (dependency?.[1]) return dependency[1];
  if (url.startsWith('node:')) return url.replace(/^node:(internal\/)?/, 'node:').split('/').slice(0, 2).join('/');
  const own = /\/(gateway|schema|subgraphs|test)\/src\/(.+)$/.exec(url);
  if (own?.[1] && own[2]) return `pactum ${own[1]}/${own[2]}`;
  return url;
}

/** Summarises one or more profiles (their times added up). */
export function summariseProfiles(profiles: readonly CpuProfile[], top: number): ProfileSummary {
  const byPackage = new Map<string, number>();
  const byFunction = new Map<string, number>();
  let totalUs = 0;
  let idleUs = 0;
  let startupUs = 0;
  for (const profile of profiles) {
    const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
    const parent = new Map<number, number>();
    for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
    const startupNode = new Map<number, boolean>();
    const inStartup = (id: number): boolean => {
      const known = startupNode.get(id);
      if (known !== undefined) return known;
      const n = nodes.get(id);
      const up = parent.get(id);
      const result = n !== undefined && (STARTUP.test(n.callFrame.url) || (up !== undefined && inStartup(up)));
      startupNode.set(id, result);
      return result;
    };
    profile.samples.forEach((id, i) => {
      const us = profile.timeDeltas[i] ?? 0;
      totalUs += us;
      const n = nodes.get(id);
      if (!n) return;
      if (n.callFrame.functionName === '(idle)') {
        idleUs += us;
        return;
      }
      if (inStartup(id)) {
        startupUs += us;
        return;
      }
      const pkg = packageOf(n.callFrame.url);
      byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + us);
      // Pactum's own files run transpiled by tsx, so their line numbers say nothing: the file does.
      const line = n.callFrame.url && !pkg.startsWith('pactum ') ? `:${n.callFrame.lineNumber + 1}` : '';
      const fn = `${n.callFrame.functionName || '(anonymous)'} — ${pkg}${line}`;
      byFunction.set(fn, (byFunction.get(fn) ?? 0) + us);
    });
  }
  const busyUs = totalUs - idleUs - startupUs;
  const rows = (m: Map<string, number>): ShareRow[] =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, us]) => ({ name, ms: us / 1000, share: busyUs > 0 ? us / busyUs : 0 }));
  return { totalMs: totalUs / 1000, idleMs: idleUs / 1000, startupMs: startupUs / 1000, busyMs: busyUs / 1000, byPackage: rows(byPackage), byFunction: rows(byFunction) };
}

/** The `.cpuprofile` files at `target` (a file, or the files of a folder). */
export function profileFiles(target: string): string[] {
  if (!statSync(target).isDirectory()) return [target];
  return readdirSync(target)
    .filter((f) => f.endsWith('.cpuprofile'))
    .sort()
    .map((f) => path.join(target, f));
}

function table(title: string, rows: readonly ShareRow[]): string {
  const lines = rows.map((r) => `  ${(100 * r.share).toFixed(1).padStart(5)} %  ${r.ms.toFixed(0).padStart(7)} ms  ${r.name}`);
  return `${title}\n${lines.join('\n')}\n`;
}

function main(): void {
  const { values, positionals } = parseArgs({ options: { top: { type: 'string', default: '25' }, json: { type: 'boolean', default: false } }, allowPositionals: true });
  const target = positionals[0];
  const top = Number(values.top);
  if (!target || !Number.isInteger(top) || top < 1) {
    process.stderr.write('usage: summarise-profile.ts <dir or .cpuprofile> [--top N] [--json]\n');
    process.exitCode = 2;
    return;
  }
  const files = profileFiles(target);
  if (files.length === 0) {
    process.stderr.write(`summarise-profile: no .cpuprofile in ${target}\n`);
    process.exitCode = 1;
    return;
  }
  const summary = summariseProfiles(
    files.map((f) => JSON.parse(readFileSync(f, 'utf8')) as CpuProfile),
    top,
  );
  if (values.json) {
    process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
    return;
  }
  process.stdout.write(
    `${files.length} profile(s): ${summary.totalMs.toFixed(0)} ms sampled — idle ${summary.idleMs.toFixed(0)} ms, start-up ${summary.startupMs.toFixed(0)} ms, busy ${summary.busyMs.toFixed(0)} ms (the shares below)\n\n` +
      table('by package (self time)', summary.byPackage) +
      '\n' +
      table('by function (self time)', summary.byFunction),
  );
}

if (require.main === module) main();
