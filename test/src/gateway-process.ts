/**
 * The gateway as a child process (`pactum gateway`), for tests where the gateway's death
 * must show instead of taking Jest down with it: a SIGBUS, an abort, an exit.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import type { Fleet } from './stack';
import { freePort } from './free-port';

const repoRoot = path.resolve(__dirname, '../..');

export interface GatewayProcess {
  readonly child: ChildProcess;
  /** `http://127.0.0.1:<port>` — add `/graphql`, `/readyz`, `/healthz`. */
  readonly baseUrl: string;
  /** What the process printed so far (stdout and stderr). */
  output(): string;
  /** Null while it runs; else how it ended. */
  ended(): { code: number | null; signal: NodeJS.Signals | null } | null;
  /** Kills it (SIGKILL) if still running and waits for the exit. */
  kill(): Promise<void>;
  /** Resolves with how it ended, once it has. */
  exit(): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Starts `pactum gateway` for `fleet` on a free port and waits until `/readyz` answers 200. */
export async function startGatewayProcess(fleet: Fleet, env: Record<string, string> = {}, readyWithinMs = 90_000): Promise<GatewayProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'gateway/src/cli/pactum.ts'), 'gateway'], {
    cwd: repoRoot,
    env: { ...process.env, ...fleet.gatewayEnv, ...env, PACTUM_GATEWAY_PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  let end: { code: number | null; signal: NodeJS.Signals | null } | null = null;
  const exited = new Promise<void>((resolve) =>
    child.on('exit', (code, signal) => {
      end = { code, signal };
      resolve();
    }),
  );
  const gateway: GatewayProcess = {
    child,
    baseUrl: `http://127.0.0.1:${port}`,
    output: () => output,
    ended: () => end,
    async kill() {
      if (end === null) child.kill('SIGKILL');
      await exited;
    },
    async exit() {
      await exited;
      return end ?? { code: null, signal: null };
    },
  };
  const deadline = Date.now() + readyWithinMs;
  for (;;) {
    const ready = await fetch(`${gateway.baseUrl}/readyz`).then((r) => r.ok, () => false);
    if (ready) return gateway;
    if (end !== null || Date.now() > deadline) {
      await gateway.kill();
      throw new Error(`gateway did not become ready:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}
