import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer, HeaderMap, type HTTPGraphQLResponse } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { PortInUseError } from '../errors';
import { createLoaderCache } from '../loaders/loader-cache';
import { ALLOW_UNAUTHENTICATED } from './allow-unauthenticated';
import { checkCaller } from './check-caller';
import { checkServerOptions } from './check-server-options';
import { errorBody, sendJson } from './http-replies';
import { createMaskError } from './mask-error';
import { BodyTooLargeError, readBody } from './read-body';
import type { Caller, CreateSubgraphServerOptions, RunningSubgraph, SubgraphContext } from './types';
import { activeTracing, traceSubgraphRequests } from '../tracing';

const ONE_MB = 1024 * 1024;
// The gateway keeps sockets to subgraphs alive; with Node's 5 s default the server would close
// an idle socket the gateway is about to reuse, and the client would see "socket hang up" after
// any quiet spell. The gateway's own idle timeout stays below this one. headersTimeout must exceed it.
const KEEP_ALIVE_MS = 65_000;
const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * Starts a Federation 2 subgraph: Apollo Server 5 over `buildSubgraphSchema`, served by a
 * plain `node:http` server with `/graphql` (GET, POST), `/healthz`, JSON 404 for the rest,
 * a 1 MB body limit (413), 400 on malformed JSON, the required `authenticate` hook
 * (401 before the body is read), masked internal errors and a draining `stop()`.
 *
 * @throws KitOptionsError on bad options, `authenticate` missing included (pass
 *   `createContextTokenVerifier(…)`, or `ALLOW_UNAUTHENTICATED` in tests); PortInUseError (`code: 'EADDRINUSE'`) when the port is taken.
 */
export async function createSubgraphServer(options: CreateSubgraphServerOptions): Promise<RunningSubgraph> {
  checkServerOptions(options, 'createSubgraphServer');
  const { name, port, authenticate, createContext } = options;
  const host = options.host ?? '127.0.0.1';
  const maxBodyBytes = options.maxBodyBytes ?? ONE_MB;
  const onInternalError =
    options.onInternalError ??
    ((error: unknown, requestId: string | undefined) => {
      // Name only: messages may quote data values, and logs carry no personal data.
      const kind = error instanceof Error ? error.name : typeof error;
      console.error(`subgraph ${name}: internal error (${kind}) in request ${requestId ?? '-'}`);
    });

  const httpServer: Server = createServer();
  httpServer.keepAliveTimeout = KEEP_ALIVE_MS;
  httpServer.headersTimeout = KEEP_ALIVE_MS + 1_000;

  const apollo = new ApolloServer<SubgraphContext>({
    schema: buildSubgraphSchema({ typeDefs: options.typeDefs, resolvers: options.resolvers as never }),
    // No ftv1 traces: they would tell any caller how long each resolver took. No cache-control
    // plugin: it hooks every field of every answer to compute a cache policy, which for agency
    // records is always the same — never stored (`no-store`, set below); on a list of 1,000 rows
    // the hook was a twentieth of the subgraph's CPU.
    plugins: [ApolloServerPluginDrainHttpServer({ httpServer }), ApolloServerPluginInlineTraceDisabled(), ApolloServerPluginCacheControlDisabled()],
    includeStacktraceInErrorResponses: false,
    // The process owner (runSubgraphMain, tests) decides when to stop, not Apollo.
    stopOnTerminationSignals: false,
    formatError: createMaskError((error) => onInternalError(error, undefined)),
  });
  await apollo.start();

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://subgraph.invalid');
    const method = req.method ?? 'GET';
    if (url.pathname === '/healthz') {
      if (method !== 'GET' && method !== 'HEAD') return sendJson(res, 405, errorBody(`method ${method} not allowed on /healthz`, 'METHOD_NOT_ALLOWED'));
      return sendJson(res, 200, { status: 'ok', subgraph: name });
    }
    if (url.pathname !== '/graphql') {
      return sendJson(res, 404, errorBody(`no route for ${url.pathname.slice(0, 100)}`, 'NOT_FOUND'));
    }
    if (method !== 'GET' && method !== 'POST') {
      res.setHeader('allow', 'GET, POST');
      return sendJson(res, 405, errorBody(`method ${method} not allowed on /graphql`, 'METHOD_NOT_ALLOWED'), true);
    }

    let caller: Caller | undefined;
    if (authenticate !== ALLOW_UNAUTHENTICATED) {
      try {
        caller = checkCaller(await authenticate(req));
      } catch (error) {
        // Only an authentication refusal speaks for itself; any other failure of the hook (a key
        // file, a bug) is reported as a plain refusal so no path or detail reaches the caller.
        const refusal = error as { code?: unknown; reason?: unknown; message?: unknown } | null;
        const spoken = refusal?.code === 'UNAUTHENTICATED' && typeof refusal.reason === 'string' && typeof refusal.message === 'string';
        const message = spoken ? (refusal.message as string) : 'caller not authenticated';
        const reason = typeof refusal?.reason === 'string' ? refusal.reason : 'unauthenticated';
        return sendJson(res, 401, errorBody(message, 'UNAUTHENTICATED', reason), true);
      }
    }

    let body: unknown;
    if (method === 'POST') {
      let text: string;
      try {
        text = await readBody(req, maxBodyBytes);
      } catch (error) {
        if (error instanceof BodyTooLargeError) {
          return sendJson(res, 413, errorBody(`request body is larger than ${maxBodyBytes} bytes`, 'PAYLOAD_TOO_LARGE'), true);
        }
        return sendJson(res, 400, errorBody('request body could not be read', 'BAD_REQUEST'), true);
      }
      if (/^application\/(graphql-response\+)?json\b/i.test(req.headers['content-type'] ?? '')) {
        try {
          body = JSON.parse(text);
        } catch {
          return sendJson(res, 400, errorBody('request body is not valid JSON', 'BAD_REQUEST'));
        }
      } else {
        body = text;
      }
    }

    const headers = new HeaderMap();
    for (const [key, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
    }
    const headerId = headers.get('x-request-id');
    const requestId = caller?.requestId ?? (headerId && REQUEST_ID.test(headerId) ? headerId : randomUUID());

    const response = await apollo.executeHTTPGraphQLRequest({
      httpGraphQLRequest: { method, headers, search: url.search, body },
      context: async () => {
        const base: SubgraphContext = { ...(caller ? { caller } : {}), loaders: createLoaderCache(), requestId };
        if (!createContext) return base;
        // The base fields win: an integrator's context cannot replace the caller or the loaders.
        return { ...(await createContext(base)), ...base };
      },
    });
    await writeResponse(res, response, requestId);
  };

  // A server span per request only when this process traces (`tracing/`): off, nothing is added.
  const tracing = activeTracing();
  const traced = tracing ? traceSubgraphRequests(tracing.tracer, name) : undefined;
  httpServer.on('request', (req: IncomingMessage, res: ServerResponse) => {
    (traced ? traced(req, res, () => handle(req, res)) : handle(req, res)).catch((error: unknown) => {
      onInternalError(error, undefined);
      sendJson(res, 500, errorBody('Internal server error', 'INTERNAL_SERVER_ERROR'), true);
    });
  });

  let boundPort: number;
  try {
    boundPort = await listen(httpServer, port, host);
  } catch (error) {
    await apollo.stop();
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') throw new PortInUseError(port, name, { cause: error });
    throw error;
  }

  let stopping: Promise<void> | undefined;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${urlHost}:${boundPort}/graphql`,
    port: boundPort,
    stop() {
      stopping ??= (async () => {
        // Apollo's drain plugin closes the listener, ends idle keep-alive sockets and
        // waits for in-flight requests (up to 10 s) before the store may be closed.
        await apollo.stop();
        httpServer.closeIdleConnections();
        if (options.onStop) await options.onStop();
      })();
      return stopping;
    },
  };
}

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error) => reject(error);
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

async function writeResponse(res: ServerResponse, response: HTTPGraphQLResponse, requestId: string): Promise<void> {
  res.statusCode = response.status ?? 200;
  for (const [key, value] of response.headers) res.setHeader(key, value);
  // Agency records: no proxy or client cache keeps a copy.
  res.setHeader('cache-control', 'no-store');
  res.setHeader('x-request-id', requestId);
  if (response.body.kind === 'complete') {
    res.end(response.body.string);
    return;
  }
  for await (const chunk of response.body.asyncIterator) res.write(chunk);
  res.end();
}
