import { mkdtempSync, cpSync, writeFileSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runPolicyCommand } from '../policy';

const POLICIES = join(__dirname, '..', '..', '..', '..', '..', 'policies');

async function run(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const o = jest.spyOn(process.stdout, 'write').mockImplementation((c: string | Uint8Array) => ((out += String(c)), true));
  const e = jest.spyOn(process.stderr, 'write').mockImplementation((c: string | Uint8Array) => ((err += String(c)), true));
  try {
    return { code: await runPolicyCommand(argv), out, err };
  } finally {
    o.mockRestore();
    e.mockRestore();
  }
}

describe('pactum policy', () => {
  it('check validates the shipped policy', async () => {
    const r = await run(['check', '--dir', POLICIES]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^policy [0-9a-f]{16} is valid/);
  });

  it('check refuses an invalid policy with file, line and nearest name', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pactum-policy-cli-'));
    try {
      cpSync(POLICIES, dir, { recursive: true });
      const file = join(dir, 'agreements', 'joint-statement-2021-ports.yaml');
      writeFileSync(file, readFileSync(file, 'utf8').replace('recipients: [BE-POLICE,', 'recipients: [BE-POLISE,'));
      const r = await run(['check', '--dir', dir]);
      expect(r.code).toBe(1);
      expect(r.err).toMatch(/policies\/agreements\/joint-statement-2021-ports\.yaml:\d+: recipients\.0: unknown agency "BE-POLISE" \(did you mean "BE-POLICE"\?\)/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('test runs policies/tests and names the deciding grant', async () => {
    const r = await run(['test', '--dir', POLICIES]);
    expect(r.code).toBe(0);
    expect(r.out).toContain('customs_reads_police_investigation_denied — denied: HIT_ONLY');
    expect(r.out).toMatch(/\d+ passed, 0 failed/);
  });

  it('explain tells the story of one decision, on a label', async () => {
    const label = JSON.stringify({ owner: 'NL-CUSTOMS', handling: ['H0'], releasableTo: ['NL-POLICE'], caseRefs: [], europolSupport: false });
    const r = await run([
      'explain', '--dir', POLICIES, '--agency', 'BE-POLICE', '--roles', 'investigator', '--clearance', 'CONFIDENTIAL',
      '--purpose', 'drug-trafficking', '--at', '2026-06-01T12:00:00Z', 'Seizure.quantityKg', '--label', label,
    ]);
    expect(r.code).toBe(0);
    expect(r.out).toContain('DENIED Seizure.quantityKg: NOT_RELEASABLE (whole row withheld)');
    expect(r.out).toContain('joint-statement-2021-ports / seizures-and-movements');
  });

  it('explain without a coordinate is a usage error', async () => {
    const r = await run(['explain', '--dir', POLICIES, '--agency', 'BE-POLICE', '--purpose', 'drug-trafficking']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('needs --agency, --purpose and one Type.field');
  });

  it('an unknown subcommand is a usage error', async () => {
    expect((await run(['frobnicate'])).code).toBe(2);
  });
});
