/**
 * Tracing of the gateway (OpenTelemetry), off by default — the only public door of
 * `gateway/src/tracing/`. `gatewayTracingFromEnv()` starts the SDK when OTEL_TRACES_EXPORTER asks
 * for it (or uses the tracing a test started) and returns the hooks; undefined means off, and
 * then nothing of tracing runs or is even loaded.
 */
import { activeTracing, startTracingFromEnv } from '@pactum/subgraph-kit';
import { createGatewayTracing, type GatewayTracing } from './gateway-tracing';

export type { EndSubgraphCall, GatewayTracing, RequestHandler } from './gateway-tracing';

/** The gateway's tracing hooks, or undefined when tracing is off. @throws Error on a bad OTEL_TRACES_EXPORTER. */
export function gatewayTracingFromEnv(env: Readonly<Record<string, string | undefined>> = process.env): { hooks: GatewayTracing; shutdown(): Promise<void> } | undefined {
  // Tracing someone else started (a test, an embedding process) is theirs to shut down.
  const existing = activeTracing();
  if (existing) return { hooks: createGatewayTracing(existing.tracer), shutdown: async () => undefined };
  const tracing = startTracingFromEnv('pactum-gateway', env);
  return tracing ? { hooks: createGatewayTracing(tracing.tracer), shutdown: () => tracing.shutdown() } : undefined;
}
