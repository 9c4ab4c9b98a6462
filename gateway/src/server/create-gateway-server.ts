/**
 * Assembles the gateway: @apollo/gateway on the static supergraph (its query planner and
 * executor, nothing of Apollo Server), the stages of a request's way wired in
 * `handle-graphql-request.ts`, behind a plain node:http server with `/graphql`, `/healthz`,
 * `/readyz` and `/metrics`.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloGateway } from '@apollo/gateway';
import type { GraphQLScalarType, GraphQLSchema } from 'graphql';
import type { Authenticated } from '../auth';
import { documentCache, queryPlanCache } from '../cache';
import type { GatewayConfig } from '../config/gateway-config';
import { createEnforcement, createFilteredIntrospection } from '../enforce';
import { checkOperationLimits } from '../limits';
import type { CompiledPolicy } from '../policy';
import type { AuditSink } from './audit-event';
import { createGraphQLHandler } from './handle-graphql-request';
import { installScalarParsers } from './install-scalar-parsers';
import { createGatewayMetrics, type GatewayMetrics } from './metrics';
import { createReadiness, type ReadinessCheck } from './readiness';
import { sendJson } from './send-json';
import { createDelivery } from './stages/deliver';
import { createOperationExecutor } from './stages/execute-operation';
import { noIntrospectionRule } from './stages/no-introspection-rule';
import { createOperationPreparer } from './stages/prepare-operation';
import { createRefusal, refusalAnswer, type Log } from './stages/refuse';
import { createResponseRelease } from './stages/release-response';
import { SubgraphDataSource, type ContextTokenProvider } from './subgraph-data-source';

/** What the gateway is built from; `main.ts` wires the real parts. */
export interface GatewayStages {
  /** Who is asking and why; throws a PactumError (401 / 400 / 403) to refuse before any parsing. */
  authenticate(headers: http.IncomingMessage['headers']): Promise<Authenticated>;
  /** The policy in force; read once per request, so a reload applies from the next request on. */
  policy(): CompiledPolicy;
  /** The audit trail; `append` resolves once durable. */
  readonly audit: AuditSink;
  /** Signs the context token of each subgraph request. */
  readonly contextToken: ContextTokenProvider;
  /** Identifier scalars whose parsers the gateway applies (ContainerNumber, IMO, IBAN, UNLocode, …). */
  readonly scalars: Readonly<Record<string, GraphQLScalarType>>;
  /** Extra readiness checks (audit store, policy loaded). */
  readonly readinessChecks?: Readonly<Record<string, ReadinessCheck>>;
  /** The operator's log (one line per internal failure, with the request id); default stderr. */
  readonly log?: Log;
  /** The clock of a request's time; default the system clock. */
  readonly now?: () => Date;
}

export interface RunningGateway {
  readonly url: string;
  readonly port: number;
  readonly metrics: GatewayMetrics;
  stop(): Promise<void>;
}

/** Starts @apollo/gateway on the static supergraph: its API schema (with identifier parsers) and executor. */
async function loadGateway(config: GatewayConfig, stages: GatewayStages, dataSources: SubgraphDataSource[]) {
  const urls = new Map(config.subgraphs.map((s) => [s.name, s.url]));
  const gateway = new ApolloGateway({
    supergraphSdl: config.supergraphSdl,
    // Apollo's own caches, bounded in bytes from the heap like Pactum's (cache/apollo-caches.ts).
    queryPlannerConfig: { cache: queryPlanCache() },
    buildService: ({ name }) => {
      const url = urls.get(name);
      if (!url) throw new Error(`no URL configured for subgraph ${name}`);
      const source = new SubgraphDataSource({ name, url, contextToken: stages.contextToken, timeoutMs: config.subgraphTimeoutMs, idleMs: config.subgraphIdleMs });
      dataSources.push(source);
      return source;
    },
  });
  let schema: GraphQLSchema | undefined;
  // The supergraph is static: one schema for the gateway's life. The parsers go on the very
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
  const { gateway, executor, schema } = await loadGateway(config, stages, dataSources);
  const log: Log = stages.log ?? ((line) => process.stderr.write(`${line}\n`));

  // Validated documents, by the sha256 of their text, under the cache budget's `documents` share.
  const documents = documentCache();
  const enforcement = createEnforcement();
  const introspection = createFilteredIntrospection();
  const deliver = createDelivery({ audit: stages.audit, metrics });

  const handleGraphQL = createGraphQLHandler({
    now: stages.now ?? (() => new Date()),
    authenticate: (headers) => stages.authenticate(headers),
    limits: config.limits,
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
    execute: createOperationExecutor(executor, schema, introspection),
    release: createResponseRelease(enforcement, introspection, schema),
    deliver,
    refuse: createRefusal({ deliver, log }),
  });

  const readiness = createReadiness(config.subgraphs, stages.readinessChecks);

  const server = http.createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    const route = async (): Promise<void> => {
      if (path === '/graphql') {
        await handleGraphQL(req, res);
      } else if (path === '/healthz') {
        sendJson(res, 200, { status: 'ok' });
      } else if (path === '/readyz') {
        const report = await readiness();
        sendJson(res, report.ready ? 200 : 503, { status: report.ready ? 'ready' : 'not ready', checks: report.checks });
      } else if (path === '/metrics') {
        const text = await metrics.registry.metrics();
        res.writeHead(200, { 'content-type': metrics.registry.contentType });
        res.end(text);
      } else {
        sendJson(res, 404, { error: 'not found' });
      }
    };
    route().catch((err: unknown) => {
      // Only a failure outside the stages' own refusal path lands here (building the record or
      // the metrics threw, the socket broke): no data was sent and no record written. Fail
      // closed, say nothing internal, and log it.
      log(`unhandled failure on ${path}: ${err instanceof Error ? `${err.name}: ${err.message}` : typeof err}`);
      if (!res.headersSent) {
        const answer = refusalAnswer(err);
        sendJson(res, answer.status, answer.body);
      } else res.destroy();
    });
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
    await gateway.stop();
    await Promise.all(dataSources.map((d) => d.close()));
    throw err;
  }
  const port = (server.address() as AddressInfo).port;

  return {
    url: `http://${config.host}:${port}/graphql`,
    port,
    metrics,
    async stop() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      });
      await gateway.stop();
      await Promise.all(dataSources.map((d) => d.close()));
    },
  };
}
