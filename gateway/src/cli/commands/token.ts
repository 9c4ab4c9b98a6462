/**
 * `pactum token`: prints a token from an agency's development identity provider, for curl and
 * front-end development. Only the token goes to stdout, so `TOKEN=$(pactum token …)` works.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { issueDevToken, loadPurposes, loadTrustRegistry, repoRoot } from '../../auth';

const HELP = `usage: pactum token --agency <ID> --sub <user> --clearance <LEVEL> [options]

Prints a signed token from the agency's development identity provider (keys in .pactum/dev-idp/).

options:
  --agency <ID>         agency id from policies/agencies.yaml (e.g. NL-POLICE)        required
  --sub <user>          pseudonymous user id at that agency (e.g. j.devries)           required
  --clearance <LEVEL>   clearance level (e.g. CONFIDENTIAL)                            required
  --roles <a,b>         comma-separated roles (e.g. investigator,analyst)
  --purposes <a,b>      comma-separated purpose codes from policies/purposes.yaml
  --cases <a,b>         comma-separated case / JIT references (e.g. NL-ONB-2024-0456)
  --ttl <duration>      lifetime: 90s, 15m, 1h, 1d (max 1d); default 1h
  --policies <dir>      policy directory (default $PACTUM_POLICY_DIR or <repo>/policies)
  --keys <dir>          development key directory (default <PACTUM_STATE_DIR or .pactum>/dev-idp)
  -h, --help            show this help

example:
  pactum token --agency NL-POLICE --sub j.devries --roles investigator --clearance CONFIDENTIAL \\
    --purposes drug-trafficking --cases NL-ONB-2024-0456 --ttl 1h`;

/** Output streams, injectable for tests. */
export interface TokenCommandIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
}

const processIo: TokenCommandIo = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
};

/** Runs `pactum token`; returns the exit code (0 ok, 2 usage error, 1 other failure). */
export async function runTokenCommand(argv: string[], io: TokenCommandIo = processIo): Promise<number> {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        agency: { type: 'string' },
        sub: { type: 'string' },
        clearance: { type: 'string' },
        roles: { type: 'string' },
        purposes: { type: 'string' },
        cases: { type: 'string' },
        ttl: { type: 'string' },
        policies: { type: 'string' },
        keys: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    io.stderr(`pactum token: ${error instanceof Error ? error.message : String(error)}\n\n${HELP}\n`);
    return 2;
  }
  if (values.help) {
    io.stdout(`${HELP}\n`);
    return 0;
  }
  const str = (name: string): string | undefined => (typeof values[name] === 'string' ? (values[name] as string) : undefined);
  const missing = ['agency', 'sub', 'clearance'].filter((name) => !str(name)?.trim());
  if (missing.length > 0) {
    io.stderr(`pactum token: missing ${missing.map((m) => `--${m}`).join(', ')}\n\n${HELP}\n`);
    return 2;
  }
  const list = (name: string): string[] => (str(name) ?? '').split(',').map((s) => s.trim()).filter((s) => s !== '');

  try {
    const policyDir = path.resolve(repoRoot(), str('policies') ?? process.env.PACTUM_POLICY_DIR ?? 'policies');
    const registry = loadTrustRegistry(path.join(policyDir, 'agencies.yaml'));
    const purposes = loadPurposes(path.join(policyDir, 'purposes.yaml'));
    // Catch typos here: a token with a misspelt purpose would only fail later, less clearly.
    const unknown = list('purposes').filter((p) => !purposes.has(p));
    if (unknown.length > 0) {
      io.stderr(`pactum token: unknown purpose ${unknown.join(', ')} (known: ${purposes.purposes.map((p) => p.code).join(', ')})\n`);
      return 2;
    }
    const keysDir = str('keys');
    const token = await issueDevToken({
      registry,
      ...(keysDir !== undefined ? { dir: path.resolve(keysDir) } : {}),
      agency: str('agency') ?? '',
      sub: str('sub') ?? '',
      clearance: str('clearance') ?? '',
      roles: list('roles'),
      purposes: list('purposes'),
      cases: list('cases'),
      ttl: str('ttl') ?? '1h',
    });
    io.stdout(`${token}\n`);
    return 0;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    io.stderr(`pactum token: ${message}\n`);
    return error instanceof RangeError || /unknown agency|no development identity provider/.test(message) ? 2 : 1;
  }
}
