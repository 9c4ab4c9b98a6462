/**
 * `/readyz`: ready when this gateway can answer — the checks that decide it are the ones
 * without which no request could be served (policy loaded, audit store writable, supergraph
 * loaded, trust registry usable), and it is never ready while draining. Each subgraph's and
 * each identity provider's state is reported in the body and as gauges, but is no reason to be
 * unready: one agency's outage leaves the others' data to serve (its fields come back null with
 * SUBGRAPH_UNAVAILABLE), and taking every replica out of a load balancer for it would turn one
 * agency's outage into everyone's. Results are reused for a second so probes can't load the
 * subgraphs.
 */
import { request } from 'undici';
import type { SubgraphEndpoint } from '../config/gateway-config';
import type { GatewayMetrics, IdentityProviderState } from './metrics';
import { IDENTITY_PROVIDER_STATES } from './metrics';

type CheckResult = 'ok' | 'down' | `down: ${string}`;

export interface ReadinessReport {
  readonly ready: boolean;
  /** `ready`, `not ready` (a check failed) or `draining`. */
  readonly status: 'ready' | 'not ready' | 'draining';
  /** The checks readiness depends on: `ok`, `down`, or `down: <why>` (`audit: down: trail shm file unwritable`). */
  readonly checks: Record<string, CheckResult>;
  /** Each subgraph's health check, for information: `up` or `down`. */
  readonly subgraphs: Record<string, 'up' | 'down'>;
  /** Each agency's identity provider keys, for information (see auth's `JwksState`). */
  readonly identityProviders: Record<string, IdentityProviderState>;
}

/** Passes with `true`; fails with `false`, or with a short, path-free reason. */
export type ReadinessCheck = () => Promise<boolean | string>;

export interface ReadinessOptions {
  readonly subgraphs: readonly SubgraphEndpoint[];
  /** The checks that decide readiness, by name. A check that throws counts as `down`. */
  readonly checks?: Readonly<Record<string, ReadinessCheck>>;
  /** The identity providers' states, by agency. */
  readonly identityProviders?: () => readonly { readonly agency: string; readonly state: IdentityProviderState }[];
  /** True once draining has begun: not ready, whatever the checks say (read on every probe, never reused). */
  readonly draining?: () => boolean;
  /** Where the subgraph and identity provider gauges are set on each probe. */
  readonly metrics?: Pick<GatewayMetrics, 'subgraphUp' | 'identityProviderState'>;
  /** Subgraph health check timeout (default 1000 ms). */
  readonly timeoutMs?: number;
  /** Reuse a probe's result this long (default 1000 ms). */
  readonly reuseMs?: number;
}

async function subgraphHealthy(endpoint: SubgraphEndpoint, timeoutMs: number): Promise<boolean> {
  try {
    const res = await request(new URL('/healthz', endpoint.url), { method: 'GET', signal: AbortSignal.timeout(timeoutMs) });
    await res.body.dump();
    return res.statusCode === 200;
  } catch {
    return false;
  }
}

/** A probe of the gateway's readiness (see the file comment). */
export function createReadiness(options: ReadinessOptions): () => Promise<ReadinessReport> {
  const timeoutMs = options.timeoutMs ?? 1000;
  const reuseMs = options.reuseMs ?? 1000;
  const extra = options.checks ?? {};
  let last: { at: number; report: Promise<Omit<ReadinessReport, 'ready' | 'status'>> } | undefined;

  async function probe(): Promise<Omit<ReadinessReport, 'ready' | 'status'>> {
    const [subgraphEntries, checkEntries] = await Promise.all([
      Promise.all(options.subgraphs.map(async (s) => [s.name, await subgraphHealthy(s, timeoutMs)] as const)),
      Promise.all(Object.entries(extra).map(async ([name, check]) => [name, await check().catch(() => false)] as const)),
    ]);
    const checks: ReadinessReport['checks'] = {};
    for (const [name, ok] of checkEntries) checks[name] = ok === true ? 'ok' : typeof ok === 'string' ? `down: ${ok}` : 'down';
    const subgraphs: ReadinessReport['subgraphs'] = {};
    for (const [name, up] of subgraphEntries) {
      subgraphs[name] = up ? 'up' : 'down';
      options.metrics?.subgraphUp.set({ subgraph: name }, up ? 1 : 0);
    }
    const identityProviders: ReadinessReport['identityProviders'] = {};
    for (const { agency, state } of options.identityProviders?.() ?? []) {
      identityProviders[agency] = state;
      for (const s of IDENTITY_PROVIDER_STATES) options.metrics?.identityProviderState.set({ agency, state: s }, s === state ? 1 : 0);
    }
    return { checks, subgraphs, identityProviders };
  }

  return async () => {
    const now = Date.now();
    if (!last || now - last.at > reuseMs) last = { at: now, report: probe() };
    const report = await last.report;
    const passing = Object.values(report.checks).every((c) => c === 'ok');
    if (options.draining?.()) return { ...report, ready: false, status: 'draining' };
    return { ...report, ready: passing, status: passing ? 'ready' : 'not ready' };
  };
}
