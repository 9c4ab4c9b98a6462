/**
 * The reference the bench measures Pactum against: plain `@apollo/gateway` on the same
 * supergraph, served by `@apollo/server`'s standalone server, with no authentication, no
 * policy and no audit. Its only concession to this system is the context token the subgraphs
 * demand: signed off the request path (every 15 s, 60 s lifetime) and attached in
 * `willSendRequest`. It keeps RemoteGraphQLDataSource's default fetcher on purpose: that IS
 * what a team running stock @apollo/gateway gets.
 *
 * Run: `node --import tsx test/bench/bare-gateway.ts` with the gateway's environment
 * (`PACTUM_GATEWAY_PORT`, `PACTUM_<NAME>_URL`, `PACTUM_STATE_DIR` for the key); prints
 * `bare gateway ready at <url>` once it serves.
 */
import path from 'node:path';
import { ApolloGateway, RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { createContextTokenSigner, ensureGatewayKeys, type ContextTokenSigner } from '../../gateway/src/auth';
import { loadGatewayConfig } from '../../gateway/src/config/gateway-config';

/** How often the bare gateway re-signs its context tokens (they live 60 s). */
const RESIGN_EVERY_MS = 15_000;

/** The fixed caller the bare gateway vouches for: it has no principals of its own. */
const BARE_PRINCIPAL = {
  subject: 'bench-bare-gateway',
  agency: 'NL-POLICE',
  issuer: 'bench',
  roles: new Set(['investigator']),
  clearance: 'SECRET',
  purposes: new Set(['drug-trafficking']),
  cases: new Set<string>(),
};

/** Keeps one fresh context token per subgraph, re-signed on a timer. */
class ContextTokens {
  private readonly tokens = new Map<string, string>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly signer: ContextTokenSigner,
    private readonly subgraphs: readonly string[],
  ) {}

  async start(): Promise<void> {
    await this.refresh();
    this.timer = setInterval(() => {
      this.refresh().catch((err: unknown) => process.stderr.write(`bare gateway: re-signing failed: ${String(err)}\n`));
    }, RESIGN_EVERY_MS);
    this.timer.unref();
  }

  private async refresh(): Promise<void> {
    for (const name of this.subgraphs) {
      // The signer is built without reuse (memoSize 0), so each round signs a new token.
      const token = await this.signer.sign({ audience: name, principal: BARE_PRINCIPAL, purpose: { code: 'drug-trafficking' } });
      this.tokens.set(name, token);
    }
  }

  get(name: string): string {
    const token = this.tokens.get(name);
    if (!token) throw new Error(`no context token for subgraph ${name}`);
    return token;
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }
}

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
  const keys = ensureGatewayKeys(path.join(config.stateDir, 'keys'));
  const signer = createContextTokenSigner({ privateKey: keys.privateKey, kid: keys.kid, memoSize: 0 });
  const tokens = new ContextTokens(signer, config.subgraphs.map((s) => s.name));
  await tokens.start();
  const urls = new Map(config.subgraphs.map((s) => [s.name, s.url]));

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
