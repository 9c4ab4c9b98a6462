/**
 * The side-by-side run: subgraphs once, every gateway variant once (all kept running, idle
 * while another is measured), then round after round every (workload, connections) window on
 * each variant in turn — A B C A B C … — so that drift of a noisy machine hits all alike.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import { checkTarget } from './bench-target';
import path from 'node:path';
import { ensureGatewayKeys, issueDevToken, loadTrustRegistry } from '../../gateway/src/auth';
import { seedBenchRows } from './bench-seed';
import { ensurePeersInstalled } from './peers/peers-install';
import { LEAST_TOKEN_LIFETIME_LEFT_SEC } from './context-tokens';
import type { BenchOptions } from './bench-options';
import { summarise, type BenchReport, type MeasuredRun, type ProbeResult } from './bench-results';
import { REPO_ROOT } from './child-service';
import { checkoutsToBuild, isPactum, isPeer, startVariant, type RunningVariant, type VariantName } from './gateway-variants';
import { buildTree } from '../src/built-tree';
import { runLoad, warmUp, type LoadRequest } from './load-run';
import { allocateSubgraphPorts, startSubgraphFleet, subgraphUrl, type SubgraphFleet } from './subgraph-fleet';
import { principalsOf, requestOf, selectWorkloads, type Workload } from './workloads';

/** Where progress lines go (stderr by default, so stdout carries only the table). */
export type BenchLog = (line: string) => void;

function gitCommit(): string | undefined {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: REPO_ROOT, encoding: 'utf8' }).trim();
  } catch {
    return undefined;
  }
}

/** One request outside the load, to record what each gateway answers (and catch a broken setup early). */
async function probe(variant: RunningVariant, workload: Workload, request: LoadRequest): Promise<ProbeResult> {
  const res = await fetch(variant.url, { method: 'POST', headers: request.headers, body: request.body, signal: AbortSignal.timeout(30_000) });
  const text = await res.text();
  let errorCodes: string[] = [];
  let dataFields: string[] = [];
  let data: unknown = null;
  try {
    const body = JSON.parse(text) as { data?: Record<string, unknown> | null; errors?: { extensions?: { code?: string; reason?: string } }[] };
    errorCodes = (body.errors ?? []).map((e) => [e.extensions?.code ?? 'NO_CODE', e.extensions?.reason].filter(Boolean).join(':'));
    dataFields = Object.entries(body.data ?? {}).flatMap(([k, v]) => (v === null ? [] : [k]));
    data = body.data ?? null;
  } catch {
    errorCodes = ['BODY_NOT_JSON'];
  }
  const dataHash = createHash('sha256').update(JSON.stringify(data)).digest('hex');
  return { workload: workload.name, variant: variant.name, status: res.status, bodyBytes: Buffer.byteLength(text), errorCodes, dataFields, dataHash };
}

/**
 * The request a variant gets for a workload, built afresh for every window: the workload's bytes,
 * plus what the variant itself needs sent (Grafbase: the subgraphs' context tokens, which must
 * outlive the window), and the principals' tokens to cycle through.
 */
function loadRequestOf(variant: RunningVariant, workload: Workload, tokens: readonly string[], cursor: { next: number }): LoadRequest {
  const { headers, body } = requestOf(workload, tokens[0] ?? '');
  return {
    url: variant.url,
    headers: { ...headers, ...variant.headers?.() },
    body,
    ...(tokens.length > 1 ? { authorizations: tokens.map((t) => `Bearer ${t}`), cursor } : {}),
  };
}

/** Agency tokens for each workload's principals, from the development identity providers (a day's lifetime outlasts any bench). */
async function agencyTokens(workloads: readonly Workload[]): Promise<Map<string, string[]>> {
  const registry = loadTrustRegistry(path.join(REPO_ROOT, 'policies', 'agencies.yaml'));
  const tokens = new Map<string, string[]>();
  for (const w of workloads) {
    const mine: string[] = [];
    for (const p of principalsOf(w)) mine.push(await issueDevToken({ ...p, ttl: '1d', registry }));
    tokens.set(w.name, mine);
  }
  return tokens;
}

/** Runs the gateways side by side and returns the report (the caller prints and writes it). */
export async function runGatewayBench(options: BenchOptions, log: BenchLog): Promise<BenchReport> {
  const startedAt = new Date();
  const loadAvgBefore = os.loadavg();
  const workloads = selectWorkloads(options.workloads);
  // A peer whose context tokens the bench sends (Grafbase) reads them at the start of each window.
  const window = options.warmupSec + options.durationSec;
  if (options.variants.some((v) => v.startsWith('grafbase')) && window > LEAST_TOKEN_LIFETIME_LEFT_SEC - 5) {
    throw new Error(`grafbase: warm-up + window of ${window} s would outlive the context tokens the bench sends it (at least ${LEAST_TOKEN_LIFETIME_LEFT_SEC} s left); keep them under ${LEAST_TOKEN_LIFETIME_LEFT_SEC - 5} s`);
  }
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pactum-bench-'));
  const stateDir = path.join(workDir, 'state');
  const keys = ensureGatewayKeys(path.join(stateDir, 'keys'));

  // Installed once, before the peers start side by side (each start only checks the install).
  const peers = options.variants.filter(isPeer);
  if (peers.length > 0) {
    try {
      ensurePeersInstalled(log);
    } catch (err) {
      throw new Error(`peers ${peers.join(', ')} cannot start: ${(err as Error).message}`);
    }
  }
  // The Pactum variants run the production build: build it (incremental) before anything starts.
  for (const root of checkoutsToBuild(options.variants, options.pactumFrom)) {
    log(`bench: building Pactum in ${root} (npm run build; --pactum-from source skips this)`);
    log(`bench: built in ${buildTree(root).seconds.toFixed(1)} s`);
  }
  const tokens = await agencyTokens(workloads);

  const running: RunningVariant[] = [];
  const skippedVariants: { variant: VariantName; reason: string }[] = [];
  const runs: MeasuredRun[] = [];
  const probes: ProbeResult[] = [];
  log(`bench: scratch folder ${workDir}`);
  const windows = options.rounds * workloads.length * options.connections.length * options.variants.length;
  log(`bench: ${windows} measured windows of ${options.warmupSec} + ${options.durationSec} s: about ${Math.ceil((windows * window) / 60)} min of load after start-up`);
  // Subgraphs and gateways start together: the gateways plan from the static supergraph and only
  // need the subgraphs' URLs, which are fixed by choosing the ports first.
  const ports = await allocateSubgraphPorts();
  const subgraphUrls = Object.fromEntries(Object.entries(ports).map(([name, port]) => [name, subgraphUrl(port)]));
  const gatewayEnv = { subgraphUrls, stateDir, workDir, pactumFrom: options.pactumFrom };
  const t0 = Date.now();
  const dataDir = path.join(workDir, 'data');
  const fleetStart = startSubgraphFleet({ dataDir, publicKeyFile: keys.publicKeyFile, ports });
  // Awaited below, after the gateways; marked handled now so an early failure does not crash the process.
  fleetStart.catch(() => undefined);
  const started = await Promise.allSettled(options.variants.map((name) => startVariant(name, gatewayEnv)));
  let fleet: SubgraphFleet | undefined;
  try {
    fleet = await fleetStart;
  } finally {
    if (!fleet) {
      await Promise.all(started.flatMap((o) => (o.status === 'fulfilled' ? [o.value.service.stop()] : [])));
      if (!options.keep) fs.rmSync(workDir, { recursive: true, force: true });
    }
  }
  try {
    log(`bench: subgraphs ready (${Object.entries(fleet.urls).map(([n, u]) => `${n} ${u}`).join(', ')})`);
    seedBenchRows(dataDir);
    const failedPeers: string[] = [];
    started.forEach((outcome, i) => {
      const name = options.variants[i] as VariantName;
      if (outcome.status === 'fulfilled') {
        running.push(outcome.value);
        log(`bench: ${name} ready at ${outcome.value.url} (pid ${outcome.value.service.pid}, ${Date.now() - t0} ms)`);
        return;
      }
      const message = (outcome.reason as Error).message;
      // A peer that cannot start fails the run: a comparison without its row would read as complete.
      if (isPeer(name)) {
        failedPeers.push(`peer ${name} could not start: ${message}`);
        return;
      }
      skippedVariants.push({ variant: name, reason: message.split('\n')[0] ?? 'failed to start' });
      log(`bench: SKIPPING ${name}: ${message}`);
    });
    if (failedPeers.length > 0) throw new Error(failedPeers.join('\n'));
    if (running[0]?.name !== options.variants[0]) {
      throw new Error(`the reference variant ${options.variants[0]} did not start: ${skippedVariants[0]?.reason}`);
    }

    // One turn of the principals per (variant, workload), carried from window to window.
    const cursors = new Map<string, { next: number }>();
    const cursorOf = (key: string): { next: number } => {
      let cursor = cursors.get(key);
      if (!cursor) cursors.set(key, (cursor = { next: 0 }));
      return cursor;
    };
    const requestFor = (variant: RunningVariant, w: Workload): LoadRequest =>
      loadRequestOf(variant, w, tokens.get(w.name) ?? [], cursorOf(`${variant.name}\u0000${w.name}`));
    for (const variant of running) {
      for (const w of workloads) {
        let p = await probe(variant, w, requestFor(variant, w));
        const reference = probes.find((q) => q.workload === w.name && q.variant === running[0]?.name);
        if (reference && variant !== running[0]) {
          p = { ...p, sameDataAsReference: p.dataHash === reference.dataHash, ...(w.pactumDiffers !== undefined && isPactum(variant.name) ? { differenceExpected: true } : {}) };
        }
        probes.push(p);
        const same = p.sameDataAsReference === undefined ? '' : `, same data as ${running[0]?.name}: ${p.sameDataAsReference ? 'yes' : p.differenceExpected ? `no (expected: ${w.pactumDiffers})` : 'NO'}`;
        log(`bench: probe ${variant.name} ${w.name}: HTTP ${p.status}, ${p.bodyBytes} B, data [${p.dataFields.join(',')}], errors [${p.errorCodes.join(', ')}]${same}`);
      }
    }
    // Warm-up once per (variant, workload): JIT, query plans, rewrite caches, subgraph sockets.
    for (const variant of running) {
      for (const w of workloads) {
        await runLoad({ request: requestFor(variant, w), connections: 10, durationSec: options.warmupSec * 2 });
      }
    }

    for (let round = 1; round <= options.rounds; round++) {
      for (const w of workloads) {
        for (const connections of options.connections) {
          for (const variant of running) {
            if (!variant.service.alive()) throw new Error(`${variant.name} exited during the bench:\n${variant.service.outputTail()}`);
            const request = requestFor(variant, w);
            // A short warm-up at this level re-opens the sockets an idle gap may have closed (and
            // gives a many-principal workload one full turn of its users: see warmUp).
            await warmUp(request, connections, options.warmupSec);
            const result = await runLoad({ request, connections, durationSec: options.durationSec, pid: variant.service.pid, subgraphPids: fleet.services.map((s) => s.pid) });
            runs.push({ ...result, round, workload: w.name, variant: variant.name });
            const bad = result.non2xx + result.errors + result.timeouts;
            log(
              `bench: round ${round}/${options.rounds} ${w.name} c=${connections} ${variant.name}: ${result.requestsPerSec.toFixed(1)} req/s, p99 ${result.latencyMs.p99} ms, ` +
                `cpu ${result.gatewayCpuMsPerRequest?.toFixed(2)} ms/req (main thread ${result.gatewayMainThreadCpuMsPerRequest?.toFixed(2)}), ` +
                `subgraphs ${result.subgraphCpuMsPerRequest?.toFixed(2)} ms/req${bad > 0 ? `, FAILURES ${bad}` : ''}`,
            );
          }
        }
      }
    }
  } finally {
    await Promise.all(running.map((v) => v.service.stop()));
    await fleet.stop();
    if (!options.keep) fs.rmSync(workDir, { recursive: true, force: true });
  }

  const variants = running.map((v) => v.name);
  const rows = summarise(runs, probes, { workloads: workloads.map((w) => w.name), connections: options.connections, variants });
  return {
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model ?? 'unknown', node: process.version, loadAvgBefore },
    gitCommit: gitCommit(),
    settings: {
      durationSec: options.durationSec,
      warmupSec: options.warmupSec,
      rounds: options.rounds,
      connections: options.connections,
      workloads: workloads.map((w) => w.name),
      variants,
      pactumFrom: options.pactumFrom,
    },
    workloads: workloads.map((w) => ({ name: w.name, description: w.description, agency: w.principal.agency, purpose: w.purpose.code, query: w.query })),
    skippedVariants,
    probes,
    rows,
    target: checkTarget(rows, variants[0] ?? 'bare'),
    runs,
  };
}
