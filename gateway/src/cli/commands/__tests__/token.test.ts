import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createTokenVerifier, loadTrustRegistry, repoRoot } from '../../../auth';
import { runTokenCommand } from '../token';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'pactum-token-cmd-'));
  // A private copy of the shipped policies whose dev JWKS files land in the temp dir.
  const policies = path.join(dir, 'policies');
  cpSync(path.join(repoRoot(), 'policies', 'purposes.yaml'), path.join(policies, 'purposes.yaml'), { recursive: true });
  writeFileSync(
    path.join(policies, 'agencies.yaml'),
    readFileSync(path.join(repoRoot(), 'policies', 'agencies.yaml'), 'utf8').replaceAll('file:../.pactum/dev-idp/', 'file:../jwks/'),
  );
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runTokenCommand([...argv, '--policies', path.join(dir, 'policies'), '--keys', path.join(dir, 'keys')], {
    stdout: (t) => (out += t),
    stderr: (t) => (err += t),
  });
  return { code, out, err };
}

const base = ['--agency', 'NL-POLICE', '--sub', 'j.devries', '--clearance', 'CONFIDENTIAL'];

describe('pactum token', () => {
  it('prints only a token that the gateway verifier accepts', async () => {
    const { code, out, err } = await run(...base, '--roles', 'investigator', '--purposes', 'drug-trafficking,money-laundering', '--cases', 'NL-ONB-2024-0456', '--ttl', '1h');
    expect({ code, err }).toEqual({ code: 0, err: '' });
    expect(out).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+\n$/);
    const registry = loadTrustRegistry(path.join(dir, 'policies', 'agencies.yaml'));
    const principal = await createTokenVerifier({ registry }).verify(out.trim());
    expect(principal).toMatchObject({ agency: 'NL-POLICE', subject: 'j.devries', clearance: 'CONFIDENTIAL' });
    expect([...principal.purposes]).toEqual(['drug-trafficking', 'money-laundering']);
    expect([...principal.roles]).toEqual(['investigator']);
  });

  it('--help prints usage and exits 0', async () => {
    const { code, out } = await run('--help');
    expect(code).toBe(0);
    expect(out).toContain('usage: pactum token');
  });

  it.each([
    [['--agency', 'XX-POLICE', '--sub', 's', '--clearance', 'C'], /unknown agency XX-POLICE \(known: NL-POLICE/],
    [[...base, '--ttl', 'forever'], /ttl "forever" is not a duration/],
    [[...base, '--ttl', '30d'], /ttl must be at most 1d/],
    [['--agency', 'NL-POLICE'], /missing --sub, --clearance/],
    [[...base, '--colour', 'blue'], /Unknown option '--colour'/],
    [[...base, 'extra'], /Unexpected argument 'extra'/],
    [[...base, '--purposes', 'drug-trafficking,curiosity'], /unknown purpose curiosity \(known: drug-trafficking/],
  ])('refuses %j with a clear message and exit 2, printing no token', async (argv, message) => {
    const { code, out, err } = await run(...argv);
    expect(code).toBe(2);
    expect(out).toBe('');
    expect(err).toMatch(message);
  });
});
