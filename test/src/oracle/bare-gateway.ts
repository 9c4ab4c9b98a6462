/**
 * Plain `@apollo/gateway` over a test fleet's subgraphs, in this process, on a free loopback
 * port: no authentication, no policy, no audit. The need-to-know oracle asks it for the full,
 * unrestricted answer that it then prunes by the rules. Its only concession to the system is the
 * context token every subgraph demands, signed with the fleet's gateway key for the caller the
 * request names (see {@link CALLER_HEADERS}).
 * (The bench's `test/bench/bare-gateway.ts` is the same idea as a child process.)
 */
import path from 'node:path';
import { ApolloGateway, RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { createContextTokenSigner, ensureGatewayKeys, type ContextTokenSigner, type Principal } from '@pactum/gateway/src/auth';

/**
 * Who the subgraphs are told is calling: subgraphs answer some questions per calling agency (a
 * hit reference is issued to, and only resolves for, the agency that asked), so the full answer
 * must be the one the subgraphs give the case's own caller. The caller comes in request headers;
 * without them, a fixed caller.
 */
export const CALLER_HEADERS = { agency: 'x-oracle-agency', subject: 'x-oracle-subject', purpose: 'x-oracle-purpose' } as const;

interface Caller {
  readonly agency: string;
  readonly subject: string;
  readonly purpose: string;
}

const DEFAULT_CALLER: Caller = { agency: 'NL-POLICE', subject: 'oracle-bare-gateway', purpose: 'drug-trafficking' };

function principalOf(caller: Caller): Principal {
  return {
    subject: caller.subject,
    agency: caller.agency,
    issuer: 'oracle',
    roles: new Set(),
    clearance: 'UNCLASSIFIED',
    purposes: new Set([caller.purpose]),
    cases: new Set(),
  };
}

export interface BareGateway {
  readonly url: string;
  stop(): Promise<void>;
}

export interface BareGatewayOptions {
  readonly supergraphSdl: string;
  /** Subgraph URLs by subgraph name. */
  readonly subgraphUrls: Readonly<Record<string, string>>;
  /** State folder whose `keys/` hold the gateway key the subgraphs trust. */
  readonly stateDir: string;
}

class SignedDataSource extends RemoteGraphQLDataSource<{ caller?: Caller }> {
  constructor(
    private readonly subgraph: string,
    url: string,
    private readonly signer: ContextTokenSigner,
  ) {
    // Global fetch (undici): its idle sockets close after 4 s, before the subgraphs' own 5 s
    // keep-alive timeout, so an idle gap between cases never meets a socket the server closed.
    super({ url, fetcher: fetch as unknown as NonNullable<ConstructorParameters<typeof RemoteGraphQLDataSource>[0]>['fetcher'] });
  }

  override async willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<{ caller?: Caller }>): Promise<void> {
    const caller = context.caller ?? DEFAULT_CALLER;
    // The signer reuses a token for half its life, so this signs about once a minute per subgraph and caller.
    const token = await this.signer.sign({ audience: this.subgraph, principal: principalOf(caller), purpose: { code: caller.purpose } });
    request.http?.headers.set('authorization', `Bearer ${token}`);
  }
}

/** Starts the bare gateway; resolves once it serves. */
export async function startBareGateway(options: BareGatewayOptions): Promise<BareGateway> {
  const keys = ensureGatewayKeys(path.join(options.stateDir, 'keys'));
  const signer = createContextTokenSigner({ privateKey: keys.privateKey, kid: keys.kid });
  // Like Pactum's gateway: no usage reports to Apollo, no cloud metadata probes (docs/operating.md).
  process.env.APOLLO_TELEMETRY_DISABLED = 'true';
  const gateway = new ApolloGateway({
    supergraphSdl: options.supergraphSdl,
    buildService: ({ name }) => {
      const url = options.subgraphUrls[name];
      if (!url) throw new Error(`no URL for subgraph ${name}`);
      return new SignedDataSource(name, url, signer);
    },
  });
  const server = new ApolloServer<{ caller?: Caller }>({ gateway });
  const { url } = await startStandaloneServer(server, {
    listen: { host: '127.0.0.1', port: 0 },
    context: async ({ req }) => {
      const header = (name: string): string | undefined => {
        const v = req.headers[name];
        return typeof v === 'string' && v !== '' ? v : undefined;
      };
      const agency = header(CALLER_HEADERS.agency);
      const subject = header(CALLER_HEADERS.subject);
      const purpose = header(CALLER_HEADERS.purpose);
      return agency && subject && purpose ? { caller: { agency, subject, purpose } } : {};
    },
  });
  return { url, stop: () => server.stop() };
}
