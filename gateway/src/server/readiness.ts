/**
 * `/readyz`: ready when this gateway can answer — the checks that decide it are the ones
 * without which no request could be served (policy loaded, audit store writable, supergraph
 * loaded, trust registry usable), and it is never ready while draining. Each subgraph's and
 * each identity provider's state is reported in the body and as gauges, but is no reason to be
 * unready: one agency's outage leaves the others' data to serve (its fields come back null with
 * SUBGRAPH_UNAVAILABLE), and taking every replica out of a load balancer for it would turn one
 * agency's outage into everyone's. The rate-limit store (Redis, when the buckets are shared) is
 * reported the same way: without it ordinary requests are limited by each replica alone and only
 * hit/no-hit checks are refused, so it is no reason to stop serving either.
 *
 * The subgraphs are those of the supergraph served now: after a swap (`PACTUM_SUPERGRAPH_WATCH`)
 * a subgraph it added is probed and one it removed is no longer reported (nor its gauge kept).
 * Results are reused for a second so probes can't load the subgraphs.
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
  /** Where the rate-limit buckets are and whether that store answers, for information; absent without rate limits. */
  readonly rateLimits?: RateLimitStoreReport;
}

/** The rate-limit store as `/readyz` reports it: `memory` is always `up`. */
export interface RateLimitStoreReport {
  readonly store: 'memory' | 'redis';
  readonly state: 'up' | 'down';
}

/** Passes with `true`; fails with `false`, or with a short, path-free reason. */
export type ReadinessCheck = () => Promise<boolean | string>;

export interface ReadinessOptions {
  /** The subgraphs of the supergraph served now, read on every probe (a swap changes them). */
  readonly subgraphs: () => readonly SubgraphEndpoint[];
  /** The checks that decide readiness, by name. A check that throws counts as `down`. */
  readonly checks?: Readonly<Record<string, ReadinessCheck>>;
  /** The identity providers' states, by agency. */
  readonly identityProviders?: () => readonly { readonly agency: string; readonly state: IdentityProviderState }[];
  /** The rate-limit store's state (never a reason to be unready). */
  readonly rateLimitStore?: () => Promise<RateLimitStoreReport>;
  /** True once draining has begun: not ready, whatever the checks say (read on every probe, never reused). */
  readonly draining?: () => boolean;
  /** Where the subgraph and identity provider gauges are set on each probe. */
  readonly metrics?: Pick<GatewayMetrics, 'subgraphUp' | 'identityProviderState' | 'rateLimitStoreUp'>;
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
  let last: { at: number; endpoints: string; report: Promise<Omit<ReadinessReport, 'ready' | 'status'>> } | undefined;
  // Subgraphs given a gauge series so far: one no longer served loses its series.
  const gauged = new Set<string>();

  async function probe(endpoints: readonly SubgraphEndpoint[]): Promise<Omit<ReadinessReport, 'ready' | 'status'>> {
    const [subgraphEntries, checkEntries, rateLimits] = await Promise.all([
      Promise.all(endpoints.map(async (s) => [s.name, await subgraphHealthy(s, timeoutMs)] as const)),
      Promise.all(Object.entries(extra).map(async ([name, check]) => [name, await check().catch(() => false)] as const)),
      options.rateLimitStore?.().catch((): RateLimitStoreReport => ({ store: 'redis', state: 'down' })),
    ]);
    const checks: ReadinessReport['checks'] = {};
    for (const [name, ok] of checkEntries) checks[name] = ok === true ? 'ok' : typeof ok === 'string' ? `down: ${ok}` : 'down';
    const subgraphs: ReadinessReport['subgraphs'] = {};
    for (const [name, up] of subgraphEntries) {
      subgraphs[name] = up ? 'up' : 'down';
      options.metrics?.subgraphUp.set({ subgraph: name }, up ? 1 : 0);
    }
    for (const name of gauged) if (!Object.hasOwn(subgraphs, name)) options.metrics?.subgraphUp.remove({ subgraph: name });
    gauged.clear();
    for (const name of Object.keys(subgraphs)) gauged.add(name);
    const identityProviders: ReadinessReport['identityProviders'] = {};
    for (const { agency, state } of options.identityProviders?.() ?? []) {
      identityProviders[agency] = state;
      for (const s of IDENTITY_PROVIDER_STATES) options.metrics?.identityProviderState.set({ agency, state: s }, s === state ? 1 : 0);
    }
    if (rateLimits) options.metrics?.rateLimitStoreUp.set({ store: rateLimits.store }, rateLimits.state === 'up' ? 1 : 0);
    return { checks, subgraphs, identityProviders, ...(rateLimits ? { rateLimits } : {}) };
  }

  return async () => {
    const now = Date.now();
    const endpoints = options.subgraphs();
    // A result is reused only for the same subgraphs: the first probe after a swap probes the new ones.
    const key = endpoints.map((e) => `${e.name} ${e.url}`).join('\n');
    if (!last || now - last.at > reuseMs || last.endpoints !== key) last = { at: now, endpoints: key, report: probe(endpoints) };
    const report = await last.report;
    const passing = Object.values(report.checks).every((c) => c === 'ok');
    if (options.draining?.()) return { ...report, ready: false, status: 'draining' };
    return { ...report, ready: passing, status: passing ? 'ready' : 'not ready' };
  };
}
