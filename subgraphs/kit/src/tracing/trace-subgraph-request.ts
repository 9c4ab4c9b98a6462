/**
 * A subgraph's server span: one per HTTP request, the child of the gateway's subgraph-call span
 * when the request carries its W3C `traceparent`. Attributes name the subgraph, the route and the
 * status, never a header value, a token, a query or a variable.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { context, propagation, SpanKind, SpanStatusCode, type Tracer } from '@opentelemetry/api';

/** Runs `handle` inside the server span of `req`. */
export type TraceSubgraphRequest = (req: IncomingMessage, res: ServerResponse, handle: () => Promise<void>) => Promise<void>;

export function traceSubgraphRequests(tracer: Tracer, subgraph: string): TraceSubgraphRequest {
  return (req, res, handle) => {
    const parent = propagation.extract(context.active(), req.headers);
    const route = (req.url ?? '/').split('?')[0] === '/graphql' ? '/graphql' : 'other';
    return tracer.startActiveSpan(
      `subgraph ${subgraph} ${req.method ?? 'GET'} ${route}`,
      { kind: SpanKind.SERVER, attributes: { 'pactum.subgraph': subgraph, 'http.request.method': req.method ?? 'GET', 'http.route': route } },
      parent,
      async (span) => {
        try {
          await handle();
          span.setAttribute('http.response.status_code', res.statusCode);
          if (res.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
        } catch (error) {
          span.setStatus({ code: SpanStatusCode.ERROR });
          throw error;
        } finally {
          span.end();
        }
      },
    );
  };
}
