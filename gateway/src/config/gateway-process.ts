/**
 * How a gateway process is started: the Node.js options it runs with. Kept in one place so
 * `pactum start`, the benchmarks and operators' own supervisors run the same thing.
 */
import { ConfigError } from '../errors';

/**
 * V8 heap ceiling in MiB (`PACTUM_GATEWAY_HEAP_MB`, default 192). V8 grows its old space lazily
 * up to a limit far above what the gateway needs, so under 50 concurrent dossier requests a
 * process without a ceiling sat at 330-375 MB RSS; with 192 MiB it stays near 230 MB at the
 * same throughput, because garbage is collected before the heap is grown.
 */
export function gatewayHeapMb(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.PACTUM_GATEWAY_HEAP_MB;
  if (raw === undefined || raw === '') return 192;
  if (!/^\d+$/.test(raw) || Number(raw) < 64 || Number(raw) > 16384) {
    throw new ConfigError('bad_option', `PACTUM_GATEWAY_HEAP_MB=${raw}: must be a whole number of MiB between 64 and 16384`);
  }
  return Number(raw);
}

/** Node.js arguments for a gateway process (before the script). */
export function gatewayNodeArgs(env: NodeJS.ProcessEnv = process.env): string[] {
  return [`--max-old-space-size=${gatewayHeapMb(env)}`];
}
