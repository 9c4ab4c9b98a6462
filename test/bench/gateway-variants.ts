/**
 * The gateways the bench compares, each started as its own child process on a free loopback
 * port against the same subgraphs: `bare` (the reference), `pactum`, `pactum-no-audit`,
 * `pactum-no-logs`, `pactum-no-rate-limits`, `pactum-tracing`, `pactum-no-dedup`, and the peers
 * (`peer-variants.ts`): `hive`, `hive-rust`, `grafbase`, each also `-no-dedup`.
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { startChildService, REPO_ROOT, type ChildService } from './child-service';
import { gatewayArgs } from './gateway-node-args';
import { isPeerVariant, PEER_VARIANTS, startPeerVariant, type PeerVariantName } from './peer-variants';
import { gatewayProcessEnv } from '@pactum/gateway/src/config/gateway-process';
import { noSourcesGuard } from '../src/built-tree';
import { freePort } from '../src/free-port';

export const PACTUM_VARIANTS = ['pactum', 'pactum-no-audit', 'pactum-no-logs', 'pactum-no-rate-limits', 'pactum-tracing', 'pactum-no-dedup', 'pactum-baseline'] as const;
type PactumVariantName = (typeof PACTUM_VARIANTS)[number];
export type VariantName = 'bare' | PactumVariantName | PeerVariantName;

/** In table order; the first is the reference every ratio divides by. */
export const VARIANT_NAMES: readonly VariantName[] = ['bare', ...PACTUM_VARIANTS, ...PEER_VARIANTS];

/**
 * `pactum-baseline`: `pactum` exactly (same settings), but the gateway of another checkout — the
 * folder in {@link BASELINE_ENV}, e.g. a `git worktree` of the commit before a change, with
 * `node_modules` linked to this one's — so a change is measured against what it changes in one
 * alternating run, on the same subgraphs, rather than across two runs of a noisy machine. Only run
 * when asked for (`--variants bare,pactum,pactum-baseline`), never by default.
 */
export const BASELINE_VARIANT = 'pactum-baseline';
export const BASELINE_ENV = 'BENCH_PACTUM_BASELINE';

/** The variants a run without `--variants` measures: all but the baseline, which needs a checkout named. */
export const DEFAULT_VARIANT_NAMES: readonly VariantName[] = VARIANT_NAMES.filter((v) => v !== BASELINE_VARIANT);

/** What a Pactum variant runs: the production build with plain `node`, or the TypeScript sources under tsx. */
export const PACTUM_FROM = ['build', 'source'] as const;
export type PactumFrom = (typeof PACTUM_FROM)[number];

/** The gateway's entry point inside a checkout, built or not. */
const PACTUM_SCRIPT: Readonly<Record<PactumFrom, string>> = { build: 'gateway/dist/cli/pactum.js', source: 'gateway/src/cli/pactum.ts' };

/** The checkout of the baseline gateway; throws, saying what to set, when there is none. */
export function baselineRoot(env: NodeJS.ProcessEnv = process.env): string {
  const root = env[BASELINE_ENV];
  if (!root) throw new Error(`${BASELINE_VARIANT}: set ${BASELINE_ENV} to another checkout of the repository (its gateway is run as the baseline)`);
  return path.resolve(root);
}

/**
 * The gateway script a Pactum variant runs: this checkout's, or the baseline checkout's for
 * `pactum-baseline`; built (`gateway/dist/cli/pactum.js`, which the caller builds first) or the
 * sources. Throws, naming the file, when it is not there.
 */
export function pactumScript(name: VariantName, from: PactumFrom, env: NodeJS.ProcessEnv = process.env): string {
  const script = path.resolve(name === BASELINE_VARIANT ? baselineRoot(env) : REPO_ROOT, PACTUM_SCRIPT[from]);
  if (!fs.existsSync(script)) {
    const where = name === BASELINE_VARIANT ? ` (${BASELINE_ENV}=${env[BASELINE_ENV]})` : '';
    throw new Error(`${name}: ${script} not found${where}${from === 'build' ? '; run `npm run build` there' : ''}`);
  }
  return script;
}

/** The checkouts whose production build the selected variants run: this one, and the baseline's when it is selected. */
export function checkoutsToBuild(variants: readonly VariantName[], from: PactumFrom, env: NodeJS.ProcessEnv = process.env): string[] {
  if (from !== 'build') return [];
  const roots = new Set<string>();
  for (const v of variants) if (isPactum(v)) roots.add(v === BASELINE_VARIANT ? baselineRoot(env) : REPO_ROOT);
  return [...roots];
}

/** One of the Pactum variants. */
export function isPactum(name: VariantName): name is PactumVariantName {
  return (PACTUM_VARIANTS as readonly string[]).includes(name);
}

/** A peer gateway (not bare, not Pactum): one that cannot start fails the bench instead of being skipped. */
export function isPeer(name: VariantName): name is PeerVariantName {
  return isPeerVariant(name);
}

/**
 * Switch read by `gateway/src/main.ts` that swaps the audit sink for one that accepts and drops
 * (the gateway says so loudly at start). Exists only to split the cost of audit in the bench.
 */
export const AUDIT_OFF_ENV = 'PACTUM_AUDIT_DISABLED_FOR_BENCH';
/** What the gateway prints when it honours {@link AUDIT_OFF_ENV}; the bench refuses to report the variant without it. */
export const AUDIT_OFF_BANNER = /AUDIT DISABLED/;

/**
 * Log level per Pactum variant: every variant but `pactum-no-logs` writes its JSON line per
 * request (`info`, the production default) to the pipe the bench reads, as a container's stdout
 * would be read; `pactum-no-logs` writes warnings only, so the difference is what the request
 * lines cost. Set explicitly, so an inherited PACTUM_LOG_LEVEL cannot change what is measured.
 */
const LOG_LEVEL: Readonly<Record<PactumVariantName, string>> = {
  pactum: 'info',
  'pactum-no-audit': 'info',
  'pactum-no-logs': 'warn',
  'pactum-no-rate-limits': 'info',
  'pactum-tracing': 'info',
  'pactum-no-dedup': 'info',
  'pactum-baseline': 'info',
};

/**
 * In-flight deduplication of identical subgraph requests (`PACTUM_SUBGRAPH_DEDUP`, default on):
 * on in every Pactum variant but `pactum-no-dedup`, set explicitly so an inherited value cannot
 * change what is measured. `pactum-no-dedup` beside `hive-no-dedup`, `hive-rust-no-dedup` and
 * `grafbase-no-dedup` is the like-for-like comparison (the peers merge identical requests by default).
 */
export const DEDUP_ENV = 'PACTUM_SUBGRAPH_DEDUP';
function dedupEnv(name: PactumVariantName): Record<string, string> {
  return { [DEDUP_ENV]: name === 'pactum-no-dedup' ? 'off' : 'on' };
}

/**
 * Whether the gateway's configuration reads {@link DEDUP_ENV} at all: without it `pactum-no-dedup`
 * would be a second `pactum` row under another name, so the variant refuses to start instead.
 */
export function gatewayReadsDedupSwitch(root: string = REPO_ROOT): boolean {
  const dir = path.join(root, 'gateway', 'src', 'config');
  return fs.readdirSync(dir).some((f) => f.endsWith('.ts') && fs.readFileSync(path.join(dir, f), 'utf8').includes(DEDUP_ENV));
}

/**
 * Rate limits per Pactum variant. Every variant but `pactum-no-rate-limits` counts each request in
 * memory against all five budgets (the production default store), with budgets no bench load can
 * spend — the cost of counting, never a refusal; `pactum-no-rate-limits` turns them off, so the
 * difference is what the rate limits cost. PACTUM_REDIS_URL cleared: an inherited one would
 * silently change what is measured.
 */
const BUDGETS = ['PACTUM_RATE_LIMIT_PRINCIPAL', 'PACTUM_RATE_LIMIT_AGENCY', 'PACTUM_RATE_LIMIT_HIT_PRINCIPAL', 'PACTUM_RATE_LIMIT_HIT_AGENCY', 'PACTUM_RATE_LIMIT_AUTH_FAILURES'];
function rateLimitEnv(name: PactumVariantName): Record<string, string> {
  const budget = name === 'pactum-no-rate-limits' ? 'off' : '999999999/1s';
  return { PACTUM_REDIS_URL: '', ...Object.fromEntries(BUDGETS.map((b) => [b, budget])) };
}

/**
 * Traces per Pactum variant: off (`none`, the default) in every variant but `pactum-tracing`, which
 * traces every request (a span per stage and per subgraph call) and exports them over OTLP/HTTP to
 * a sink in the bench process that answers 200 — the cost of making and sending the spans, not of
 * a collector. Set explicitly, so an inherited OTEL_* variable cannot change what is measured.
 */
export interface OtlpSink {
  readonly url: string;
  /** OTLP export requests received so far. */
  exports(): number;
  close(): Promise<void>;
}

export function startOtlpSink(): Promise<OtlpSink> {
  let received = 0;
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      received++;
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({
        url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/traces`,
        exports: () => received,
        close: () => new Promise((r) => server.close(() => r())),
      }),
    ),
  );
}

/** Where everything a gateway needs lives. */
export interface GatewayEnvironment {
  /** `PACTUM_<NAME>_URL` for each subgraph. */
  readonly subgraphUrls: Readonly<Record<string, string>>;
  /** Gateway key folder's parent (`PACTUM_STATE_DIR`): the same key the subgraphs trust. */
  readonly stateDir: string;
  /** Scratch folder for this run's audit files. */
  readonly workDir: string;
  /** What the Pactum variants run (default `source`: a caller that asks for `build` builds first, see {@link checkoutsToBuild}). */
  readonly pactumFrom?: PactumFrom;
}

/** A gateway the bench can drive. */
export interface RunningVariant {
  readonly name: VariantName;
  /** URL of the GraphQL endpoint. */
  readonly url: string;
  readonly service: ChildService;
  /** `pactum-tracing`: OTLP export requests its sink received. */
  readonly otlpExports?: () => number;
  /** Headers this variant needs on each request besides the workload's, read afresh for every window (`grafbase`: the context tokens). */
  readonly headers?: () => Record<string, string>;
}

function subgraphEnv(env: GatewayEnvironment): Record<string, string> {
  // PACTUM_AUDIT_URL cleared: an inherited PostgreSQL URL would silently change what is measured.
  const vars: Record<string, string> = { PACTUM_STATE_DIR: env.stateDir, PACTUM_HOST: '127.0.0.1', PACTUM_AUDIT_URL: '' };
  for (const [name, url] of Object.entries(env.subgraphUrls)) vars[`PACTUM_${name.toUpperCase()}_URL`] = url;
  return vars;
}

/** Starts one variant and waits until it serves (the Pactum gateway: until `/readyz` answers 200). */
export async function startVariant(name: VariantName, env: GatewayEnvironment, timeoutMs = 90_000): Promise<RunningVariant> {
  const port = await freePort();
  const common = { ...subgraphEnv(env), PACTUM_GATEWAY_PORT: String(port) };
  if (name === 'bare') {
    const service = await startChildService({
      name: 'gateway:bare',
      script: 'test/bench/bare-gateway.ts',
      // The same heap ceiling as Pactum's gateway: both are measured under the same Node.js options.
      nodeArgs: gatewayArgs(),
      env: common,
      ready: { stdoutLine: /^bare gateway ready at (\S+)/ },
      timeoutMs,
    });
    return { name, url: service.announcedUrl ?? `http://127.0.0.1:${port}/`, service };
  }
  if (isPeer(name)) return startPeerVariant(name, env, timeoutMs);
  if (name === 'pactum-no-dedup' && !gatewayReadsDedupSwitch()) {
    throw new Error(`pactum-no-dedup: gateway/src/config does not read ${DEDUP_ENV}, so the variant would measure dedup on; it waits for the switch`);
  }
  const audit = name === 'pactum-no-audit' ? { [AUDIT_OFF_ENV]: '1' } : { [AUDIT_OFF_ENV]: '' };
  const sink = name === 'pactum-tracing' ? await startOtlpSink() : undefined;
  const tracing: Record<string, string> = sink ? { OTEL_TRACES_EXPORTER: 'otlp', OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: sink.url, OTEL_SDK_DISABLED: '' } : { OTEL_TRACES_EXPORTER: 'none' };
  const from = env.pactumFrom ?? 'source';
  const service = await startChildService({
    name: `gateway:${name}`,
    script: pactumScript(name, from),
    args: ['gateway'],
    // A built gateway runs as production runs it, with a preload that fails it if it still loads a source file.
    nodeArgs: from === 'build' ? [...gatewayArgs(), '--require', noSourcesGuard()] : gatewayArgs(),
    typescript: from === 'source',
    // The environment production starts the gateway with (`gateway-process.ts`: malloc arenas), as `pactum start` and the image set it.
    env: { ...common, ...gatewayProcessEnv(), ...audit, ...tracing, ...rateLimitEnv(name), ...dedupEnv(name), PACTUM_LOG_LEVEL: LOG_LEVEL[name], PACTUM_AUDIT_FILE: path.join(env.workDir, `audit-${name}-${port}.sqlite`) },
    ready: { httpGet: `http://127.0.0.1:${port}/readyz` },
    timeoutMs,
  });
  if (name === 'pactum-no-audit' && !AUDIT_OFF_BANNER.test(service.outputTail())) {
    await service.stop();
    throw new Error(
      `pactum-no-audit: the gateway did not confirm ${AUDIT_OFF_ENV}=1 (no "AUDIT DISABLED" line); gateway/src/main.ts lacks the switch`,
    );
  }
  if (!sink) return { name, url: `http://127.0.0.1:${port}/graphql`, service };
  // The sink lives as long as the gateway: it stops after the gateway's last flush.
  const stop = service.stop.bind(service);
  return { name, url: `http://127.0.0.1:${port}/graphql`, service: Object.assign(service, { stop: async () => { await stop(); await sink.close(); } }), otlpExports: () => sink.exports() };
}
