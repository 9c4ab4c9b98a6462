/**
 * `pactum policy test --coverage`: grants no test names, per agreement and overall, a threshold
 * that fails CI, JSON and JUnit output — on the shipped tests and on a policy with an untested grant.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CoverageReport } from '../../../policy';
import { runPolicyCommand } from '../policy';
import { copyShippedPolicies, runCaptured, SHIPPED_POLICIES } from './support/run-command';

let root: string;
let dir: string;
beforeEach(() => ({ root, dir } = copyShippedPolicies('pactum-policy-cov-')));
afterEach(() => rmSync(root, { recursive: true, force: true }));

async function coverage(d: string): Promise<CoverageReport> {
  const r = await runCaptured(runPolicyCommand, ['test', '--dir', d, '--coverage', '--json']);
  expect(r.code).toBe(0);
  return (JSON.parse(r.out) as { coverage: CoverageReport }).coverage;
}

it('the shipped tests cover every grant', async () => {
  const c = await coverage(SHIPPED_POLICIES);
  expect(c.grants.filter((g) => !g.covered).map((g) => g.grant)).toEqual([]);
  expect(c.percent).toBe(100);
  const text = await runCaptured(runPolicyCommand, ['test', '--dir', SHIPPED_POLICIES, '--min-coverage', '100']);
  expect(text.code).toBe(0);
  expect(text.out).toMatch(/grant coverage: (\d+)\/\1 grants \(100 %\)/);
});

it('an untested grant is named, lowers its agreement and the total, and fails --min-coverage', async () => {
  const file = join(dir, 'agreements', 'joint-statement-2021-ports.yaml');
  writeFileSync(file, `${readFileSync(file, 'utf8')}  - id: untested-vessel-flags\n    intent: A grant no test names.\n    fields:\n      PortCall: [vessel]\n    requires: { roles: [analyst] }\n`);
  const c = await coverage(dir);
  expect(c.grants.filter((g) => !g.covered).map((g) => g.grant)).toEqual(['joint-statement-2021-ports/untested-vessel-flags']);
  expect(c.agreements.find((a) => a.agreement === 'joint-statement-2021-ports')).toMatchObject({ covered: 2, total: 3 });
  expect(c.percent).toBeLessThan(100);
  const r = await runCaptured(runPolicyCommand, ['test', '--dir', dir, '--min-coverage', '100']);
  expect(r.code).toBe(1);
  expect(r.out).toContain('GAP  joint-statement-2021-ports: 2/3');
  expect(r.out).toContain('joint-statement-2021-ports/untested-vessel-flags (policies/agreements/joint-statement-2021-ports.yaml:');
  expect(r.err).toMatch(/grant coverage [\d.]+ % is below --min-coverage 100 %/);
});

it('writes JUnit XML, with failures and the coverage, escaped', async () => {
  const tests = join(dir, 'tests', 'europol-support.yaml');
  writeFileSync(tests, readFileSync(tests, 'utf8').replace('expect: { outcome: released, grant: nl-customs-to-europol/supported-seizures }', 'expect: { outcome: denied, reason: NO_AGREEMENT }'));
  const out = join(root, 'junit.xml');
  const r = await runCaptured(runPolicyCommand, ['test', '--dir', dir, '--coverage', '--junit', out]);
  expect(r.code).toBe(1);
  const xml = readFileSync(out, 'utf8');
  expect(xml).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<testsuites name="pactum policy test" tests="\d+" failures="1">/);
  expect(xml).toContain('<property name="grant-coverage-percent"');
  expect(xml).toMatch(/<testcase classname="policies\/tests\/europol-support.yaml" name="europol_analyst_reads_flagged_seizure_granted"><failure message="expected denied \(NO_AGREEMENT\), got released by nl-customs-to-europol\/supported-seizures">/);
});

it('refuses a threshold that is not a percentage', async () => {
  for (const bad of ['abc', '-1', '101']) expect((await runCaptured(runPolicyCommand, ['test', '--dir', dir, '--min-coverage', bad])).code).toBe(2);
});
