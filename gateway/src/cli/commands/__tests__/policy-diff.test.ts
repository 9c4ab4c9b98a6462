/**
 * `pactum policy diff <rev>` on fixture commits in a temporary git repository holding a copy of
 * the shipped policies: a widening commit lists exactly the new accesses, a narrowing one exactly
 * the lost ones, a shortened validity names the agreement; bad revisions and a broken policy at
 * the revision are refused.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AccessChange } from '../../../policy';
import { runPolicyCommand } from '../policy';
import { copyShippedPolicies, runCaptured } from './support/run-command';

const AT = '2026-06-01T12:00:00Z';
const JOINT = join('agreements', 'joint-statement-2021-ports.yaml');
let root: string;
let dir: string;

const git = (...args: string[]) => execFileSync('git', args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] }).toString().trim();
function edit(file: string, from: string, to: string): void {
  const path = join(dir, file);
  const text = readFileSync(path, 'utf8');
  if (!text.includes(from)) throw new Error(`fixture: ${from} not in ${file}`);
  writeFileSync(path, text.replace(from, to));
}
function commit(message: string): string {
  git('add', '-A');
  git('-c', 'user.name=t', '-c', 'user.email=t@example.org', 'commit', '-q', '-m', message);
  return git('rev-parse', 'HEAD');
}
async function diffJson(rev: string): Promise<{ changes: AccessChange[]; agreements: unknown[] }> {
  const r = await runCaptured(runPolicyCommand, ['diff', rev, '--dir', dir, '--at', AT, '--json']);
  expect(r.err).toBe('');
  expect(r.code).toBe(0);
  return JSON.parse(r.out) as { changes: AccessChange[]; agreements: unknown[] };
}
const triples = (changes: readonly AccessChange[], kind: string) =>
  changes.filter((c) => c.kind === kind).map((c) => `${c.agency} ${c.purpose} ${c.coordinate}`).sort();

beforeEach(() => {
  ({ root, dir } = copyShippedPolicies('pactum-policy-diff-'));
  git('init', '-q');
  commit('shipped policies');
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

it('a widening commit lists exactly the new accesses, for every profile at once', async () => {
  const base = git('rev-parse', 'HEAD');
  edit(JOINT, 'Container: [number, ownerCode, sizeType, reefer, label, seizures, portCalls]', 'Container: [number, ownerCode, sizeType, reefer, label, seizures, portCalls, scans]');
  const d = await diffJson(base);
  expect(triples(d.changes, 'gained')).toEqual(['BE-POLICE drug-trafficking Container.scans', 'ES-POLICE drug-trafficking Container.scans', 'FR-POLICE drug-trafficking Container.scans']);
  expect(d.changes).toHaveLength(3);
  const be = d.changes.find((c) => c.agency === 'BE-POLICE');
  expect(be?.profile).toBe('any role, any clearance');
  expect(be?.before).toMatchObject({ effect: 'denied', reason: 'NO_AGREEMENT' });
  expect(be?.after).toMatchObject({ effect: 'conditional', grants: ['joint-statement-2021-ports/seizures-and-movements'] });
  expect(d.agreements).toEqual([]);

  // Committed, the same change is read from history: HEAD~1 against the working tree.
  commit('widen');
  expect(triples((await diffJson('HEAD~1')).changes, 'gained')).toHaveLength(3);
  expect((await diffJson('HEAD')).changes).toEqual([]);
});

it('a narrowing commit lists exactly the lost ones, and Markdown groups them for a review', async () => {
  const base = git('rev-parse', 'HEAD');
  edit(JOINT, 'Container: [number, ownerCode, sizeType, reefer, label, seizures, portCalls]', 'Container: [number, ownerCode, sizeType, label, seizures, portCalls]');
  const d = await diffJson(base);
  expect(triples(d.changes, 'lost')).toEqual(['BE-POLICE drug-trafficking Container.reefer', 'ES-POLICE drug-trafficking Container.reefer', 'FR-POLICE drug-trafficking Container.reefer']);
  expect(d.changes).toHaveLength(3);
  const md = await runCaptured(runPolicyCommand, ['diff', base, '--dir', dir, '--at', AT]);
  expect(md.out).toContain('**0 gained, 3 lost');
  expect(md.out).toContain('### BE-POLICE');
  expect(md.out).toContain('- ➖ lost `Container.reefer` — any role, any clearance: conditional (joint-statement-2021-ports/seizures-and-movements:');
  expect((await runCaptured(runPolicyCommand, ['diff', base, '--dir', dir, '--at', AT, '--exit-code'])).code).toBe(1);
});

it('a shortened validity names the agreement and loses what it granted', async () => {
  const base = git('rev-parse', 'HEAD');
  edit(JOINT, 'validity: { from: 2021-12-08, to: 2030-12-31 }', 'validity: { from: 2021-12-08, to: 2026-03-31 }');
  const d = await diffJson(base);
  expect(d.agreements).toEqual([{ agreement: 'joint-statement-2021-ports', kind: 'validity', before: { from: '2021-12-08', to: '2030-12-31' }, after: { from: '2021-12-08', to: '2026-03-31' } }]);
  expect(d.changes.filter((c) => c.kind === 'lost').length).toBeGreaterThan(0);
  expect(d.changes.every((c) => c.kind === 'lost' && ['BE-POLICE', 'FR-POLICE', 'ES-POLICE'].includes(c.agency))).toBe(true);
  expect(d.changes.find((c) => c.coordinate === 'Vessel.name' && c.agency === 'BE-POLICE')?.after).toMatchObject({ effect: 'denied', reason: 'AGREEMENT_EXPIRED' });
});

it('row conditions that change are reported as such', async () => {
  const base = git('rev-parse', 'HEAD');
  edit(JOINT, 'rows: { releasableToRecipient: true }', 'rows: { releasableToRecipient: true, excludeHandling: [H2] }');
  const d = await diffJson(base);
  expect(d.changes.length).toBeGreaterThan(0);
  expect(new Set(d.changes.map((c) => c.kind))).toEqual(new Set(['conditions']));
  expect(d.changes[0]?.after.conditions[0]).toContain('none of the handling codes H2');
});

it('refuses an unknown revision, a second revision, and a policy that does not load at the revision', async () => {
  const unknown = await runCaptured(runPolicyCommand, ['diff', 'no-such-branch', '--dir', dir]);
  expect(unknown.code).toBe(2);
  expect(unknown.err).toContain('unknown revision "no-such-branch"');
  expect((await runCaptured(runPolicyCommand, ['diff', 'HEAD', 'HEAD', '--dir', dir])).code).toBe(2);
  expect((await runCaptured(runPolicyCommand, ['diff', '--upload-pack=x', '--dir', dir])).code).toBe(2);
  edit(JOINT, 'recipients: [BE-POLICE,', 'recipients: [BE-POLCE,');
  commit('broken');
  edit(JOINT, 'recipients: [BE-POLCE,', 'recipients: [BE-POLICE,');
  const broken = await runCaptured(runPolicyCommand, ['diff', 'HEAD', '--dir', dir]);
  expect(broken.code).toBe(1);
  expect(broken.err).toMatch(/the policy at HEAD does not load: .*unknown agency "BE-POLCE" \(did you mean "BE-POLICE"\?\)/s);
});
