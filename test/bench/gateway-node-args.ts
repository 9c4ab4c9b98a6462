/**
 * The Node.js options every Node.js gateway the bench runs gets (bare, Pactum, Hive Gateway), so
 * they are measured under the same ones: Pactum's heap ceiling and, with
 * `BENCH_GATEWAY_CPU_PROF=<dir>`, a V8 CPU profile written there when the gateway stops
 * (`--cpu-prof`), to see where a variant's CPU per request goes. Profiling slows the gateways, so
 * the figures of such a run are for reading the profile only.
 *
 * The one exception is the heap ceiling of a peer: Hive Gateway ran out of heap under Pactum's
 * 192 MiB (list-1000 probes, then dossier-full at 10 connections), so a Node.js peer gets
 * `BENCH_PEER_HEAP_MB` (default 512) instead. A larger heap lets a gateway collect less often,
 * which lowers its CPU per request: the comparison leans towards the peer, not towards Pactum.
 */
import path from 'node:path';
import { gatewayNodeArgs } from '@pactum/gateway/src/config/gateway-process';

export function gatewayArgs(): string[] {
  const dir = process.env.BENCH_GATEWAY_CPU_PROF;
  return dir ? [...gatewayNodeArgs(), '--cpu-prof', `--cpu-prof-dir=${path.resolve(dir)}`] : gatewayNodeArgs();
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
