import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { createContextTokenVerifier } from '../auth/verify-context-token';
import { gatewayKeysFromEnv } from '../auth/load-gateway-public-key';
import { startTracingFromEnv, type Tracing } from '../tracing';
import type { AuthenticateHook, RunningSubgraph } from './types';

/** Defaults of a subgraph process, see {@link runSubgraphMain}. */
export interface SubgraphMainDefaults {
  /** Subgraph name, e.g. `police`: names the data file `<name>.sqlite` and the log line. */
  name: string;
  /** Default port, e.g. 4001. */
  port: number;
  /** Environment prefix, e.g. `POLICE` or `PACTUM_POLICE`: the port is read from `PACTUM_POLICE_PORT`. */
  envPrefix: string;
}

/** What {@link runSubgraphMain} resolved from the environment. */
export interface SubgraphMainSettings {
  port: number;
  /** `PACTUM_HOST` when set (a container listens on 0.0.0.0); else the server's default, 127.0.0.1. */
  host?: string;
  dbFile: string;
  /**
   * Verifies the gateway's context token on every request. Always set: a subgraph process
   * answers no one but the gateway, so without the gateway's public key it does not start.
   */
  authenticate: AuthenticateHook;
}

/** Walks up from `start` to the folder whose package.json declares npm workspaces. */
export function findRepoRoot(start: string = __dirname): string {
  let dir = resolve(start);
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) {
      try {
        if ('workspaces' in (JSON.parse(readFileSync(manifest, 'utf8')) as object)) return dir;
      } catch {
        // an unreadable package.json is not the root; keep walking
      }
    }
    const parent = dirname(dir);
    if (parent === dir) return process.cwd();
    dir = parent;
  }
}

/**
 * Reads a subgraph's settings from the environment: port from `PACTUM_<NAME>_PORT`, else
 * `PORT`, else the default (empty variables count as unset); data file `PACTUM_<NAME>_DB_FILE`, else
 * `<PACTUM_DATA_DIR or <repo>/.pactum/data>/<name>.sqlite`.
 *
 * The gateway's keys come from `PACTUM_GATEWAY_JWKS_URL`, `PACTUM_GATEWAY_JWKS_FILE` or
 * `PACTUM_GATEWAY_PUBLIC_KEY_FILE` (see `gatewayKeysFromEnv`).
 *
 * @throws Error naming the variable when a port is not an integer 1-65535, or the gateway key is missing.
 */
export function subgraphMainSettings(defaults: SubgraphMainDefaults, env: NodeJS.ProcessEnv = process.env): SubgraphMainSettings {
  const prefix = (defaults.envPrefix.toUpperCase().startsWith('PACTUM_') ? defaults.envPrefix : `PACTUM_${defaults.envPrefix}`).toUpperCase();
  // An empty variable counts as unset (`PORT= npm start` is a common way to clear one).
  const portVar = env[`${prefix}_PORT`] ? `${prefix}_PORT` : env['PORT'] ? 'PORT' : undefined;
  let port = defaults.port;
  if (portVar) {
    const text = env[portVar] ?? '';
    port = Number(text);
    if (!/^[0-9]{1,5}$/.test(text) || port < 1 || port > 65535) {
      throw new Error(`${portVar}=${JSON.stringify(text.slice(0, 20))} is not a port number (1-65535)`);
    }
  }
  const dataDir = env['PACTUM_DATA_DIR'] || join(findRepoRoot(), '.pactum', 'data');
  const dbFile = env[`${prefix}_DB_FILE`] || join(dataDir, `${defaults.name}.sqlite`);
  const authenticate = createContextTokenVerifier({ ...gatewayKeysFromEnv(env), audience: defaults.name });
  const host = env['PACTUM_HOST'] || undefined;
  return { port, dbFile, authenticate, ...(host !== undefined ? { host } : {}) };
}

/**
 * The body of every subgraph's `src/main.ts`: resolves port and data file from the
 * environment, starts the subgraph, prints `subgraph <name> ready at <url>`, and on
 * SIGTERM / SIGINT stops it (draining requests, closing the store) and exits 0.
 * A taken port or any start-up failure prints one line and exits 1.
 */
export async function runSubgraphMain(
  factory: (opts: SubgraphMainSettings) => Promise<RunningSubgraph>,
  defaults: SubgraphMainDefaults,
): Promise<void> {
  let running: RunningSubgraph | undefined;
  let tracing: Tracing | undefined;
  let stopSignal: NodeJS.Signals | undefined;

  const shutdown = (signal: NodeJS.Signals) => {
    if (stopSignal) return;
    stopSignal = signal;
    // Still starting: the stop happens as soon as the factory returns (below).
    if (running) stopAndExit(running, signal);
  };
  const stopAndExit = (subgraph: RunningSubgraph, signal: NodeJS.Signals) => {
    // A stuck drain must not keep the process alive forever; the store is WAL, so a
    // forced exit after this budget still leaves a consistent file.
    const force = setTimeout(() => {
      console.error(`subgraph ${defaults.name}: stop took too long after ${signal}, exiting`);
      process.exit(1);
    }, 15_000);
    force.unref();
    // Spans still buffered are flushed before the exit (bounded by the force timer above).
    subgraph.stop().then(async () => tracing?.shutdown()).then(
      () => {
        console.log(`subgraph ${defaults.name} stopped`);
        process.exit(0);
      },
      (error: unknown) => {
        console.error(`subgraph ${defaults.name}: error while stopping: ${error instanceof Error ? error.message : String(error)}`);
        process.exit(1);
      },
    );
  };
  // Handlers go in before anything is announced: a supervisor that signals right after
  // the ready line must never hit Node's default "die at once" action.
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);

  try {
    // Before the server exists, so it adds its spans (OTEL_TRACES_EXPORTER; off by default).
    tracing = startTracingFromEnv(`pactum-${defaults.name}`);
    running = await factory(subgraphMainSettings(defaults));
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    console.error(`subgraph ${defaults.name} failed to start: ${message}`);
    process.exit(1);
  }
  if (stopSignal) {
    stopAndExit(running, stopSignal);
    return;
  }
  console.log(`subgraph ${defaults.name} ready at ${running.url}`);
}
