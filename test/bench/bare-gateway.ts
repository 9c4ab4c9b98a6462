/**
 * The reference the bench measures Pactum against: plain `@apollo/gateway` on the same
 * supergraph, served by `@apollo/server`'s standalone server, with no authentication, no
 * policy and no audit. Its only concession to this system is the context token the subgraphs
 * demand: signed off the request path (every 15 s, 60 s lifetime, `context-tokens.ts`) and
 * attached in `willSendRequest`. It keeps RemoteGraphQLDataSource's default fetcher on purpose:
 * that IS what a team running stock @apollo/gateway gets.
 *
 * Run: `node --import tsx test/bench/bare-gateway.ts` with the gateway's environment
 * (`PACTUM_GATEWAY_PORT`, `PACTUM_<NAME>_URL`, `PACTUM_STATE_DIR` for the key); prints
 * `bare gateway ready at <url>` once it serves.
 */
import { ApolloGateway, RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { loadGatewayConfig } from '../../gateway/src/config/gateway-config';
import { ContextTokens } from './context-tokens';

/** A stock data source that only adds the context token. */
class TokenDataSource extends RemoteGraphQLDataSource {
  constructor(
    private readonly subgraph: string,
    url: string,
    private readonly tokens: ContextTokens,
  ) {
    super({ url });
  }

  override willSendRequest({ request }: GraphQLDataSourceProcessOptions): void {
    // The subgraphs read the gateway's context token from `authorization` (see gateway/src/auth/context-token-signer.ts).
    request.http?.headers.set('authorization', `Bearer ${this.tokens.get(this.subgraph)}`);
  }
}

async function main(): Promise<void> {
  const config = loadGatewayConfig();
  const tokens = ContextTokens.forStateDir(config.stateDir, config.subgraphs.map((s) => s.name));
  await tokens.start();
  const urls = new Map(config.subgraphs.map((s) => [s.name, s.url]));

  // Like Pactum's gateway: no usage reports to Apollo, no cloud metadata probes (docs/operating.md).
  process.env.APOLLO_TELEMETRY_DISABLED = 'true';
  const gateway = new ApolloGateway({
    supergraphSdl: config.supergraphSdl,
    buildService: ({ name }) => {
      const url = urls.get(name);
      if (!url) throw new Error(`no URL configured for subgraph ${name}`);
      return new TokenDataSource(name, url, tokens);
    },
  });
  const server = new ApolloServer({ gateway });
  const { url } = await startStandaloneServer(server, { listen: { host: config.host, port: config.port } });
  process.stdout.write(`bare gateway ready at ${url}\n`);

  const stop = (): void => {
    tokens.stop();
    server.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((err: unknown) => {
  process.stderr.write(`bare gateway: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
