/** Copies `policies/` so the dev identity providers' JWKS files live in a test's own state folder. */
import fs from 'node:fs';
import path from 'node:path';

const repoRoot = path.resolve(__dirname, '../..');

export function copyPolicies(stateDir: string): string {
  const dir = path.join(stateDir, 'policies');
  fs.cpSync(path.join(repoRoot, 'policies'), dir, { recursive: true });
  const agencies = path.join(dir, 'agencies.yaml');
  const text = fs.readFileSync(agencies, 'utf8').replaceAll('file:../.pactum/dev-idp/', `file:${path.join(stateDir, 'dev-idp')}/`);
  fs.writeFileSync(agencies, text);
  return dir;
}
