/**
 * The context tokens the subgraphs demand, for every gateway the bench runs that is not Pactum:
 * bare @apollo/gateway, Hive Gateway (in their own processes) and Grafbase's gateway (whose
 * tokens the bench itself holds, see `peer-variants.ts`). One token per subgraph, for
 * one fixed caller, re-signed every 15 s off the request path; a token lives 60 s, so whatever
 * is read from here has at least 45 s left. Shared so every non-Pactum gateway vouches for the
 * same caller the same way.
 */
import path from 'node:path';
import { createContextTokenSigner, ensureGatewayKeys, type ContextTokenSigner, type Principal } from '../../gateway/src/auth';

/** How often the tokens are re-signed (they live 60 s). */
export const RESIGN_EVERY_MS = 15_000;
/** Least lifetime a token read from {@link ContextTokens.get} has left, in seconds. */
export const LEAST_TOKEN_LIFETIME_LEFT_SEC = 45;

/** The fixed caller a gateway without principals of its own vouches for. */
export const BENCH_PEER_PRINCIPAL: Principal = {
  subject: 'bench-bare-gateway',
  agency: 'NL-POLICE',
  issuer: 'bench',
  roles: new Set(['investigator']),
  clearance: 'SECRET',
  purposes: new Set(['drug-trafficking']),
  cases: new Set<string>(),
};

/** Keeps one fresh context token per subgraph, re-signed on a timer. */
export class ContextTokens {
  private readonly tokens = new Map<string, string>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly signer: ContextTokenSigner,
    private readonly subgraphs: readonly string[],
    private readonly onError: (err: unknown) => void = (err) => process.stderr.write(`context tokens: re-signing failed: ${String(err)}\n`),
  ) {}

  /** Over the gateway key in `<stateDir>/keys` (the one the subgraphs trust). */
  static forStateDir(stateDir: string, subgraphs: readonly string[]): ContextTokens {
    const keys = ensureGatewayKeys(path.join(stateDir, 'keys'));
    // memoSize 0: no reuse, so each round signs a new token.
    return new ContextTokens(createContextTokenSigner({ privateKey: keys.privateKey, kid: keys.kid, memoSize: 0 }), subgraphs);
  }

  async start(): Promise<void> {
    await this.refresh();
    this.timer = setInterval(() => {
      this.refresh().catch(this.onError);
    }, RESIGN_EVERY_MS);
    this.timer.unref();
  }

  private async refresh(): Promise<void> {
    for (const name of this.subgraphs) {
      const token = await this.signer.sign({ audience: name, principal: BENCH_PEER_PRINCIPAL, purpose: { code: 'drug-trafficking' } });
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
