/**
 * `pactum start`: the development setup in one command. Starts the registry's subgraphs and the
 * gateway as separate processes, waits until each is ready, prints the endpoint and a request
 * to paste, and on Ctrl-C / SIGTERM stops them all before exiting: the gateway first, so it can
 * drain (finish what is in flight, which still needs the subgraphs), then the subgraphs. The
 * children run in their own process group, so a Ctrl-C reaches the supervisor only and the
 * order holds; the orphan guard still stops them if the supervisor dies.
 *
 * Children's JSON log lines are printed readably (`log/format-log-line.ts`), prefixed with the
 * child's name; anything else passes through as it came.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadSubgraphRegistry } from '@pactum/schema';
import { DRAIN_DEFAULTS, loadGatewayConfig } from '../../config/gateway-config';
import { gatewayNodeArgs, gatewayProcessEnv } from '../../config/gateway-process';
import { formatLogLine } from '../../log';
import { repoRoot } from '../../config/paths';
import { prepareDevEnvironment, exampleRequest } from './dev-environment';

/** One process the supervisor runs. */
export interface Service {
  readonly name: string;
  /** Node.js options before the script. */
  readonly nodeArgs?: readonly string[];
  /** Environment the process needs on top of the shared one (read before any JavaScript runs). */
  readonly env?: Readonly<Record<string, string>>;
  readonly script: string[];
  readonly port: number;
  readonly portVar: string;
  readonly readyPath: string;
}

function portFromEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < 1 || Number(raw) > 65535) throw new Error(`${name}=${raw}: not a port number`);
  return Number(raw);
}

/** Resolves when nothing listens on the port of 127.0.0.1; rejects with a readable message otherwise. */
function ensurePortFree(service: Service): Promise<void> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', (err: NodeJS.ErrnoException) => {
      reject(
        new Error(
          err.code === 'EADDRINUSE'
            ? `port ${service.port} is already in use (needed by ${service.name}); stop what holds it or set ${service.portVar}=<another port>`
            : `port ${service.port} (${service.name}): ${err.message}`,
        ),
      );
    });
    probe.listen(service.port, '127.0.0.1', () => probe.close(() => resolve()));
  });
}

async function waitReady(url: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`exited before it was ready`);
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(1000) });
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`not ready after ${Math.round(timeoutMs / 1000)} s (${url})`);
}

function prefixOutput(child: ChildProcess, name: string): void {
  const tag = `[${name}]`.padEnd(11);
  for (const stream of [child.stdout, child.stderr]) {
    let pending = '';
    stream?.setEncoding('utf8');
    stream?.on('data', (chunk: string) => {
      pending += chunk;
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) process.stdout.write(`${tag} ${formatLogLine(line)}\n`);
    });
  }
}

const HELP = `usage: pactum start

Starts every subgraph of subgraphs/subgraphs.yaml (on its port there) and the gateway
(port 4000) on embedded SQLite data with development identity providers. Ctrl-C stops all.

environment:
  PACTUM_GATEWAY_PORT, PACTUM_<NAME>_PORT (e.g. PACTUM_POLICE_PORT)
                        ports to use instead of the defaults
  PACTUM_STATE_DIR      where data, dev keys and the audit trail live (default .pactum/)
`;

/** What a supervised stack offers a command built on `pactum start` (`pactum dev`). */
export interface StackControl {
  /** The subgraphs being run, in registry order. */
  readonly subgraphs: readonly Service[];
  /**
   * Stops one subgraph's process and starts it again; resolves once it is ready, rejects (and
   * leaves the others running) when it does not come up.
   */
  restartSubgraph(name: string): Promise<void>;
}

/** How a command built on `pactum start` adds to it; `pactum start` itself uses none. */
export interface StartHooks {
  /** The command's name in messages (default `pactum start`). */
  readonly command?: string;
  /** Adds to the children's environment before anything starts; throws to refuse starting. */
  prepare?(env: NodeJS.ProcessEnv, stateDir: string): void;
  /** Called once everything is ready. */
  onReady?(control: StackControl): void;
  /** Called when stopping starts. */
  onStop?(): void;
}

export async function runStartCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { help: { type: 'boolean', short: 'h' } }, strict: true });
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  return superviseStack({});
}

/**
 * The supervisor behind `pactum start` and `pactum dev`: starts the registry's subgraphs, then
 * the gateway, and stops them in order.
 */
export async function superviseStack(hooks: StartHooks): Promise<number> {
  const command = hooks.command ?? 'pactum start';
  const started = Date.now();
  let subgraphs: Service[];
  try {
    // The one list of subgraphs (subgraphs/subgraphs.yaml): name, port and process of each.
    subgraphs = loadSubgraphRegistry().subgraphs.map(({ name, port, mainModule }) => {
      const portVar = `PACTUM_${name.toUpperCase()}_PORT`;
      return { name, port: portFromEnv(portVar, port), portVar, script: [mainModule], readyPath: '/healthz' };
    });
  } catch (err) {
    process.stderr.write(`${command}: ${(err as Error).message}\n`);
    return 1;
  }
  const gateway: Service = {
    name: 'gateway',
    port: portFromEnv('PACTUM_GATEWAY_PORT', 4000),
    portVar: 'PACTUM_GATEWAY_PORT',
    nodeArgs: gatewayNodeArgs(),
    env: gatewayProcessEnv(),
    script: [path.join(repoRoot(), 'gateway/src/cli/pactum.ts'), 'gateway'],
    readyPath: '/readyz',
  };
  const all = [...subgraphs, gateway];
  try {
    for (const s of all) await ensurePortFree(s);
  } catch (err) {
    process.stderr.write(`${command}: ${(err as Error).message}\n`);
    return 1;
  }

  let dev: ReturnType<typeof prepareDevEnvironment>;
  try {
    dev = prepareDevEnvironment();
  } catch (err) {
    process.stderr.write(`${command}: ${(err as Error).message}\n`);
    return 1;
  }
  const env: NodeJS.ProcessEnv = { ...process.env, ...dev.env };
  // The subgraphs' SQLite files live with the rest of the state unless told otherwise.
  env.PACTUM_DATA_DIR ??= path.join(dev.stateDir, 'data');
  // Development only: GraphiQL at / with a token helper, and the (filtered) schema it explores.
  // Never with NODE_ENV=production (the gateway refuses to start so).
  if (env.NODE_ENV !== 'production') {
    env.PACTUM_DEV_GRAPHIQL ??= '1';
    env.PACTUM_INTROSPECTION ??= '1';
  }
  for (const s of all) env[s.portVar] = String(s.port);
  try {
    hooks.prepare?.(env, dev.stateDir);
  } catch (err) {
    process.stderr.write(`${command}: ${(err as Error).message}\n`);
    return 1;
  }

  const children = new Map<string, ChildProcess>();
  /** Subgraphs being restarted on purpose: their exit is not a failure. */
  const restarting = new Set<string>();
  let stopping = false;
  let resolveExit: (code: number) => void = () => undefined;
  const exited = new Promise<number>((r) => (resolveExit = r));

  // The gateway may take its whole drain; the subgraphs stop in well under 10 s.
  let gatewayGraceMs = DRAIN_DEFAULTS.timeoutMs;
  try {
    gatewayGraceMs = loadGatewayConfig(env).drain?.timeoutMs ?? gatewayGraceMs;
  } catch {
    // A bad gateway option: the gateway itself will refuse to start and say which.
  }

  function stopOne(name: string, child: ChildProcess, graceMs: number): Promise<void> {
    return new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      const kill = setTimeout(() => {
        process.stderr.write(`${command}: ${name} did not stop within ${Math.round(graceMs / 1000)} s of SIGTERM; killed\n`);
        child.kill('SIGKILL');
      }, graceMs);
      child.once('exit', () => {
        clearTimeout(kill);
        resolve();
      });
      child.kill('SIGTERM');
    });
  }

  async function stopAll(code: number): Promise<void> {
    if (stopping) return;
    stopping = true;
    hooks.onStop?.();
    process.stdout.write('\nstopping…\n');
    const gw = children.get('gateway');
    if (gw) await stopOne('gateway', gw, gatewayGraceMs + 5_000);
    await Promise.all([...children.entries()].filter(([name]) => name !== 'gateway').map(([name, child]) => stopOne(name, child, 10_000)));
    process.stdout.write('all stopped\n');
    resolveExit(code);
  }

  function launch(service: Service): ChildProcess {
    const child = spawn(process.execPath, [...(service.nodeArgs ?? []), '--require', path.join(__dirname, '../orphan-guard.js'), '--import', 'tsx', ...service.script], {
      cwd: repoRoot(),
      env: { ...env, ...service.env, PORT: String(service.port) },
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      // Its own process group: a terminal's Ctrl-C reaches the supervisor alone, which stops the
      // children in order (the gateway's drain needs the subgraphs until it is done).
      detached: true,
    });
    prefixOutput(child, service.name);
    children.set(service.name, child);
    child.on('exit', (code, signal) => {
      if (stopping || restarting.has(service.name)) return;
      process.stderr.write(`${command}: ${service.name} exited (${signal ?? `code ${code}`}); stopping the others\n`);
      void stopAll(1);
    });
    return child;
  }

  process.once('SIGINT', () => void stopAll(0));
  process.once('SIGTERM', () => void stopAll(0));

  try {
    await Promise.all(
      subgraphs.map(async (s) => {
        const child = launch(s);
        await waitReady(`http://127.0.0.1:${s.port}${s.readyPath}`, child, 120_000).catch((err: Error) => {
          throw new Error(`${s.name}: ${err.message}`);
        });
      }),
    );
    const gw = launch(gateway);
    await waitReady(`http://127.0.0.1:${gateway.port}${gateway.readyPath}`, gw, 120_000).catch((err: Error) => {
      throw new Error(`gateway: ${err.message}`);
    });
  } catch (err) {
    if (!stopping) {
      process.stderr.write(`${command}: ${(err as Error).message}\n`);
      await stopAll(1);
    }
    return exited;
  }

  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  const endpoint = `http://localhost:${gateway.port}/graphql`;
  process.stdout.write(
    `\nPactum is ready in ${seconds} s\n\n  gateway    ${endpoint}\n` +
      (env.PACTUM_DEV_GRAPHIQL === '1' ? `  GraphiQL   http://localhost:${gateway.port}/ (development tokens from the page)\n` : '') +
      subgraphs.map((s) => `  ${s.name.padEnd(10)} http://127.0.0.1:${s.port}/graphql (gateway only)`).join('\n') +
      `\n\nTry it (a development token for NL-POLICE, valid 1 h):\n\n${await exampleRequest(endpoint, dev)}\n\nCtrl-C stops everything.\n`,
  );
  hooks.onReady?.({
    subgraphs,
    async restartSubgraph(name) {
      const service = subgraphs.find((s) => s.name === name);
      if (!service) throw new Error(`no subgraph ${name}`);
      if (stopping) return;
      restarting.add(name);
      try {
        const old = children.get(name);
        if (old) await stopOne(name, old, 10_000);
        if (stopping) return;
        const child = launch(service);
        await waitReady(`http://127.0.0.1:${service.port}${service.readyPath}`, child, 120_000);
      } catch (err) {
        throw new Error(`${name}: ${(err as Error).message}`);
      } finally {
        // A crash after a good restart stops everything again, as under `pactum start`; one that
        // failed to come up stays down until the next restart.
        const now = children.get(name);
        if (now && now.exitCode === null && now.signalCode === null) restarting.delete(name);
      }
    },
  });

  return exited;
}
