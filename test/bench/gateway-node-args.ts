/**
 * The Node.js options every Node.js gateway the bench runs gets (bare, Pactum, Hive Gateway), so
 * they are measured under the same ones: Pactum's heap ceiling and, with
 * `BENCH_GATEWAY_CPU_PROF=<dir>`, a V8 CPU profile written there when the gateway stops
 * (`--cpu-prof`), to see where a variant's CPU per request goes. Profiling slows the gateways, so
 * the figures of such a run are for reading the profile only.
 */
import path from 'node:path';
import { gatewayNodeArgs } from '@pactum/gateway/src/config/gateway-process';

export function gatewayArgs(): string[] {
  const dir = process.env.BENCH_GATEWAY_CPU_PROF;
  return dir ? [...gatewayNodeArgs(), '--cpu-prof', `--cpu-prof-dir=${path.resolve(dir)}`] : gatewayNodeArgs();
}
