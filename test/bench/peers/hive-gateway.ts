/**
 * Hive Gateway as a bench peer: `createGatewayRuntime` of `@graphql-hive/gateway` (the runtime its
 * CLI serves, here on a plain node:http server so there is one process and no worker forks) over
 * the same supergraph as every other variant, its subgraph URLs pointed at the bench's subgraphs.
 * Like bare @apollo/gateway, its only concession to this system is the context token the subgraphs
 * demand: signed off the request path every 15 s (`../context-tokens.ts`) and set on each subgraph
 * fetch by an `onFetch` plugin, picked by the fetch's URL (one per subgraph).
 *
 * `BENCH_HIVE_PLANNER=rust` plans with Hive's Rust query planner (`@graphql-hive/router-runtime`'s
 * unified graph handler) instead of the JavaScript one; `BENCH_HIVE_DEDUP=off` turns off the
 * in-flight deduplication of identical subgraph requests (on by default in Hive Gateway) through
 * the HTTP transport's `deduplicateInflightRequests`.
 *
 * Run with the Node.js the peers install brings (its dependencies want Node ≥ 22.15):
 * `<node22> --import tsx test/bench/peers/hive-gateway.ts` with the gateway's environment
 * (`PACTUM_GATEWAY_PORT`, `PACTUM_<NAME>_URL`, `PACTUM_STATE_DIR`); prints
 * `hive gateway ready at <url>` once it serves.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadGatewayConfig } from '../../../gateway/src/config/gateway-config';
import { ContextTokens } from '../context-tokens';
import { withSubgraphUrls } from './supergraph-urls';

/** The part of an `onFetch` payload this peer uses. */
interface FetchPayload {
  readonly url: string;
  readonly options: { readonly headers?: Record<string, string> | Headers | [string, string][] };
  setOptions(options: FetchPayload['options']): void;
}

/** The part of `@graphql-hive/gateway`'s API this peer uses (the module lives in the peers install, not the repository's). */
interface HiveGatewayModule {
  createGatewayRuntime(config: {
    supergraph: string;
    logging: string;
    landingPage: boolean;
    graphiql: boolean;
    transportEntries?: Record<string, { options: Record<string, unknown> }>;
    unifiedGraphHandler?: unknown;
    plugins: () => { onFetch(payload: FetchPayload): void }[];
  }): http.RequestListener & { dispose(): Promise<void> | void };
}
interface RouterRuntimeModule {
  readonly unifiedGraphHandler: unknown;
}

/** Imported by a name TypeScript does not resolve: the peers install is present only where the bench asks for a peer. */
async function peerModule<T>(specifier: string): Promise<T> {
  return (await import(specifier)) as T;
}

/** The request's headers as a plain object, whatever shape the transport gave them in. */
function plainHeaders(headers: FetchPayload['options']['headers']): Record<string, string> {
  if (headers === undefined) return {};
  if (headers instanceof Headers) return Object.fromEntries(headers.entries());
  if (Array.isArray(headers)) return Object.fromEntries(headers);
  return { ...headers };
}

function setting(name: string, allowed: readonly string[], fallback: string): string {
  const value = process.env[name] || fallback;
  if (!allowed.includes(value)) throw new Error(`${name}=${value}: must be one of ${allowed.join(', ')}`);
  return value;
}

async function main(): Promise<void> {
  const planner = setting('BENCH_HIVE_PLANNER', ['js', 'rust'], 'js');
  const dedup = setting('BENCH_HIVE_DEDUP', ['on', 'off'], 'on');
  const config = loadGatewayConfig();
  const tokens = ContextTokens.forStateDir(config.stateDir, config.subgraphs.map((s) => s.name));
  await tokens.start();
  const subgraphOfUrl = new Map(config.subgraphs.map((s) => [s.url, s.name]));

  const hive = await peerModule<HiveGatewayModule>('@graphql-hive/gateway');
  const rust = planner === 'rust' ? await peerModule<RouterRuntimeModule>('@graphql-hive/router-runtime') : undefined;
  const gateway = hive.createGatewayRuntime({
    supergraph: withSubgraphUrls(config.supergraphSdl, Object.fromEntries(config.subgraphs.map((s) => [s.name, s.url]))),
    logging: 'warn',
    landingPage: false,
    graphiql: false,
    ...(dedup === 'off' ? { transportEntries: { '*.http': { options: { deduplicateInflightRequests: false } } } } : {}),
    ...(rust ? { unifiedGraphHandler: rust.unifiedGraphHandler } : {}),
    plugins: () => [
      {
        onFetch(payload) {
          const subgraph = subgraphOfUrl.get(payload.url);
          // Only subgraph calls get a token; Hive fetches nothing else here (the supergraph is given).
          if (subgraph === undefined) return;
          // The subgraphs read the gateway's context token from `authorization` (gateway/src/auth/context-token-signer.ts).
          payload.setOptions({ ...payload.options, headers: { ...plainHeaders(payload.options.headers), authorization: `Bearer ${tokens.get(subgraph)}` } });
        },
      },
    ],
  });
  const server = http.createServer(gateway);
  await new Promise<void>((resolve) => server.listen(config.port, config.host, () => resolve()));
  const { port } = server.address() as AddressInfo;
  process.stdout.write(`hive gateway ready at http://${config.host}:${port}/graphql (planner ${planner}, dedup ${dedup}, node ${process.version})\n`);

  const stop = (): void => {
    tokens.stop();
    server.close();
    Promise.resolve(gateway.dispose()).then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((err: unknown) => {
  process.stderr.write(`hive gateway: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
