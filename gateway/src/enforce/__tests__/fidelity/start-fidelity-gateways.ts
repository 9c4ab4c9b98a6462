/**
 * One fixture suite on loopback: its subgraphs (real Apollo subgraph servers), the supergraph
 * composed from them, and two real @apollo/gateway instances over the same subgraphs — one
 * bare, one with Pactum's enforcing executor around its executor (the way the server wires it)
 * and a grant-all policy loaded by the real loader.
 */
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import type { GatewayExecutor, GatewayGraphQLRequestContext, GatewayInterface, GatewayLoadResult } from '@apollo/server-gateway-interface';
import { composeServices } from '@apollo/composition';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { getVariableValues, parse } from 'graphql';
import type { Principal } from '../../../auth/principal';
import type { CompiledPolicy } from '../../../policy/types';
import { createEnforcement } from '../../create-enforcement';
import { installFastShaping, shapeQuickly } from '../../../server/shape-response';
import { FIDELITY_PURPOSE, loadGrantAllPolicy } from './grant-all-policy';
import { READER_AGENCY, type FidelityQuery, type FidelitySuite } from './fidelity-suite';

/** A response as a client receives it (serialised and parsed back). */
export interface ClientBody {
  data?: Record<string, unknown> | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[];
}

/** Both gateways of one suite. */
export interface FidelityGateways {
  readonly supergraphSdl: string;
  /** Operations each subgraph received (both gateways), newest last. */
  readonly received: ReadonlyMap<string, string[]>;
  bare(q: FidelityQuery): Promise<ClientBody>;
  pactum(q: FidelityQuery): Promise<ClientBody>;
  stop(): Promise<void>;
}

const reader: Principal = {
  subject: 'reader@fidelity',
  agency: READER_AGENCY,
  issuer: 'https://idp.reader.example',
  roles: new Set(['analyst']),
  clearance: 'CONFIDENTIAL',
  purposes: new Set([FIDELITY_PURPOSE]),
  cases: new Set(),
};

async function execute(server: ApolloServer, q: FidelityQuery): Promise<ClientBody> {
  const res = await server.executeOperation({
    query: q.query,
    ...(q.variables ? { variables: { ...q.variables } } : {}),
    ...(q.operationName ? { operationName: q.operationName } : {}),
  });
  if (res.body.kind !== 'single') throw new Error('incremental response');
  return JSON.parse(JSON.stringify(res.body.singleResult)) as ClientBody;
}

/**
 * The gateway's executor behind Pactum's two enforcement stages, for the fidelity reader: the
 * operation rewritten for the reader's profile, the rewrite executed under its own hash, the
 * result released. The same sequence the server's execute stage runs.
 */
function enforcingExecutor(inner: GatewayExecutor, policy: CompiledPolicy): GatewayExecutor {
  const enforcement = createEnforcement();
  // The server's response shaping (server/shape-response.ts), so the bare gateway beside it —
  // which keeps @apollo/gateway's own — checks it too.
  if (!installFastShaping()) throw new Error('fast response shaping could not be installed');
  return async (rc: GatewayGraphQLRequestContext) => {
    const profile = policy.profileFor(reader, { code: FIDELITY_PURPOSE }, new Date());
    const authorization = enforcement.authorize({
      schema: rc.schema,
      document: rc.document,
      operationName: rc.request.operationName ?? rc.operationName ?? null,
      queryHash: rc.queryHash,
      profile,
      facts: policy.facts,
    });
    const { rewrite } = authorization;
    if (rewrite.operation) shapeQuickly(rewrite.operation);
    const output =
      rewrite.document && rewrite.operation && rewrite.source && rewrite.hash
        ? await inner({
            ...rc,
            request: { ...rc.request, query: rewrite.source },
            document: rewrite.document,
            operation: rewrite.operation,
            source: rewrite.source,
            queryHash: rewrite.hash,
          })
        : { data: {} };
    const definitions = rc.operation.variableDefinitions ?? [];
    const { coerced } = getVariableValues(rc.schema, definitions, rc.request.variables ?? {});
    const released = enforcement.release(output, authorization, coerced ?? rc.request.variables ?? {});
    return {
      data: released.data,
      ...(released.errors.length > 0 ? { errors: released.errors } : {}),
      ...(released.extensions ? { extensions: released.extensions } : {}),
    };
  };
}

/** Starts `suite`; `policyFor` replaces the grant-all policy (for split-equivalence checks). */
export async function startFidelityGateways(
  suite: FidelitySuite,
  policyFor: (supergraphSdl: string) => CompiledPolicy = (sdl) => loadGrantAllPolicy(sdl, suite.subgraphs),
): Promise<FidelityGateways> {
  const received = new Map<string, string[]>();
  const subgraphServers = await Promise.all(
    suite.subgraphs.map(async (s) => {
      const log: string[] = [];
      received.set(s.name, log);
      const server = new ApolloServer({
        schema: buildSubgraphSchema({ typeDefs: parse(s.sdl), resolvers: s.resolvers as never }),
        plugins: [
          {
            async requestDidStart(rc) {
              if (rc.request.query && !rc.request.query.includes('_service')) log.push(rc.request.query);
            },
          },
        ],
      });
      const { url } = await startStandaloneServer(server, { listen: { port: 0, host: '127.0.0.1' } });
      return { name: s.name, url, server };
    }),
  );
  const composed = composeServices(subgraphServers.map((s, i) => ({ name: s.name, url: s.url, typeDefs: parse(suite.subgraphs[i]?.sdl ?? '') })));
  if (composed.errors) {
    await Promise.all(subgraphServers.map((s) => s.server.stop()));
    throw new Error(`${suite.name}: composition failed: ${composed.errors.map((e) => e.message).join('; ')}`);
  }
  const supergraphSdl = composed.supergraphSdl;
  const policy = policyFor(supergraphSdl);

  const bareServer = new ApolloServer({ gateway: new ApolloGateway({ supergraphSdl }) });
  const inner = new ApolloGateway({ supergraphSdl });
  const enforced: GatewayInterface = {
    async load(options): Promise<GatewayLoadResult> {
      const loaded = (await inner.load(options as never)) as unknown as GatewayLoadResult;
      if (!loaded.executor) throw new Error('gateway without executor');
      return { executor: enforcingExecutor(loaded.executor, policy) };
    },
    onSchemaLoadOrUpdate: (cb) => inner.onSchemaLoadOrUpdate(cb),
    stop: () => inner.stop(),
  };
  const pactumServer = new ApolloServer({ gateway: enforced });
  await Promise.all([bareServer.start(), pactumServer.start()]);
  return {
    supergraphSdl,
    received,
    bare: (q) => execute(bareServer, q),
    pactum: (q) => execute(pactumServer, q),
    async stop() {
      await Promise.all([bareServer.stop(), pactumServer.stop()]);
      await Promise.all(subgraphServers.map((s) => s.server.stop()));
    },
  };
}
