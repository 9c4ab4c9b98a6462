/** Copies `policies/` so the dev identity providers' JWKS files live in a test's own state folder. */
import fs from 'node:fs';
import path from 'node:path';

const repoRoot = path.resolve(__dirname, '../..');

/** Copies `source` (default: the repository's `policies/`) into `<stateDir>/policies`. */
export function copyPolicies(stateDir: string, source: string = path.join(repoRoot, 'policies')): string {
  const dir = path.join(stateDir, 'policies');
  fs.cpSync(source, dir, { recursive: true });
  const agencies = path.join(dir, 'agencies.yaml');
  const text = fs.readFileSync(agencies, 'utf8').replaceAll('file:../.pactum/dev-idp/', `file:${path.join(stateDir, 'dev-idp')}/`);
  fs.writeFileSync(agencies, text);
  return dir;
}
