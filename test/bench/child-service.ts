/**
 * One process the bench starts (a subgraph or a gateway): spawned with `node --import tsx` (a
 * built gateway: plain `node`; or,
 * for a peer shipped as a binary, that binary under `setpriv --pdeathsig`), waited on until it answers, stopped with SIGTERM (then SIGKILL), its output kept so a
 * failure to start explains itself.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

/** The checkout's root: test/bench/ is two levels below it. */
export const REPO_ROOT: string = path.resolve(__dirname, '../..');

/**
 * Preloaded into every child (the same guard `pactum start` uses): when the bench process goes
 * away, even by SIGKILL or a test runner's timeout, the IPC channel closes and the child stops
 * itself, so no orphan keeps a port or a SQLite file.
 */
const ORPHAN_GUARD = path.join(REPO_ROOT, 'gateway', 'src', 'cli', 'orphan-guard.js');

/** How to know the process is ready. */
export type Readiness =
  /** GET answers 2xx. */
  | { readonly httpGet: string }
  /** A line of stdout matches; group 1, if any, is taken as the service URL. */
  | { readonly stdoutLine: RegExp };

export interface ChildServiceOptions {
  /** Short name for messages, e.g. `police` or `gateway:bare`. */
  readonly name: string;
  /** Script to run, relative to the repo root, and its arguments. */
  readonly script: string;
  readonly args?: readonly string[];
  /** Whether the script is TypeScript, run under tsx (default); false: plain `node`, as a production build runs. */
  readonly typescript?: boolean;
  /** Node.js options before the script (e.g. the gateway's heap ceiling). */
  readonly nodeArgs?: readonly string[];
  /** The Node.js binary to run the script with (a peer that wants a newer one); default: the bench's own. */
  readonly nodeBinary?: string;
  /**
   * Run this binary with `args` instead of a script (`script` then only names it in messages).
   * It cannot preload the orphan guard, so it runs under `setpriv --pdeathsig TERM`: the kernel
   * stops it when the bench goes, and setpriv execs it, so the pid measured is the binary's own.
   */
  readonly executable?: string;
  /** Added to (and overriding) the parent's environment. */
  readonly env?: Readonly<Record<string, string>>;
  readonly ready: Readiness;
  /** How long to wait for readiness (the gateway's first query planner takes several seconds). */
  readonly timeoutMs?: number;
}

export interface ChildService {
  readonly name: string;
  readonly pid: number;
  /** The URL captured from the ready line, if the readiness was a stdout line with a group. */
  readonly announcedUrl: string | undefined;
  /** The last lines it wrote (stdout and stderr), for error messages. */
  outputTail(): string;
  /** True while the process runs. */
  alive(): boolean;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves once it exited. Idempotent. */
  stop(graceMs?: number): Promise<void>;
}

const TAIL_LINES = 40;

function exited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

async function waitHttp(url: string, child: ChildProcess, deadline: number): Promise<void> {
  while (Date.now() < deadline) {
    if (exited(child)) throw new Error('exited before it was ready');
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(1000) });
      await res.arrayBuffer();
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`not ready after ${Math.round((deadline - Date.now()) / 1000)} s (${url})`);
}

/** Starts the process and resolves once it is ready; on failure it is killed and the error carries its output. */
export async function startChildService(options: ChildServiceOptions): Promise<ChildService> {
  const spawnOptions = { cwd: REPO_ROOT, env: { ...process.env, ...options.env } };
  const child = options.executable
    ? spawn('setpriv', ['--pdeathsig', 'TERM', '--', options.executable, ...(options.args ?? [])], { ...spawnOptions, stdio: ['ignore', 'pipe', 'pipe'] })
    : spawn(
        options.nodeBinary ?? process.execPath,
        [...(options.nodeArgs ?? []), '--require', ORPHAN_GUARD, ...(options.typescript === false ? [] : ['--import', 'tsx']), path.resolve(REPO_ROOT, options.script), ...(options.args ?? [])],
        { ...spawnOptions, stdio: ['ignore', 'pipe', 'pipe', 'ipc'] },
      );
  const lines: string[] = [];
  let announcedUrl: string | undefined;
  let matched = false;
  let readyLine: (() => void) | undefined;
  for (const stream of [child.stdout, child.stderr]) {
    if (!stream) continue;
    let pending = '';
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => {
      pending += chunk;
      const parts = pending.split('\n');
      pending = parts.pop() ?? '';
      for (const line of parts) {
        lines.push(line);
        if (lines.length > TAIL_LINES) lines.shift();
        if ('stdoutLine' in options.ready && stream === child.stdout && !matched) {
          const match = options.ready.stdoutLine.exec(line);
          if (match) {
            matched = true;
            announcedUrl = match[1];
            readyLine?.();
          }
        }
      }
    });
  }
  const exitPromise = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const service: ChildService = {
    name: options.name,
    pid: child.pid ?? -1,
    get announcedUrl() {
      return announcedUrl;
    },
    outputTail: () => lines.join('\n'),
    alive: () => !exited(child),
    async stop(graceMs = 5000) {
      if (exited(child)) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exitPromise;
      clearTimeout(timer);
    },
  };

  const timeoutMs = options.timeoutMs ?? 60_000;
  const deadline = Date.now() + timeoutMs;
  try {
    if (child.pid === undefined) throw new Error('could not be spawned');
    if ('httpGet' in options.ready) {
      await waitHttp(options.ready.httpGet, child, deadline);
    } else {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no ready line after ${Math.round(timeoutMs / 1000)} s`)), timeoutMs);
        if (matched) {
          clearTimeout(timer);
          resolve();
          return;
        }
        readyLine = () => {
          clearTimeout(timer);
          resolve();
        };
        void exitPromise.then(() => {
          clearTimeout(timer);
          reject(new Error('exited before it was ready'));
        });
      });
    }
  } catch (err) {
    await service.stop(1000);
    throw new Error(`${options.name} (${options.script}): ${(err as Error).message}\n--- last output ---\n${service.outputTail()}`);
  }
  return service;
}
