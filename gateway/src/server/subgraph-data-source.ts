/**
 * How the gateway talks to a subgraph: one keep-alive undici pool per subgraph origin, a
 * context token on every request, and nothing else. It replaces @apollo/gateway's default
 * fetcher stack (make-fetch-happen + node-fetch), which builds a Request, a Headers object and
 * an Error per call; here a call is one pooled HTTP request and one JSON parse. An identical
 * query for the same caller already in flight is joined rather than sent again
 * (`subgraph-dedup.ts`).
 */
import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import type { GraphQLDataSource, GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { GraphQLError } from 'graphql';
import { Pool } from 'undici';
import type { SubgraphErrorKind } from './metrics';
import { callerOf, type SubgraphCaller } from './subgraph-caller';
import { InFlightCalls, isMergeable, OperationTypes, SharedReading, type DedupIdentity, type InFlightCall, type RawSubgraphOutcome } from './subgraph-dedup';

/** What a subgraph call carries of the request it serves. */
export interface SubgraphCallCredentials {
  /** The gateway-signed context token (`authorization: Bearer`). */
  readonly token: string;
  /** The gateway's request id (`x-request-id`), so subgraph logs meet the audit record. */
  readonly requestId: string;
}

/** Produces the credentials of one subgraph call for its caller. */
export type ContextTokenProvider = (subgraph: string, caller: SubgraphCaller) => Promise<SubgraphCallCredentials>;

/** Said to tracing of a call that joined one in flight instead of being sent. */
export interface DeduplicatedCall {
  /** The `x-request-id` of the request whose call it joined. */
  readonly leaderRequestId: string | undefined;
}

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
  /** Join an identical query in flight for the same caller instead of sending it again (`PACTUM_SUBGRAPH_DEDUP`). Default true. */
  readonly dedup?: boolean;
  /**
   * Tracing on: starts the call's span, writes its `traceparent` into the headers; the returned
   * function ends it. A call that joined one in flight says so (`deduplicated`); nothing is sent for it.
   */
  readonly trace?: (subgraph: string, headers: Record<string, string>, deduplicated?: DeduplicatedCall) => (error?: string) => void;
  /** Told each call's time in seconds and, for a failed call, how it failed (metrics). Calls sent only: a joined one is {@link onDeduplicated}. */
  readonly observe?: (seconds: number, error: SubgraphErrorKind | undefined) => void;
  /** Told of each call that joined one in flight instead of being sent (metrics). */
  readonly onDeduplicated?: () => void;
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
  private readonly inFlight: InFlightCalls | undefined;
  private readonly operationTypes = new OperationTypes();
  /**
   * Longest a joined call waits, from when it joined: what its own call could take with headers
   * and body each within the timeout. The call it joined is bounded by the pool's timeouts too;
   * this keeps the bound even where those would not (a body trickling in).
   */
  private readonly waitLimitMs: number;

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
    this.inFlight = options.dedup === false ? undefined : new InFlightCalls();
    this.waitLimitMs = 2 * options.timeoutMs;
  }

  /** Calls to this subgraph in flight now that an identical one could join (tests). */
  get inFlightCalls(): number {
    return this.inFlight?.size ?? 0;
  }

  async process(options: GraphQLDataSourceProcessOptions<Record<string, unknown>>): Promise<GatewayGraphQLResponse> {
    const { request } = options;
    if (!request.query) throw new Error('Missing query');
    // No caller, no token: the subgraph refuses, so nothing is fetched without a verified principal.
    const caller = callerOf(options.context);
    caller?.calls.push(this.options.name);
    const credentials = caller ? await this.options.contextToken(this.options.name, caller) : undefined;
    const body = JSON.stringify({ query: request.query, variables: request.variables, operationName: request.operationName });

    // Only a verified caller's query is ever merged; anything else goes out on its own.
    const identity: DedupIdentity | undefined =
      this.inFlight && caller && credentials && isMergeable(this.operationTypes.of(request.query, request.operationName))
        ? { token: credentials.token, agency: caller.principal.agency, subject: caller.principal.subject, purpose: caller.purpose.code, caseRef: caller.purpose.caseRef }
        : undefined;
    // A call in flight longer than the timeout is not joined: its own call might fare better.
    const joined = identity ? this.inFlight?.find(identity, body, this.options.timeoutMs) : undefined;
    if (joined) {
      joined.reading.join();
      if (joined.requestId !== undefined) caller?.joined.push(joined.requestId);
      return this.follow(joined);
    }

    const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
    if (credentials) {
      headers.authorization = `Bearer ${credentials.token}`;
      headers['x-request-id'] = credentials.requestId;
    }
    const started = process.hrtime.bigint();
    const endSpan = this.options.trace?.(this.options.name, headers);
    const observe = (error: SubgraphErrorKind | undefined): void => {
      this.options.observe?.(Number(process.hrtime.bigint() - started) / 1e9, error);
      endSpan?.(error);
    };
    const sent = this.send(headers, body);
    if (!identity || !this.inFlight) return this.answer(await sent, observe);
    const reading = new SharedReading();
    return this.answer(await this.inFlight.lead(identity, body, credentials?.requestId, sent, reading), observe, reading);
  }

  /** The one HTTP call; its failure is an outcome, so every waiter can make its own error of it. */
  private async send(headers: Record<string, string>, body: string): Promise<RawSubgraphOutcome> {
    try {
      const res = await this.pool.request({
        path: this.path,
        method: 'POST',
        headers,
        body,
        // No AbortSignal per call: the pool's headersTimeout / bodyTimeout bound each phase,
        // and a signal per request costs a timer and a DOMException on the hot path.
      });
      return { ok: true, statusCode: res.statusCode, text: await res.body.text() };
    } catch (err) {
      return { ok: false, detail: (err as Error).message };
    }
  }

  /** Waits for the call it joined, within its own time limit, and makes its own answer of it. */
  private async follow(call: InFlightCall): Promise<GatewayGraphQLResponse> {
    this.options.onDeduplicated?.();
    const endSpan = this.options.trace?.(this.options.name, {}, { leaderRequestId: call.requestId });
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<RawSubgraphOutcome>((resolve) => {
      timer = setTimeout(() => resolve({ ok: false, detail: `no answer within ${this.waitLimitMs} ms (waiting for the identical call in flight)` }), this.waitLimitMs);
      timer.unref();
    });
    try {
      const outcome = await Promise.race([call.outcome, expired]);
      // Only the call's own outcome is read through its reading (a timeout is not a reader).
      return this.answer(outcome, (error) => endSpan?.(error), outcome.ok ? call.reading : undefined);
    } finally {
      clearTimeout(timer);
    }
  }

  /** A GraphQL response of the caller's own, parsed from the outcome's text, or its own error. */
  private answer(outcome: RawSubgraphOutcome, observe: (error: SubgraphErrorKind | undefined) => void, reading?: SharedReading): GatewayGraphQLResponse {
    if (!outcome.ok) {
      observe('transport');
      throw subgraphFailure(this.options.name, outcome.detail);
    }
    const { statusCode, text } = outcome;
    let parsed: unknown;
    try {
      parsed = reading ? reading.read(text) : JSON.parse(text);
    } catch (error) {
      observe('invalid_response');
      // A copy too deep for the stack (a hostile answer nested beyond any operation's depth) fails like a malformed one.
      throw subgraphFailure(this.options.name, `HTTP ${statusCode}, body is not ${error instanceof SyntaxError ? 'JSON' : 'a readable answer'}`);
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
    // A failed HTTP status with GraphQL errors: the errors go on, never `data` beside them — a
    // subgraph that answered 4xx/5xx has not vouched for any of it (@apollo/gateway's own data
    // source throws on such a status).
    if (statusCode !== 200) return { errors: (parsed as GatewayGraphQLResponse).errors } as GatewayGraphQLResponse;
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
