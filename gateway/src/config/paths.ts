/**
 * Where the repository lives on disk, so default paths (`policies/`, `.pactum/`) work no matter
 * which directory a process was started from.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

let cached: string | undefined;

/**
 * The repository root: `PACTUM_ROOT` when set, else the nearest ancestor of this file whose
 * `package.json` is the monorepo root (it declares `workspaces`).
 */
export function repoRoot(): string {
  if (cached !== undefined) return cached;
  const fromEnv = process.env.PACTUM_ROOT;
  if (fromEnv) {
    cached = path.resolve(fromEnv);
    return cached;
  }
  let dir = __dirname;
  for (;;) {
    const manifest = path.join(dir, 'package.json');
    if (existsSync(manifest)) {
      try {
        const parsed: unknown = JSON.parse(readFileSync(manifest, 'utf8'));
        if (typeof parsed === 'object' && parsed !== null && Object.hasOwn(parsed, 'workspaces')) {
          cached = dir;
          return dir;
        }
      } catch {
        // A broken package.json further down is not the root; keep walking up.
      }
    }
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`cannot find the Pactum repository root above ${__dirname}; set PACTUM_ROOT`);
    dir = parent;
  }
}

/** A path for messages: relative to the repository root when inside it, absolute otherwise. */
export function displayPath(file: string): string {
  const abs = path.resolve(file);
  const rel = path.relative(repoRoot(), abs);
  return rel.startsWith('..') || path.isAbsolute(rel) ? abs : rel;
}

/** Runtime state folder (git-ignored): `PACTUM_STATE_DIR` (relative to the repository root) or `<repo>/.pactum`. */
export function stateDir(env: Readonly<Record<string, string | undefined>> = process.env): string {
  return path.resolve(repoRoot(), env.PACTUM_STATE_DIR ?? '.pactum');
}
