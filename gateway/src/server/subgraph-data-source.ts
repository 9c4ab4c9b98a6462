/**
 * How the gateway talks to a subgraph: one keep-alive undici pool per subgraph origin, a
 * context token on every request, and nothing else. It replaces @apollo/gateway's default
 * fetcher stack (make-fetch-happen + node-fetch), which builds a Request, a Headers object and
 * an Error per call; here a call is one pooled HTTP request and one JSON parse.
 */
import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import type { GraphQLDataSource, GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { GraphQLError } from 'graphql';
import { Pool } from 'undici';
import type { SubgraphErrorKind } from './metrics';
import { callerOf, type SubgraphCaller } from './subgraph-caller';

/** What a subgraph call carries of the request it serves. */
export interface SubgraphCallCredentials {
  /** The gateway-signed context token (`authorization: Bearer`). */
  readonly token: string;
  /** The gateway's request id (`x-request-id`), so subgraph logs meet the audit record. */
  readonly requestId: string;
}

/** Produces the credentials of one subgraph call for its caller. */
export type ContextTokenProvider = (subgraph: string, caller: SubgraphCaller) => Promise<SubgraphCallCredentials>;

export interface SubgraphDataSourceOptions {
  /** Subgraph name, used as the context token's audience and in error messages. */
  readonly name: string;
  readonly url: string;
  readonly contextToken: ContextTokenProvider;
  /** Timeout in ms for the response headers, and again for the body. */
  readonly timeoutMs: number;
  /** Idle keep-alive in ms; below the subgraph server's keepAliveTimeout (otherwise a socket the subgraph already closed is reused after a quiet spell: "socket hang up"). */
  readonly idleMs: number;
  /** Most concurrent sockets to this subgraph. */
  readonly connections?: number;
  /** Tracing on: starts the call's span, writes its `traceparent` into the headers; the returned function ends it. */
  readonly trace?: (subgraph: string, headers: Record<string, string>) => (error?: string) => void;
  /** Told each call's time in seconds and, for a failed call, how it failed (metrics). */
  readonly observe?: (seconds: number, error: SubgraphErrorKind | undefined) => void;
}

/** A subgraph answered with something other than a GraphQL response. */
function subgraphFailure(name: string, detail: string): GraphQLError {
  return new GraphQLError(`subgraph ${name} unavailable`, {
    extensions: { code: 'SUBGRAPH_UNAVAILABLE', serviceName: name, detail },
  });
}

export class SubgraphDataSource implements GraphQLDataSource<Record<string, unknown>> {
  private readonly pool: Pool;
  private readonly path: string;

  constructor(private readonly options: SubgraphDataSourceOptions) {
    const url = new URL(options.url);
    this.path = url.pathname + url.search;
    this.pool = new Pool(url.origin, {
      connections: options.connections ?? 128,
      keepAliveTimeout: options.idleMs,
      keepAliveMaxTimeout: options.idleMs,
      headersTimeout: options.timeoutMs,
      bodyTimeout: options.timeoutMs,
    });
  }

  async process(options: GraphQLDataSourceProcessOptions<Record<string, unknown>>): Promise<GatewayGraphQLResponse> {
    const { request } = options;
    if (!request.query) throw new Error('Missing query');
    // No caller, no token: the subgraph refuses, so nothing is fetched without a verified principal.
    const caller = callerOf(options.context);
    caller?.calls.push(this.options.name);
    const credentials = caller ? await this.options.contextToken(this.options.name, caller) : undefined;
    const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
    if (credentials) {
      headers.authorization = `Bearer ${credentials.token}`;
      headers['x-request-id'] = credentials.requestId;
    }
    const body = JSON.stringify({ query: request.query, variables: request.variables, operationName: request.operationName });
    const started = process.hrtime.bigint();
    const endSpan = this.options.trace?.(this.options.name, headers);
    const observe = (error: SubgraphErrorKind | undefined): void => {
      this.options.observe?.(Number(process.hrtime.bigint() - started) / 1e9, error);
      endSpan?.(error);
    };

    let statusCode: number;
    let text: string;
    try {
      const res = await this.pool.request({
        path: this.path,
        method: 'POST',
        headers,
        body,
        // No AbortSignal per call: the pool's headersTimeout / bodyTimeout bound each phase,
        // and a signal per request costs a timer and a DOMException on the hot path.
      });
      statusCode = res.statusCode;
      text = await res.body.text();
    } catch (err) {
      observe('transport');
      throw subgraphFailure(this.options.name, (err as Error).message);
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      observe('invalid_response');
      throw subgraphFailure(this.options.name, `HTTP ${statusCode}, body is not JSON`);
    }
    if (statusCode !== 200 && !(parsed && typeof parsed === 'object' && 'errors' in parsed)) {
      observe('http');
      throw subgraphFailure(this.options.name, `HTTP ${statusCode}`);
    }
    if (!parsed || typeof parsed !== 'object') {
      observe('invalid_response');
      throw subgraphFailure(this.options.name, 'response is not an object');
    }
    observe('errors' in parsed && Array.isArray(parsed.errors) && parsed.errors.length > 0 ? 'graphql_errors' : undefined);
    return parsed as GatewayGraphQLResponse;
  }

  /**
   * Closes the pooled sockets. By the time the gateway stops, its server has finished every
   * request (or a drain cut them), so a call still running here serves nobody: it is aborted
   * rather than waited for (up to the subgraph timeout).
   */
  async close(): Promise<void> {
    await this.pool.destroy();
  }
}
