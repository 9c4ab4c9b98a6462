/**
 * The gateway's Prometheus metrics, one registry per gateway instance (tests run several).
 * Every series is listed here, and `docs/grafana/pactum.json` is built on exactly these names
 * (a test checks each panel's expression against {@link METRIC_NAMES}).
 *
 * Label cardinality is bounded everywhere: outcomes, reasons and error kinds are fixed
 * vocabularies; subgraphs, identity providers and caches come from configuration; operations are
 * labelled by name and hash for the first {@link DEFAULT_MAX_OPERATION_SERIES} distinct pairs
 * this process sees and counted as `(other)` after that, so a client inventing operation names
 * cannot grow the registry.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { allCacheLookups } from '../cache';

/** Distinct (operation name, hash) pairs labelled by default before the rest count as `(other)`. */
export const DEFAULT_MAX_OPERATION_SERIES = 100;

/** What a subgraph call came to, for `pactum_subgraph_errors_total{kind}`. */
export type SubgraphErrorKind = 'transport' | 'http' | 'invalid_response' | 'graphql_errors';

/** The state of an identity provider's signing keys (see auth's `JwksSource.state`). */
export type IdentityProviderState = 'ok' | 'stale' | 'unavailable' | 'not_fetched';
export const IDENTITY_PROVIDER_STATES: readonly IdentityProviderState[] = ['ok', 'stale', 'unavailable', 'not_fetched'];

export interface GatewayMetrics {
  readonly registry: Registry;
  /** Requests by outcome (`released`, `partial`, `denied`, `refused`, `error`, `audit_unavailable`). */
  readonly requests: Counter<'outcome'>;
  /** Field and row denials by reason code. */
  readonly denials: Counter<'reason'>;
  /** Wall time from request received to response written. */
  readonly duration: Histogram<'outcome'>;
  /** Time the durable audit append took. */
  readonly auditAppend: Histogram<never>;
  /** Policy changes refused at reload (the last good policy stayed in force). */
  readonly policyReloadRejected: Counter<never>;
  /** The policy version in force (value 1, labelled by version). */
  readonly policyVersion: Gauge<'version'>;
  /** Time of each subgraph call, by subgraph (errors included). */
  readonly subgraphDuration: Histogram<'subgraph'>;
  /** Subgraph calls that failed, by subgraph and kind. */
  readonly subgraphErrors: Counter<'subgraph' | 'kind'>;
  /** Subgraph calls not sent because an identical one for the same caller was in flight (its answer served them), by subgraph. */
  readonly subgraphDeduplicated: Counter<'subgraph'>;
  /** Requests refused by a rate limit, by the budget that ran out (`principal`, `agency`, `hit_principal`, `hit_agency`, `auth_failures`), or `unavailable` (a hit/no-hit request while the shared limiter cannot be asked). */
  readonly rateLimitRefusals: Counter<'scope'>;
  /** Requests being served now. */
  readonly inFlight: Gauge<never>;
  /** 1 while the gateway drains (after SIGTERM / SIGINT). */
  readonly draining: Gauge<never>;
  /** 1 when a subgraph's health check answers, by subgraph. */
  readonly subgraphUp: Gauge<'subgraph'>;
  /** 1 for the current state of each identity provider's keys, by agency and state. */
  readonly identityProviderState: Gauge<'agency' | 'state'>;
  /** 1 when the rate-limit store answers (`memory`: always), by store (`memory`, `redis`). */
  readonly rateLimitStoreUp: Gauge<'store'>;
  /** Counts one answered operation (bounded labels, see the file comment). */
  countOperation(name: string | null, hash: string, outcome: string): void;
  /** Runs before each scrape (readiness refreshes the subgraph and identity provider gauges). */
  beforeCollect(refresh: () => Promise<void>): void;
}

/** Names of every series the gateway exports beyond prom-client's `pactum_`-prefixed process defaults. */
export const METRIC_NAMES = [
  'pactum_requests_total',
  'pactum_denials_total',
  'pactum_request_duration_seconds',
  'pactum_audit_append_seconds',
  'pactum_policy_reload_rejected_total',
  'pactum_policy_version',
  'pactum_subgraph_request_duration_seconds',
  'pactum_subgraph_errors_total',
  'pactum_subgraph_requests_deduplicated_total',
  'pactum_rate_limit_refusals_total',
  'pactum_requests_in_flight',
  'pactum_draining',
  'pactum_subgraph_up',
  'pactum_identity_provider_state',
  'pactum_rate_limit_store_up',
  'pactum_operations_total',
  'pactum_cache_lookups_total',
] as const;

export interface GatewayMetricsOptions {
  /** Distinct (name, hash) pairs labelled before `(other)`. Default {@link DEFAULT_MAX_OPERATION_SERIES}. */
  readonly maxOperationSeries?: number;
}

export function createGatewayMetrics(options: GatewayMetricsOptions = {}): GatewayMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'pactum_' });
  const refreshers: (() => Promise<void>)[] = [];
  // One refresh per scrape, shared by the gauges that need it.
  let refreshing: Promise<void> | undefined;
  const refresh = (): Promise<void> => {
    refreshing ??= Promise.all(refreshers.map((r) => r().catch(() => undefined))).then(() => {
      refreshing = undefined;
    });
    return refreshing;
  };

  const operations = new Counter({
    name: 'pactum_operations_total',
    help: 'Answered operations by name, hash (first 12 hex digits) and outcome; (other) past the series cap',
    labelNames: ['operation', 'hash', 'outcome'],
    registers: [registry],
  });
  const maxPairs = options.maxOperationSeries ?? DEFAULT_MAX_OPERATION_SERIES;
  const seenPairs = new Set<string>();

  new Counter({
    name: 'pactum_cache_lookups_total',
    help: 'Cache lookups by cache and result (hit, miss); per process',
    labelNames: ['cache', 'result'],
    registers: [registry],
    collect() {
      // The tallies are cumulative plain numbers (cache/cache-lookups.ts): copy them in.
      this.reset();
      for (const [cache, t] of allCacheLookups()) {
        this.inc({ cache, result: 'hit' }, t.hits);
        this.inc({ cache, result: 'miss' }, t.misses);
      }
    },
  });

  return {
    registry,
    requests: new Counter({ name: 'pactum_requests_total', help: 'GraphQL requests by outcome', labelNames: ['outcome'], registers: [registry] }),
    denials: new Counter({ name: 'pactum_denials_total', help: 'Field and row denials by reason', labelNames: ['reason'], registers: [registry] }),
    duration: new Histogram({
      name: 'pactum_request_duration_seconds',
      help: 'Request wall time',
      labelNames: ['outcome'],
      buckets: [0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5],
      registers: [registry],
    }),
    auditAppend: new Histogram({
      name: 'pactum_audit_append_seconds',
      help: 'Durable audit append time',
      buckets: [0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.5],
      registers: [registry],
    }),
    policyReloadRejected: new Counter({ name: 'pactum_policy_reload_rejected_total', help: 'Policy changes refused at reload', registers: [registry] }),
    policyVersion: new Gauge({ name: 'pactum_policy_version', help: 'Policy version in force', labelNames: ['version'], registers: [registry] }),
    subgraphDuration: new Histogram({
      name: 'pactum_subgraph_request_duration_seconds',
      help: 'Subgraph call time, by subgraph',
      labelNames: ['subgraph'],
      buckets: [0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10],
      registers: [registry],
    }),
    subgraphErrors: new Counter({
      name: 'pactum_subgraph_errors_total',
      help: 'Failed subgraph calls by subgraph and kind (transport, http, invalid_response, graphql_errors)',
      labelNames: ['subgraph', 'kind'],
      registers: [registry],
    }),
    subgraphDeduplicated: new Counter({
      name: 'pactum_subgraph_requests_deduplicated_total',
      help: 'Subgraph calls served by an identical call in flight for the same caller instead of being sent, by subgraph',
      labelNames: ['subgraph'],
      registers: [registry],
    }),
    rateLimitRefusals: new Counter({
      name: 'pactum_rate_limit_refusals_total',
      help: 'Requests refused by a rate limit, by budget',
      labelNames: ['scope'],
      registers: [registry],
    }),
    inFlight: new Gauge({ name: 'pactum_requests_in_flight', help: 'HTTP requests being served (every path: /graphql, probes, /metrics)', registers: [registry] }),
    draining: new Gauge({ name: 'pactum_draining', help: '1 while the gateway drains', registers: [registry] }),
    subgraphUp: new Gauge({
      name: 'pactum_subgraph_up',
      help: "1 when the subgraph's health check answers",
      labelNames: ['subgraph'],
      registers: [registry],
      collect: refresh,
    }),
    identityProviderState: new Gauge({
      name: 'pactum_identity_provider_state',
      help: "1 for the current state of an identity provider's signing keys (ok, stale, unavailable, not_fetched)",
      labelNames: ['agency', 'state'],
      registers: [registry],
      collect: refresh,
    }),
    rateLimitStoreUp: new Gauge({
      name: 'pactum_rate_limit_store_up',
      help: 'Whether the rate-limit store answers (1) or not (0), by store (memory, redis)',
      labelNames: ['store'],
      registers: [registry],
      collect: refresh,
    }),
    countOperation(name, hash, outcome) {
      const operation = name ?? '(anonymous)';
      const short = hash.slice(0, 12);
      const pair = `${operation}\u0000${short}`;
      if (seenPairs.has(pair) || seenPairs.size < maxPairs) {
        seenPairs.add(pair);
        operations.inc({ operation, hash: short, outcome });
      } else operations.inc({ operation: '(other)', hash: '', outcome });
    },
    beforeCollect(r) {
      refreshers.push(r);
    },
  };
}
