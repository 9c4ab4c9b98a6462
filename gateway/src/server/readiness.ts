/**
 * `/readyz`: ready only when every subgraph answers its health check and every extra check
 * (audit store, policy) passes. Results are reused for a second so probes can't load the subgraphs.
 */
import { request } from 'undici';
import type { SubgraphEndpoint } from '../config/gateway-config';

export interface ReadinessReport {
  readonly ready: boolean;
  /** `ok`, `down`, or `down: <why>` when the check said why (`audit: down: trail shm file unwritable`). */
  readonly checks: Record<string, 'ok' | 'down' | `down: ${string}`>;
}

/** Passes with `true`; fails with `false`, or with a short, path-free reason. */
export type ReadinessCheck = () => Promise<boolean | string>;

async function subgraphHealthy(endpoint: SubgraphEndpoint, timeoutMs: number): Promise<boolean> {
  try {
    const res = await request(new URL('/healthz', endpoint.url), { method: 'GET', signal: AbortSignal.timeout(timeoutMs) });
    await res.body.dump();
    return res.statusCode === 200;
  } catch {
    return false;
  }
}

export function createReadiness(
  subgraphs: readonly SubgraphEndpoint[],
  extra: Readonly<Record<string, ReadinessCheck>> = {},
  options: { timeoutMs?: number; reuseMs?: number } = {},
): () => Promise<ReadinessReport> {
  const timeoutMs = options.timeoutMs ?? 1000;
  const reuseMs = options.reuseMs ?? 1000;
  let last: { at: number; report: Promise<ReadinessReport> } | undefined;

  async function probe(): Promise<ReadinessReport> {
    const entries = await Promise.all([
      ...subgraphs.map(async (s) => [`subgraph:${s.name}`, await subgraphHealthy(s, timeoutMs)] as const),
      ...Object.entries(extra).map(async ([name, check]) => [name, await check().catch(() => false)] as const),
    ]);
    const checks: ReadinessReport['checks'] = {};
    for (const [name, ok] of entries) checks[name] = ok === true ? 'ok' : typeof ok === 'string' ? `down: ${ok}` : 'down';
    return { ready: entries.every(([, ok]) => ok === true), checks };
  }

  return () => {
    const now = Date.now();
    if (!last || now - last.at > reuseMs) last = { at: now, report: probe() };
    return last.report;
  };
}
