/**
 * The gateway's spans, when tracing is on (`@pactum/subgraph-kit` `startTracingFromEnv`: the
 * standard OTEL_* variables, off by default): one SERVER span per /graphql request, one child
 * per pipeline stage, one CLIENT span per subgraph call whose W3C `traceparent` goes to the
 * subgraph, so the subgraph's own span is its child.
 *
 * What a span says is chosen here and nowhere else, and none of it is personal data: names of
 * stages and subgraphs, HTTP method, route and status, the request id, the outcome code. Never a
 * header value, a token, a subject, a justification, a case reference, a query's text, a variable
 * or a field value — so a trace backend needs no clearance.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { context, propagation, SpanKind, SpanStatusCode, trace, type Span, type Tracer } from '@opentelemetry/api';

/** A request handler of the gateway's HTTP server. */
export type RequestHandler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

/** Ends a subgraph call's span; `error` names how it failed (the metrics' kind), if it did. */
export type EndSubgraphCall = (error?: string) => void;

/** The gateway's tracing hooks; absent when tracing is off, so nothing runs at all. */
export interface GatewayTracing {
  /** The handler inside a SERVER span of its own (the parent a client's `traceparent` names, if any). */
  request(handler: RequestHandler): RequestHandler;
  /** `fn` inside a child span `pactum.<stage>` of the active one; sync or async. */
  stage<T>(stage: string, fn: () => T): T;
  /**
   * Starts the CLIENT span of a call to `subgraph` and writes its `traceparent` into `headers`.
   * A call that joined an identical one in flight (nothing sent) says so, and whose call served it.
   */
  subgraphCall(subgraph: string, headers: Record<string, string>, deduplicated?: { readonly leaderRequestId: string | undefined }): EndSubgraphCall;
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function';
}

function fail(span: Span, error: unknown): void {
  // The error's class and its code only: messages may quote the values the request carried.
  const code = typeof error === 'object' && error !== null && typeof (error as { code?: unknown }).code === 'string' ? (error as { code: string }).code : undefined;
  span.setAttribute('error.type', code ?? (error instanceof Error ? error.name : typeof error));
  span.setStatus({ code: SpanStatusCode.ERROR });
}

/** `result`, ending `span` when it settles. */
function endWhenSettled(span: Span, result: PromiseLike<unknown>): Promise<unknown> {
  return Promise.resolve(result).then(
    (value) => {
      span.end();
      return value;
    },
    (error: unknown) => {
      fail(span, error);
      span.end();
      throw error;
    },
  );
}

/** The hooks over `tracer`. */
export function createGatewayTracing(tracer: Tracer): GatewayTracing {
  return {
    request(handler) {
      return (req, res) => {
        const parent = propagation.extract(context.active(), req.headers);
        return tracer.startActiveSpan(
          `${req.method ?? 'GET'} /graphql`,
          { kind: SpanKind.SERVER, attributes: { 'http.request.method': req.method ?? 'GET', 'http.route': '/graphql' } },
          parent,
          async (span) => {
            try {
              await handler(req, res);
            } catch (error) {
              fail(span, error);
              throw error;
            } finally {
              const id = res.getHeader('x-request-id');
              if (typeof id === 'string') span.setAttribute('pactum.request_id', id);
              span.setAttribute('http.response.status_code', res.statusCode);
              if (res.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
              span.end();
            }
          },
        );
      };
    },

    stage(stage, fn) {
      // No closure is made here, so nothing keeps `fn` once it has returned: `fn` holds the
      // stage's inputs (deliver's answer, thousands of objects for a long list), which would
      // otherwise stay reachable from the span's handlers until an async stage settles (the
      // audit wait) and be promoted to the old generation.
      const span = tracer.startSpan(`pactum.${stage}`, { attributes: { 'pactum.stage': stage } });
      let result: ReturnType<typeof fn>;
      try {
        result = context.with(trace.setSpan(context.active(), span), fn);
      } catch (error) {
        fail(span, error);
        span.end();
        throw error;
      }
      if (!isThenable(result)) {
        span.end();
        return result;
      }
      return endWhenSettled(span, result) as ReturnType<typeof fn>;
    },

    subgraphCall(subgraph, headers, deduplicated) {
      const span = tracer.startSpan(`subgraph ${subgraph}`, { kind: SpanKind.CLIENT, attributes: { 'pactum.subgraph': subgraph } });
      if (deduplicated) {
        span.setAttribute('pactum.deduplicated', true);
        if (deduplicated.leaderRequestId !== undefined) span.setAttribute('pactum.deduplicated_into', deduplicated.leaderRequestId);
      }
      propagation.inject(trace.setSpan(context.active(), span), headers);
      return (error) => {
        if (error) {
          span.setAttribute('error.type', error);
          span.setStatus({ code: SpanStatusCode.ERROR });
        }
        span.end();
      };
    },
  };
}
