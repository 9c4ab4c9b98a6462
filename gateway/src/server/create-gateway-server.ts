/**
 * Assembles the gateway: @apollo/gateway on the static supergraph (its query planner and
 * executor, nothing of Apollo Server), the stages of a request's way wired in
 * `handle-graphql-request.ts`, behind a plain node:http server with `/graphql`, `/healthz`,
 * `/readyz` and `/metrics`, and a drain for leaving without dropping a request (`drain.ts`).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloGateway } from '@apollo/gateway';
import type { GraphQLScalarType, GraphQLSchema } from 'graphql';
import type { Authenticated } from '../auth';
import { documentCache, queryPlanCache } from '../cache';
import { subgraphsOfSupergraph, type GatewayConfig, type SubgraphEndpoint } from '../config/gateway-config';
import { createEnforcement, createFilteredIntrospection } from '../enforce';
import { checkOperationLimits } from '../limits';
import { createLogger, type OperatorLog } from '../log';
import type { CompiledPolicy } from '../policy';
import type { RateLimits } from '../ratelimit';
import type { GatewayTracing } from '../tracing';
import type { AuditSink } from './audit-event';
import { createDrain, type DrainOptions, type DrainResult } from './drain';
import { createCors } from './cors';
import { createGraphQLHandler, type GraphQLStages } from './handle-graphql-request';
import { installScalarParsers } from './install-scalar-parsers';
import { createGatewayMetrics, type GatewayMetrics, type IdentityProviderState } from './metrics';
import { createReadiness, type ReadinessCheck } from './readiness';
import { sendJson } from './send-json';
import { createDelivery } from './stages/deliver';
import { createOperationExecutor } from './stages/execute-operation';
import { noIntrospectionRule } from './stages/no-introspection-rule';
import { createOperationPreparer } from './stages/prepare-operation';
import { createRefusal, refusalAnswer } from './stages/refuse';
import { createResponseRelease } from './stages/release-response';
import { createRateLimitStage } from './stages/rate-limit';
import { createTrustedOperations } from './stages/trusted-operations';
import { disableVendorTelemetry } from './no-vendor-telemetry';
import { SubgraphDataSource, type ContextTokenProvider } from './subgraph-data-source';
import { traceStages } from './traced-stages';

/** What the gateway is built from; `main.ts` wires the real parts. */
export interface GatewayStages {
  /** Who is asking and why; throws a PactumError (401 / 400 / 403) to refuse before any parsing. */
  authenticate(headers: http.IncomingMessage['headers']): Promise<Authenticated>;
  /** Whether the request's bearer token passed `authenticate` before (lets it through an address blocked for failed authentications). */
  wasVerified?(headers: http.IncomingMessage['headers']): boolean;
  /** The policy in force; read once per request, so a reload applies from the next request on. */
  policy(): CompiledPolicy;
  /** The audit trail; `append` resolves once durable. */
  readonly audit: AuditSink;
  /** Signs the context token of each subgraph request. */
  readonly contextToken: ContextTokenProvider;
  /** Identifier scalars whose parsers the gateway applies (ContainerNumber, IMO, IBAN, UNLocode, …). */
  readonly scalars: Readonly<Record<string, GraphQLScalarType>>;
  /** Checks readiness depends on beside the supergraph (audit store, policy, trust registry). */
  readonly readinessChecks?: Readonly<Record<string, ReadinessCheck>>;
  /** The identity providers' key states, reported by `/readyz` and as gauges (never a reason to be unready). */
  readonly identityProviders?: () => readonly { readonly agency: string; readonly state: IdentityProviderState }[];
  /** The gateway's published public keys (JWKS), served at `/.well-known/jwks.json` for subgraphs. */
  readonly publicKeys?: () => { readonly keys: readonly object[] };
  /** Tracing hooks (`tracing/`); absent when tracing is off, and then nothing of it runs. */
  readonly tracing?: GatewayTracing;
  /** The operator's log: a line per request, per internal failure (with the request id); default pino on stdout. */
  readonly log?: OperatorLog;
  /** The clock of a request's time; default the system clock. */
  readonly now?: () => Date;
  /** The development GraphiQL at `/` (`graphiql/`); absent (always in production): no page. */
  readonly devGraphiQL?: (req: http.IncomingMessage, res: http.ServerResponse, path: string) => Promise<boolean>;
  /** Rate limits (`ratelimit/`); absent, nothing is counted (a hand-built gateway in tests). */
  readonly rateLimits?: RateLimits;
}

export interface RunningGateway {
  readonly url: string;
  readonly port: number;
  readonly metrics: GatewayMetrics;
  /** Stops taking requests and finishes those in flight (see `drain.ts`); call `stop()` after it. */
  drain(options?: Partial<DrainOptions>): Promise<DrainResult>;
  /** HTTP requests in flight now (any path). */
  inFlight(): number;
  /**
   * Serves another supergraph from the next request on, without a restart (`pactum dev`). The new
   * one is loaded completely first (planner, API schema, and its own document, rewrite, plan and
   * introspection caches, so nothing planned for the old one is served); if that fails this throws
   * and the old one stays. Requests already running finish on the old one.
   */
  swapSupergraph(supergraphSdl: string): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The subgraphs one supergraph routes to, and where: the configured URL (environment overrides)
 * of each subgraph it names, else its own default URL (a subgraph a swapped-in supergraph adds).
 * The gateway calls them and `/readyz` probes them, so both read this one list.
 */
function endpointsOf(config: GatewayConfig, supergraphSdl: string): SubgraphEndpoint[] {
  const configured = new Map(config.subgraphs.map((s) => [s.name, s.url]));
  return subgraphsOfSupergraph(supergraphSdl).map((s) => ({ name: s.name, url: configured.get(s.name) ?? s.url }));
}

/** Starts @apollo/gateway on one supergraph: its API schema (with identifier parsers) and executor. */
async function loadGateway(config: GatewayConfig, supergraphSdl: string, stages: GatewayStages, dataSources: SubgraphDataSource[], metrics: GatewayMetrics) {
  const urls = new Map(endpointsOf(config, supergraphSdl).map((s) => [s.name, s.url]));
  disableVendorTelemetry();
  const gateway = new ApolloGateway({
    supergraphSdl,
    // Apollo's own caches, bounded in bytes from the heap like Pactum's (cache/apollo-caches.ts).
    queryPlannerConfig: { cache: queryPlanCache() },
    buildService: ({ name }) => {
      const url = urls.get(name);
      if (!url) throw new Error(`no URL configured for subgraph ${name}`);
      const source = new SubgraphDataSource({
        name,
        url,
        contextToken: stages.contextToken,
        timeoutMs: config.subgraphTimeoutMs,
        idleMs: config.subgraphIdleMs,
        dedup: config.subgraphDedup !== false,
        ...(stages.tracing ? { trace: stages.tracing.subgraphCall } : {}),
        observe: (seconds, error) => {
          metrics.subgraphDuration.observe({ subgraph: name }, seconds);
          if (error) metrics.subgraphErrors.inc({ subgraph: name, kind: error });
        },
        onDeduplicated: () => metrics.subgraphDeduplicated.inc({ subgraph: name }),
      });
      dataSources.push(source);
      return source;
    },
  });
  let schema: GraphQLSchema | undefined;
  // One schema per loaded supergraph (a swap loads a new gateway). The parsers go on the very
  // object the executor coerces variables against.
  gateway.onSchemaLoadOrUpdate(({ apiSchema }) => {
    installScalarParsers(apiSchema, stages.scalars);
    schema = apiSchema;
  });
  const { executor } = await gateway.load();
  if (!schema) throw new Error('gateway loaded without an API schema');
  return { gateway, executor, schema };
}

export async function createGatewayServer(
  config: GatewayConfig,
  stages: GatewayStages,
  metrics: GatewayMetrics = createGatewayMetrics(),
): Promise<RunningGateway> {
  const dataSources: SubgraphDataSource[] = [];
  const log = stages.log ?? createLogger();
  const deliver = createDelivery({ audit: stages.audit, metrics, log });
  const cors = config.corsOrigins && config.corsOrigins.length > 0 ? createCors(config.corsOrigins) : undefined;

  /** Everything that depends on the supergraph, caches included: built once per supergraph. */
  async function serveSupergraph(supergraphSdl: string) {
    const { gateway, executor, schema } = await loadGateway(config, supergraphSdl, stages, dataSources, metrics);
    // Validated documents, by the sha256 of their text, under the cache budget's `documents` share.
    const documents = documentCache();
    const enforcement = createEnforcement();
    const introspection = createFilteredIntrospection();

    const graphQLStages: GraphQLStages = {
      now: stages.now ?? (() => new Date()),
      authenticate: (headers) => stages.authenticate(headers),
      limits: config.limits,
      rateLimit: stages.rateLimits
        ? createRateLimitStage({
            limits: stages.rateLimits,
            schema,
            metrics,
            ...(config.rateLimits?.trustedProxies ? { trustedProxies: config.rateLimits.trustedProxies } : {}),
            ...(stages.wasVerified ? { wasVerified: (headers: http.IncomingMessage['headers']) => stages.wasVerified?.(headers) ?? false } : {}),
            onBlocked: (client, retryAfterSeconds) =>
              log.warn({ event: 'auth_failures_blocked', client, retryAfterSeconds }, `client ${client} spent its failed-authentication budget: refused without verifying for ${retryAfterSeconds} s`),
          })
        : { authenticate: (_origin, authenticate) => authenticate(), admit: async () => undefined, admitPrepared: async () => undefined },
      trust: createTrustedOperations({
        mode: config.operations?.mode ?? 'any',
        manifest: config.operations?.manifest ?? { format: 'apollo-persisted-query-manifest', version: 1, operations: [] },
        parse: (source) => checkOperationLimits(source, config.limits),
      }),
      prepare: createOperationPreparer({
        schema,
        checkLimits: (source) => checkOperationLimits(source, config.limits),
        // Depth and aliases are measured by checkOperationLimits, on the operation as it will be planned.
        rules: config.introspection ? [] : [noIntrospectionRule],
        documents,
      }),
      policy: () => stages.policy(),
      authorize: (prepared, profile, facts) =>
        enforcement.authorize({ schema, document: prepared.document, operationName: prepared.operationName, queryHash: prepared.queryHash, profile, facts }),
      execute: createOperationExecutor(executor, schema, introspection, config.maxConcurrentExecutions, config.maxQueuedExecutions),
      release: createResponseRelease(enforcement, introspection, schema),
      deliver,
      refuse: createRefusal({ deliver, log }),
    };
    // With tracing on (OTEL_TRACES_EXPORTER), every stage in its span under the request's; off, the stages as they are.
    const handleGraphQL = stages.tracing
      ? stages.tracing.request(createGraphQLHandler(traceStages(graphQLStages, stages.tracing)))
      : createGraphQLHandler(graphQLStages);
    return { gateway, handleGraphQL, endpoints: endpointsOf(config, supergraphSdl) };
  }
  let live = await serveSupergraph(config.supergraphSdl);
  const retired: ApolloGateway[] = [];

  const server = http.createServer((req, res) => {
    drain.track(req, res);
    const path = (req.url ?? '/').split('?')[0];
    const route = async (): Promise<void> => {
      if (path === '/graphql') {
        if (cors?.(req, res)) return;
        await live.handleGraphQL(req, res);
      } else if (path === '/healthz') {
        sendJson(res, 200, { status: 'ok' });
      } else if (path === '/readyz') {
        const { ready, status, checks, subgraphs, identityProviders, rateLimits } = await readiness();
        sendJson(res, ready ? 200 : 503, { status, checks, subgraphs, identityProviders, ...(rateLimits ? { rateLimits } : {}) });
      } else if (path === '/.well-known/jwks.json' && stages.publicKeys) {
        // Public keys only; subgraphs cache them (kit: 60 s) and fetch again on an unknown kid.
        if (req.method !== 'GET' && req.method !== 'HEAD') sendJson(res, 405, { error: 'method not allowed' }, { allow: 'GET, HEAD' });
        else sendJson(res, 200, stages.publicKeys(), { 'content-type': 'application/jwk-set+json', 'cache-control': 'public, max-age=30' });
      } else if (path === '/metrics') {
        const text = await metrics.registry.metrics();
        res.writeHead(200, { 'content-type': metrics.registry.contentType });
        res.end(text);
      } else if (stages.devGraphiQL && (await stages.devGraphiQL(req, res, path ?? '/'))) {
        return;
      } else {
        sendJson(res, 404, { error: 'not found' });
      }
    };
    route().catch((err: unknown) => {
      // Only a failure outside the stages' own refusal path lands here (building the record or
      // the metrics threw, the socket broke): no data was sent and no record written. Fail
      // closed, say nothing internal, and log it.
      log.error({ event: 'internal_failure', path, error: err instanceof Error ? `${err.name}: ${err.message}` : typeof err }, 'unhandled failure');
      if (!res.headersSent) {
        const answer = refusalAnswer(err);
        sendJson(res, answer.status, answer.body);
      } else res.destroy();
    });
  });
  const drain = createDrain(server, config.drain, (n) => metrics.inFlight.set(n));
  const { rateLimits } = stages;
  const readiness = createReadiness({
    // The supergraph served now: a swap adds and removes subgraphs.
    subgraphs: () => live.endpoints,
    ...(rateLimits ? { rateLimitStore: async () => ({ store: rateLimits.store, state: await rateLimits.storeState() }) } : {}),
    // Loaded above, or the gateway would not have got here; named so the body says what was checked.
    checks: { supergraph: async () => true, ...stages.readinessChecks },
    ...(stages.identityProviders ? { identityProviders: stages.identityProviders } : {}),
    draining: () => drain.draining,
    metrics,
  });
  metrics.beforeCollect(async () => {
    await readiness();
  });
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;

  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', (err: NodeJS.ErrnoException) => {
        if (err.code === 'EADDRINUSE') {
          const e = new Error(`port ${config.port} is already in use (gateway); set PACTUM_GATEWAY_PORT to use another`) as NodeJS.ErrnoException;
          e.code = 'EADDRINUSE';
          reject(e);
        } else reject(err);
      });
      server.listen(config.port, config.host, () => resolve());
    });
  } catch (err) {
    await live.gateway.stop();
    await Promise.all(dataSources.map((d) => d.close()));
    throw err;
  }
  const port = (server.address() as AddressInfo).port;

  return {
    url: `http://${config.host}:${port}/graphql`,
    port,
    metrics,
    drain(options) {
      metrics.draining.set(1);
      return drain.drain(options);
    },
    inFlight: () => drain.inFlight,
    async swapSupergraph(supergraphSdl) {
      const next = await serveSupergraph(supergraphSdl);
      retired.push(live.gateway);
      live = next;
    },
    async stop() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      });
      // Swapped-out gateways are stopped only here: a request that started on one may still use it.
      await Promise.all([live.gateway, ...retired].map((g) => g.stop()));
      await Promise.all(dataSources.map((d) => d.close()));
    },
  };
}
