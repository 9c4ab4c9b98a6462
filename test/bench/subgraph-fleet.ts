/**
 * The registry's agency subgraphs (`subgraphs/subgraphs.yaml`), started once per bench run as child processes on free loopback
 * ports, with their SQLite files in a scratch folder (seeded on first start) and the gateway's
 * public key so they accept the context tokens of every gateway variant.
 */
import { loadSubgraphRegistry } from '@pactum/schema';
import { startChildService, type ChildService } from './child-service';
import { freePort } from '../src/free-port';

/** The registered subgraphs (name, process), read once. */
function registered(): { name: string; mainModule: string }[] {
  return loadSubgraphRegistry().subgraphs.map(({ name, mainModule }) => ({ name, mainModule }));
}

export interface SubgraphFleet {
  /** GraphQL endpoint of each subgraph. */
  readonly urls: Readonly<Record<string, string>>;
  readonly services: readonly ChildService[];
  stop(): Promise<void>;
}

export interface SubgraphFleetOptions {
  /** Folder for the subgraphs' SQLite files. */
  readonly dataDir: string;
  /** The gateway's public JWK file (`PACTUM_GATEWAY_PUBLIC_KEY_FILE`). */
  readonly publicKeyFile: string;
  readonly timeoutMs?: number;
  /** Ports chosen beforehand (see {@link allocateSubgraphPorts}), so gateways can be started alongside. */
  readonly ports?: Readonly<Record<string, number>>;
}

/** A free port per subgraph, chosen before anything starts. */
export async function allocateSubgraphPorts(): Promise<Record<string, number>> {
  const ports: Record<string, number> = {};
  for (const { name } of registered()) ports[name] = await freePort();
  return ports;
}

/** The GraphQL endpoint of a subgraph on a loopback port. */
export function subgraphUrl(port: number): string {
  return `http://127.0.0.1:${port}/graphql`;
}

/** Starts them all in parallel; if one fails, the others are stopped and the error names it. */
export async function startSubgraphFleet(options: SubgraphFleetOptions): Promise<SubgraphFleet> {
  const started = await Promise.allSettled(
    registered().map(async ({ name, mainModule }) => {
      const port = options.ports?.[name] ?? (await freePort());
      const service = await startChildService({
        name,
        script: mainModule,
        env: {
          PORT: String(port),
          [`PACTUM_${name.toUpperCase()}_PORT`]: String(port),
          [`PACTUM_${name.toUpperCase()}_DB_FILE`]: '',
          PACTUM_DATA_DIR: options.dataDir,
          PACTUM_GATEWAY_PUBLIC_KEY_FILE: options.publicKeyFile,
          // As an agency runs its subgraph: without it graphql-js checks every type test it makes
          // against a second copy of itself, a tenth of a subgraph's CPU on a page of 100 rows.
          NODE_ENV: 'production',
        },
        ready: { httpGet: `http://127.0.0.1:${port}/healthz` },
        timeoutMs: options.timeoutMs ?? 120_000,
      });
      return { name, service, url: subgraphUrl(port) };
    }),
  );
  const ok = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
  const failed = started.flatMap((s) => (s.status === 'rejected' ? [s.reason as Error] : []));
  const stop = async (): Promise<void> => {
    await Promise.all(ok.map((s) => s.service.stop()));
  };
  if (failed.length > 0) {
    await stop();
    throw new Error(`subgraphs failed to start:\n${failed.map((e) => e.message).join('\n')}`);
  }
  return {
    urls: Object.fromEntries(ok.map((s) => [s.name, s.url])),
    services: ok.map((s) => s.service),
    stop,
  };
}
