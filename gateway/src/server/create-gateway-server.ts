/**
 * Assembles the gateway: @apollo/gateway on the static supergraph, wrapped by Pactum's stages,
 * behind a plain node:http server with `/graphql`, `/healthz`, `/readyz` and `/metrics`.
 *
 * A request's way: authenticate (before any parsing) → Apollo Server parse/validate/limits →
 * enforcement around the gateway executor → audit append (durable) → response.
 */
import { randomUUID } from 'node:crypto';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer, HeaderMap } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled, ApolloServerPluginUsageReportingDisabled } from '@apollo/server/plugin/disabled';
import type { GraphQLScalarType } from 'graphql';
import type { DeclaredPurpose, Principal } from '../auth/principal';
import type { GatewayConfig } from '../config/gateway-config';
import type { GatewayContextValue, PactumRequestContext } from '../context';
import { BadUserInputError, InternalError, PactumError } from '../errors';
import { filteredIntrospectionPlugin } from '../enforce';
import type { AccessProfile } from '../policy/types';
import { aliasLimitRule, depthLimitRule } from '../limits';
import { pactumApolloPlugin } from './apollo-plugin';
import { newAuditId } from '../audit';
import { outcomeOf, refusalEvent, responseEvent, type AuditSink, type GatewayAuditEvent } from './audit-event';
import { formatError } from './format-error';
import { createGatewayMetrics, type GatewayMetrics } from './metrics';
import { PactumGateway, type ExecutorStage } from './pactum-gateway';
import { createReadiness, type ReadinessCheck } from './readiness';
import { readBody } from './read-body';
import { SubgraphDataSource, type ContextTokenProvider } from './subgraph-data-source';

/** The pluggable stages of the pipeline; `main.ts` wires the real ones. */
export interface GatewayStages {
  /** Who is asking and why; throws a PactumError (401/400) to refuse before any parsing. */
  authenticate(headers: IncomingMessage['headers']): Promise<{ principal: Principal; purpose: DeclaredPurpose }>;
  /** Need-to-know around the gateway executor (rewrite, execute, post-process). */
  readonly enforce: ExecutorStage;
  /** The audit trail; `append` resolves once durable. */
  readonly audit: AuditSink;
  /** Signs the context token of each subgraph request. */
  readonly contextToken: ContextTokenProvider;
  /** Identifier scalars whose parsers the gateway applies (ContainerNumber, IMO, IBAN, UNLocode, …). */
  readonly scalars: Readonly<Record<string, GraphQLScalarType>>;
  /**
   * The principal's access profile, used to filter introspection (`__schema`/`__type`) to what it
   * may query. Without it, introspection (when enabled) shows empty roots only.
   */
  readonly accessProfile?: (pactum: PactumRequestContext) => AccessProfile;
  /** Extra readiness checks (audit store, policy loaded). */
  readonly readinessChecks?: Readonly<Record<string, ReadinessCheck>>;
}

export interface RunningGateway {
  readonly url: string;
  readonly port: number;
  readonly metrics: GatewayMetrics;
  stop(): Promise<void>;
}

const JSON_HEADERS = { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' };

function sendJson(res: ServerResponse, status: number, body: unknown, extra: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { ...JSON_HEADERS, 'content-length': Buffer.byteLength(text), ...extra });
  res.end(text);
}

function errorBody(code: string, reason: string, message: string, auditId?: string): unknown {
  return {
    errors: [{ message, extensions: { code, reason } }],
    ...(auditId ? { extensions: { auditId } } : {}),
  };
}

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,64}$/;

export async function createGatewayServer(
  config: GatewayConfig,
  stages: GatewayStages,
  metrics: GatewayMetrics = createGatewayMetrics(),
): Promise<RunningGateway> {
  const dataSources: SubgraphDataSource[] = [];
  const urls = new Map(config.subgraphs.map((s) => [s.name, s.url]));
  const gateway = new ApolloGateway({
    supergraphSdl: config.supergraphSdl,
    buildService: ({ name }) => {
      const url = urls.get(name);
      if (!url) throw new Error(`no URL configured for subgraph ${name}`);
      const source = new SubgraphDataSource({
        name,
        url,
        contextToken: stages.contextToken,
        timeoutMs: config.subgraphTimeoutMs,
        idleMs: config.subgraphIdleMs,
      });
      dataSources.push(source);
      return source;
    },
  });

  const apollo = new ApolloServer<GatewayContextValue>({
    gateway: new PactumGateway(gateway, stages.enforce, stages.scalars),
    introspection: config.introspection,
    hideSchemaDetailsFromClientErrors: true,
    includeStacktraceInErrorResponses: false,
    formatError,
    validationRules: [depthLimitRule(config.limits.maxDepth), aliasLimitRule(config.limits.maxAliases)],
    plugins: [
      pactumApolloPlugin(),
      filteredIntrospectionPlugin(stages.accessProfile ? { profileFor: stages.accessProfile } : {}),
      ApolloServerPluginUsageReportingDisabled(),
      // No HTML landing page: every answer of /graphql is a GraphQL response with its audit id.
      ApolloServerPluginLandingPageDisabled(),
    ],
  });
  await apollo.start();

  const readiness = createReadiness(config.subgraphs, stages.readinessChecks);

  /** Appends the record; on failure the client gets 503 AUDIT_UNAVAILABLE and nothing else. */
  async function audited(res: ServerResponse, event: GatewayAuditEvent): Promise<boolean> {
    const end = metrics.auditAppend.startTimer();
    try {
      await stages.audit.append(event);
      end();
      return true;
    } catch {
      end();
      metrics.requests.inc({ outcome: 'audit_unavailable' });
      sendJson(res, 503, errorBody('AUDIT_UNAVAILABLE', 'audit_store_unavailable', 'audit trail unavailable; no data released', event.id), {
        'retry-after': '1',
      });
      return false;
    }
  }

  async function handleGraphQL(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const timer = metrics.duration.startTimer();
    const receivedAt = new Date();
    const headerId = req.headers['x-request-id'];
    const requestId = typeof headerId === 'string' && REQUEST_ID.test(headerId) ? headerId : randomUUID();
    const auditId = newAuditId(receivedAt);
    const ids = { auditId, requestId, receivedAt };

    let identity: { principal: Principal; purpose: DeclaredPurpose };
    let body: string;
    try {
      identity = await stages.authenticate(req.headers);
    } catch (err) {
      // An unexpected failure is refused and audited like any other: closed, and on the record.
      const error = err instanceof PactumError ? err : new InternalError('internal', 'internal error');
      req.resume();
      if (!(await audited(res, refusalEvent(ids, error)))) return;
      metrics.requests.inc({ outcome: 'refused' });
      timer({ outcome: 'refused' });
      sendJson(res, error.httpStatus, errorBody(error.code, error.reason, error.message, auditId), error.httpStatus === 401 ? { 'www-authenticate': 'Bearer' } : {});
      return;
    }
    try {
      body = req.method === 'POST' ? await readBody(req, config.limits.maxBodyBytes) : '';
    } catch (err) {
      const error = err instanceof PactumError ? err : new InternalError('internal', 'internal error');
      if (!(await audited(res, refusalEvent(ids, error, identity)))) return;
      metrics.requests.inc({ outcome: 'refused' });
      sendJson(res, error.httpStatus, errorBody(error.code, error.reason, error.message, auditId));
      return;
    }
    let parsedBody: unknown;
    if (req.method === 'POST') {
      try {
        parsedBody = JSON.parse(body);
      } catch {
        const event = refusalEvent(ids, new BadUserInputError('malformed_json', 'request body is not valid JSON'), identity);
        if (!(await audited(res, event))) return;
        metrics.requests.inc({ outcome: 'refused' });
        sendJson(res, 400, errorBody('BAD_REQUEST', 'malformed_json', 'request body is not valid JSON', auditId));
        return;
      }
    }

    const pactum: PactumRequestContext = { requestId, auditId, receivedAt, principal: identity.principal, purpose: identity.purpose };
    const headers = new HeaderMap();
    for (const [key, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
    }
    const url = new URL(req.url ?? '/', 'http://gateway');
    const result = await apollo.executeHTTPGraphQLRequest({
      httpGraphQLRequest: { method: req.method ?? 'GET', headers, search: url.search, body: parsedBody },
      context: async () => ({ pactum }),
    });
    if (result.body.kind !== 'complete') {
      // Incremental delivery would release data before its audit record: never offered.
      const refusal = new BadUserInputError('incremental_delivery', 'incremental delivery is not supported');
      if (!(await audited(res, refusalEvent(ids, refusal, identity)))) return;
      sendJson(res, 400, errorBody('BAD_REQUEST', 'incremental_delivery', 'incremental delivery is not supported', auditId));
      return;
    }
    const status = result.status ?? 200;
    // Apollo Server answers some requests (no query, CSRF-blocked, batched) before its request
    // pipeline, so no plugin hook ran: stamp the audit id on those error responses here.
    const text = pactum.result ? result.body.string : withAuditId(result.body.string, auditId);
    const outcome = outcomeOf(pactum, status, pactum.result?.hasData ?? false, pactum.result?.errorCodes ?? []);
    if (!(await audited(res, responseEvent(pactum, status, outcome)))) return;
    for (const d of pactum.enforcement?.fieldDenials ?? []) metrics.denials.inc({ reason: d.reason });
    for (const d of pactum.enforcement?.rowDenials ?? []) metrics.denials.inc({ reason: d.reason });
    metrics.requests.inc({ outcome });
    timer({ outcome });
    const outHeaders: Record<string, string> = { 'cache-control': 'no-store', 'x-request-id': requestId };
    for (const [k, v] of result.headers) outHeaders[k] = v;
    outHeaders['content-length'] = String(Buffer.byteLength(text));
    res.writeHead(status, outHeaders);
    res.end(text);
  }

  /** Adds `extensions.auditId` to a JSON GraphQL error body Apollo Server wrote itself. */
  function withAuditId(text: string, auditId: string): string {
    try {
      const parsed = JSON.parse(text) as { extensions?: Record<string, unknown> } | null;
      if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return text;
      parsed.extensions = { ...parsed.extensions, auditId };
      return JSON.stringify(parsed);
    } catch {
      return text;
    }
  }

  const server = http.createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    const route = async (): Promise<void> => {
      if (path === '/graphql') {
        if (req.method !== 'POST' && req.method !== 'GET') {
          sendJson(res, 405, errorBody('BAD_REQUEST', 'method_not_allowed', 'use POST (or GET for queries)'), { allow: 'GET, POST' });
          return;
        }
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
    route().catch(() => {
      // Fail closed and say nothing internal.
      if (!res.headersSent) sendJson(res, 500, errorBody('INTERNAL_SERVER_ERROR', 'internal', 'internal error'));
      else res.destroy();
    });
  });
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;

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
      await apollo.stop();
      await Promise.all(dataSources.map((d) => d.close()));
    },
  };
}
