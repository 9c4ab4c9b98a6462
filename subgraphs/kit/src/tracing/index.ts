/** Tracing (OpenTelemetry), off by default: starting it from the standard OTEL_* variables, and the subgraph's server span. */
export { activeTracing, startTracing, startTracingFromEnv, tracesExporterFromEnv, type Tracing } from './start-tracing';
export { traceSubgraphRequests, type TraceSubgraphRequest } from './trace-subgraph-request';
