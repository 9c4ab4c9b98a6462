/** Where things live on disk, resolved from this file so the gateway runs from any working directory. */
import path from 'node:path';

/** Root of the Pactum checkout (the folder holding `gateway/`, `policies/`, `schema/`). */
export const repoRoot: string = path.resolve(__dirname, '../../..');

/** Runtime state (seeded data, dev keys, audit trail); git-ignored. Overridable with PACTUM_STATE_DIR. */
export function stateDir(env: NodeJS.ProcessEnv = process.env): string {
  return path.resolve(repoRoot, env.PACTUM_STATE_DIR ?? '.pactum');
}
