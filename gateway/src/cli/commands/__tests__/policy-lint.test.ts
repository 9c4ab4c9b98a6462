/**
 * `pactum policy lint` on the shipped policies and on broken fixtures (an expired and an
 * expiring agreement, a shadowed grant, a grant no recipient can use, personal data without a
 * clearance condition, bad YAML, bad options).
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LintFinding } from '../../../policy';
import { runPolicyCommand } from '../policy';
import { copyShippedPolicies, runCaptured, SHIPPED_POLICIES } from './support/run-command';

const AT = '2026-06-01T12:00:00Z';
const JOINT = join('agreements', 'joint-statement-2021-ports.yaml');
let root: string;
let dir: string;
beforeEach(() => ({ root, dir } = copyShippedPolicies('pactum-policy-lint-')));
afterEach(() => rmSync(root, { recursive: true, force: true }));

function edit(file: string, from: string, to: string): void {
  const path = join(dir, file);
  const text = readFileSync(path, 'utf8');
  if (!text.includes(from)) throw new Error(`fixture: ${from} not in ${file}`);
  writeFileSync(path, text.replace(from, to));
}
async function lint(d: string, ...extra: string[]): Promise<{ code: number; findings: (LintFinding & { accepted: boolean })[] }> {
  const r = await runCaptured(runPolicyCommand, ['lint', '--dir', d, '--at', AT, '--json', ...extra]);
  if (r.out === '') throw new Error(`lint wrote nothing (exit ${r.code}): ${r.err}`);
  return { code: r.code, findings: (JSON.parse(r.out) as { findings: (LintFinding & { accepted: boolean })[] }).findings };
}
const kinds = (fs: readonly LintFinding[], kind: string) => fs.filter((f) => f.kind === kind).map((f) => f.subject);

it('the shipped policies: only the expired FIOD pilot warns, and accepting it passes', async () => {
  const r = await lint(SHIPPED_POLICIES);
  expect(r.findings.filter((f) => f.severity === 'warning').map((f) => `${f.kind}:${f.subject}`)).toEqual(['agreement-expired:nl-customs-to-nl-fiod-pilot']);
  expect(r.code).toBe(1);
  expect(kinds(r.findings, 'h3-without-rule')).toContain('Seizure');
  const ok = await runCaptured(runPolicyCommand, ['lint', '--dir', SHIPPED_POLICIES, '--at', AT, '--accept', 'agreement-expired:nl-customs-to-nl-fiod-pilot']);
  expect(ok.code).toBe(0);
  expect(ok.out).toContain('[accepted]');
  expect(ok.out).toMatch(/1 warning, \d+ notices/);
});

it('reports an agreement expiring within 90 days, and not with --days 30', async () => {
  edit(JOINT, 'to: 2030-12-31', 'to: 2026-07-15');
  expect(kinds((await lint(dir)).findings, 'agreement-expiring')).toEqual(['joint-statement-2021-ports']);
  expect(kinds((await lint(dir, '--days', '30')).findings, 'agreement-expiring')).toEqual([]);
});

it('reports a grant shadowed by a broader one, naming the broader one', async () => {
  edit(JOINT, '  - id: lookups-and-vessels', '  - id: vessel-names\n    intent: Vessel names (already in lookups-and-vessels).\n    fields:\n      Vessel: [name]\n  - id: lookups-and-vessels');
  const f = (await lint(dir)).findings.filter((x) => x.kind === 'grant-shadowed');
  expect(f.map((x) => x.subject)).toEqual(['joint-statement-2021-ports/vessel-names']);
  expect(f[0]?.message).toContain('joint-statement-2021-ports/lookups-and-vessels');
});

it('reports a grant requiring a role no recipient holds', async () => {
  edit(JOINT, "    intent: Look up a container or the seizures at a port; vessel registry data.\n", "    intent: Look up a container or the seizures at a port; vessel registry data.\n    requires: { roles: [customs-officer] }\n");
  const r = await lint(dir);
  expect(kinds(r.findings, 'grant-never-applies')).toEqual(['joint-statement-2021-ports/lookups-and-vessels']);
  expect(r.findings.find((x) => x.kind === 'grant-never-applies')?.message).toContain('customs-officer');
});

it('reports personal data that reaches a principal without any clearance', async () => {
  expect(kinds((await lint(dir)).findings, 'personal-data-without-clearance')).toEqual([]);
  // The group no longer demands a clearance, and the police's own-data grant drops it.
  edit('field-groups.yaml', '    requiresRoleAndClearance: true', '    requiresRoleAndClearance: false');
  edit(join('agreements', 'nl-police-own-data.yaml'), 'requires: { roles: [investigator, prosecutor], clearance: CONFIDENTIAL }', 'requires: { roles: [investigator, prosecutor] }');
  const f = (await lint(dir)).findings.filter((x) => x.kind === 'personal-data-without-clearance');
  expect(f.map((x) => x.subject)).toEqual(expect.arrayContaining(['Suspect.name', 'Suspect.dateOfBirth']));
  expect(f.every((x) => x.message.includes('nl-police-own-data/') && x.message.includes('to NL-POLICE'))).toBe(true);
});

it('refuses bad options and a broken policy with exit codes 2 and 1', async () => {
  expect((await runCaptured(runPolicyCommand, ['lint', '--dir', dir, '--fail-on', 'sometimes'])).code).toBe(2);
  expect((await runCaptured(runPolicyCommand, ['lint', '--dir', dir, '--days', '-3'])).code).toBe(2);
  const acceptUnknown = await runCaptured(runPolicyCommand, ['lint', '--dir', dir, '--accept', 'grant-shadowed:nope/nope']);
  expect(acceptUnknown.code).toBe(2);
  expect(acceptUnknown.err).toContain('no finding grant-shadowed:nope/nope');
  writeFileSync(join(dir, JOINT), 'id: [unclosed\n');
  const broken = await runCaptured(runPolicyCommand, ['lint', '--dir', dir]);
  expect(broken.code).toBe(1);
  expect(broken.err).toContain('joint-statement-2021-ports.yaml');
});
