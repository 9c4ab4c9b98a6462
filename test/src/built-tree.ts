/**
 * The production build, for tests that run it: `npm run build` in this checkout (incremental:
 * a second run that finds nothing changed takes a few seconds), and processes started from
 * `dist/` with plain `node` — a preload makes any attempt to load tsx or a `.ts` file fatal, so a
 * built process that still leans on the sources fails instead of passing by accident.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const repoRoot = path.resolve(__dirname, '../..');

/** Runs `npm run build` at the root of a checkout (default: this one); throws with its output when it fails. */
export function buildTree(root: string = repoRoot): { seconds: number } {
  const started = Date.now();
  const result = spawnSync('npm', ['run', 'build'], { cwd: root, encoding: 'utf8', env: { ...process.env, FORCE_COLOR: '0' }, timeout: 600_000 });
  if (result.status !== 0) throw new Error(`npm run build in ${root} failed (${result.status ?? result.signal}):\n${result.stdout}\n${result.stderr}`);
  return { seconds: (Date.now() - started) / 1000 };
}

const GUARD = `'use strict';
// Preloaded by test/src/built-tree.ts: a built process must not load TypeScript sources or tsx.
const Module = require('node:module');
const load = Module._load;
Module._load = function (request, parent, isMain) {
  if (/^tsx(\\/|$)/.test(request) || /\\.tsx?$/.test(request)) throw new Error('built process tried to load ' + request);
  const resolved = Module._resolveFilename(request, parent, isMain);
  if (/\\.tsx?$/.test(resolved)) throw new Error('built process tried to load ' + resolved);
  return load.apply(this, arguments);
};
`;

let guardFile: string | undefined;

/** A preload (`--require`) that fails a process which loads tsx or any `.ts` file. */
export function noSourcesGuard(): string {
  if (!guardFile) {
    guardFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'pactum-guard-')), 'no-sources.js');
    fs.writeFileSync(guardFile, GUARD);
  }
  return guardFile;
}

export interface BuiltProcess {
  readonly child: ChildProcess;
  output(): string;
  /** Resolves with the exit code (or signal) once the process has ended. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Resolves once the output contains `text`; rejects if the process ends first or after `timeoutMs`. */
  waitFor(text: string | RegExp, timeoutMs?: number): Promise<void>;
  kill(): Promise<void>;
}

/**
 * Starts `node [nodeArgs] <script relative to the repository root> [args]` with the guard preloaded,
 * `NODE_OPTIONS` cleared (no loader sneaks in) and `env` on top of this process's environment.
 */
export function startBuilt(script: string, args: readonly string[], env: NodeJS.ProcessEnv, nodeArgs: readonly string[] = []): BuiltProcess {
  const child = spawn(process.execPath, [...nodeArgs, '--require', noSourcesGuard(), path.join(repoRoot, script), ...args], {
    cwd: repoRoot,
    env: { ...process.env, NODE_OPTIONS: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  let ended = false;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => {
      ended = true;
      resolve({ code, signal });
    }),
  );
  return {
    child,
    output: () => out,
    exited,
    async waitFor(text, timeoutMs = 120_000) {
      const deadline = Date.now() + timeoutMs;
      const seen = (): boolean => (typeof text === 'string' ? out.includes(text) : text.test(out));
      while (!seen()) {
        if (ended) throw new Error(`${script} ended before printing ${String(text)}:\n${out}`);
        if (Date.now() > deadline) throw new Error(`${script} did not print ${String(text)} within ${timeoutMs} ms:\n${out}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    async kill() {
      if (!ended) child.kill('SIGKILL');
      await exited;
    },
  };
}

/** Runs a built script to completion (same guard and environment rules as {@link startBuilt}). */
export function runBuilt(script: string, args: readonly string[], env: NodeJS.ProcessEnv = {}): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, ['--require', noSourcesGuard(), path.join(repoRoot, script), ...args], {
    cwd: repoRoot,
    env: { ...process.env, NODE_OPTIONS: '', ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}
