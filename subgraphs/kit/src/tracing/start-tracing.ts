/**
 * OpenTelemetry tracing for Pactum's processes, off by default. On only when
 * `OTEL_TRACES_EXPORTER` says `otlp` (or `console`), unless `OTEL_SDK_DISABLED=true`; the OTLP
 * exporter then takes the standard `OTEL_EXPORTER_OTLP_*` variables (endpoint, headers, timeout)
 * and the resource `OTEL_SERVICE_NAME` / `OTEL_RESOURCE_ATTRIBUTES`. (The OpenTelemetry default
 * exporter is `otlp`; Pactum's is none: nothing leaves a process unless asked.)
 *
 * Off costs nothing: the SDK is required only inside {@link startTracing}, and the gateway and
 * kit add their spans only when {@link activeTracing} says tracing was started.
 *
 * One provider per process, registered globally (W3C `traceparent` propagation, async-context
 * spans): the gateway and in-process subgraphs of a test share it.
 */
import type { Tracer } from '@opentelemetry/api';
import type { SpanExporter } from '@opentelemetry/sdk-trace-base';

/** Which exporter `OTEL_TRACES_EXPORTER` asks for, or undefined when tracing is off. */
export function tracesExporterFromEnv(env: Readonly<Record<string, string | undefined>> = process.env): 'otlp' | 'console' | undefined {
  if ((env.OTEL_SDK_DISABLED ?? '').toLowerCase() === 'true') return undefined;
  const raw = (env.OTEL_TRACES_EXPORTER ?? '').trim().toLowerCase();
  if (raw === '' || raw === 'none') return undefined;
  if (raw === 'otlp' || raw === 'console') return raw;
  throw new Error(`OTEL_TRACES_EXPORTER=${env.OTEL_TRACES_EXPORTER}: must be otlp, console or none`);
}

/** A started tracing: its tracer, and `shutdown` to flush what is buffered. */
export interface Tracing {
  readonly tracer: Tracer;
  shutdown(): Promise<void>;
}

let active: Tracing | undefined;

/** The tracing this process started, if any. */
export function activeTracing(): Tracing | undefined {
  return active;
}

/**
 * Starts tracing once per process (later calls return the first): spans batched to the OTLP
 * exporter, printed by the console one, or — tests — sent as they end to `spanExporter`.
 */
export function startTracing(serviceName: string, exporter: 'otlp' | 'console' | { readonly spanExporter: SpanExporter }): Tracing {
  if (active) return active;
  /* eslint-disable @typescript-eslint/no-require-imports -- loaded only when tracing is on */
  const api = require('@opentelemetry/api') as typeof import('@opentelemetry/api');
  const base = require('@opentelemetry/sdk-trace-base') as typeof import('@opentelemetry/sdk-trace-base');
  const { NodeTracerProvider } = require('@opentelemetry/sdk-trace-node') as typeof import('@opentelemetry/sdk-trace-node');
  const { Resource, envDetectorSync, detectResourcesSync } = require('@opentelemetry/resources') as typeof import('@opentelemetry/resources');
  const processor =
    typeof exporter === 'object'
      ? new base.SimpleSpanProcessor(exporter.spanExporter)
      : exporter === 'console'
        ? new base.SimpleSpanProcessor(new base.ConsoleSpanExporter())
        : new base.BatchSpanProcessor(new (require('@opentelemetry/exporter-trace-otlp-http') as typeof import('@opentelemetry/exporter-trace-otlp-http')).OTLPTraceExporter());
  /* eslint-enable @typescript-eslint/no-require-imports */
  // OTEL_SERVICE_NAME / OTEL_RESOURCE_ATTRIBUTES win over the process's own name.
  const resource = new Resource({ 'service.name': serviceName }).merge(detectResourcesSync({ detectors: [envDetectorSync] }));
  const provider = new NodeTracerProvider({ resource, spanProcessors: [processor] });
  provider.register();
  const tracing: Tracing = {
    tracer: api.trace.getTracer('pactum'),
    async shutdown() {
      await provider.shutdown();
    },
  };
  active = tracing;
  return tracing;
}

/** Starts tracing when the environment asks for it (see the file comment); undefined otherwise. */
export function startTracingFromEnv(serviceName: string, env: Readonly<Record<string, string | undefined>> = process.env): Tracing | undefined {
  const exporter = tracesExporterFromEnv(env);
  return active ?? (exporter ? startTracing(serviceName, exporter) : undefined);
}
