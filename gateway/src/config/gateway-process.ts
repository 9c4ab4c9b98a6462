/**
 * How a gateway process is started: the Node.js options and the environment it runs with. Kept
 * in one place so `pactum start`, the benchmarks and operators' own supervisors (the image's
 * `ENV`, the Kubernetes manifest) run the same thing.
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

/** glibc's malloc arenas for a gateway process unless the environment sets `MALLOC_ARENA_MAX`. */
export const GATEWAY_MALLOC_ARENAS = '2';

/**
 * Environment a gateway process must start with (it cannot be set from inside: glibc reads it
 * before any JavaScript runs). `MALLOC_ARENA_MAX=2`: glibc gives each thread that allocates its
 * own malloc arena, up to eight per core, and the gateway has a dozen threads (V8's collector
 * helpers, libuv's pool, the audit writer), each arena holding freed memory of its own. With two,
 * the bench's 1,000-row list at 50 connections peaked at 238 MB RSS instead of 259 MB, the large
 * dossier at 235 instead of 242, at the same CPU per request. An operator's own value is kept;
 * one that is not a whole number of arenas (which glibc would silently ignore) is refused.
 */
export function gatewayProcessEnv(env: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const arenas = env.MALLOC_ARENA_MAX;
  if (arenas === undefined || arenas === '') return { MALLOC_ARENA_MAX: GATEWAY_MALLOC_ARENAS };
  if (!/^\d+$/.test(arenas) || Number(arenas) < 1 || Number(arenas) > 1024) {
    throw new ConfigError('bad_option', `MALLOC_ARENA_MAX=${arenas}: must be a whole number of malloc arenas between 1 and 1024`);
  }
  return { MALLOC_ARENA_MAX: arenas };
}
