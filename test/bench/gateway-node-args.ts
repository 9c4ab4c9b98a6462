/**
 * The Node.js options every Node.js gateway the bench runs gets (bare, Pactum, Hive Gateway), so
 * they are measured under the same ones: Pactum's heap ceiling and, with
 * `BENCH_GATEWAY_CPU_PROF=<dir>`, a V8 CPU profile written there when the gateway stops
 * (`--cpu-prof`), to see where a variant's CPU per request goes. Profiling slows the gateways, so
 * the figures of such a run are for reading the profile only. `BENCH_GATEWAY_NODE_ARGS` adds
 * Node.js or V8 options to every one of them alike (`--max-semi-space-size=32`, say: V8 flags
 * that NODE_OPTIONS refuses), to measure what an option would change.
 *
 * The one exception is the heap ceiling of a peer: Hive Gateway ran out of heap under Pactum's
 * 192 MiB (list-1000 probes, then dossier-full at 10 connections), so a Node.js peer gets
 * `BENCH_PEER_HEAP_MB` (default 512) instead. A larger heap lets a gateway collect less often,
 * which lowers its CPU per request: the comparison leans towards the peer, not towards Pactum.
 */
import path from 'node:path';
import { gatewayNodeArgs } from '@pactum/gateway/src/config/gateway-process';

export function gatewayArgs(env: NodeJS.ProcessEnv = process.env): string[] {
  const dir = env.BENCH_GATEWAY_CPU_PROF;
  const extra = (env.BENCH_GATEWAY_NODE_ARGS ?? '').split(/\s+/).filter(Boolean);
  if (extra.some((a) => !a.startsWith('--'))) throw new Error(`BENCH_GATEWAY_NODE_ARGS=${env.BENCH_GATEWAY_NODE_ARGS}: Node.js options only (each starting with --)`);
  return [...gatewayNodeArgs(env), ...extra, ...(dir ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(dir)}`] : [])];
}

/** A Node.js peer's heap ceiling, MiB (`BENCH_PEER_HEAP_MB`, default 512). */
export function peerHeapMb(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.BENCH_PEER_HEAP_MB;
  if (raw === undefined || raw === '') return 512;
  if (!/^\d+$/.test(raw) || Number(raw) < 64 || Number(raw) > 16384) throw new Error(`BENCH_PEER_HEAP_MB=${raw}: must be a whole number of MiB between 64 and 16384`);
  return Number(raw);
}

/** {@link gatewayArgs} with the peer's heap ceiling (V8 takes the last `--max-old-space-size`). */
export function peerGatewayArgs(env: NodeJS.ProcessEnv = process.env): string[] {
  return [...gatewayArgs(), `--max-old-space-size=${peerHeapMb(env)}`];
}
