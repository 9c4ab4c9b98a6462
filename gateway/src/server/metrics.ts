/** The gateway's Prometheus metrics, one registry per gateway instance (tests run several). */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

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
}

export function createGatewayMetrics(): GatewayMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'pactum_' });
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
  };
}
