/**
 * The shipped policy (`policies/`) against the committed supergraph: it loads, and every
 * policy test in `policies/tests/` passes. This is how `npm test` runs the compliance
 * officers' tests.
 */
import { join } from 'node:path';
import { loadSupergraphSdl } from '@pactum/schema';
import { listUnmentionedFields, loadPolicy, type LoadedPolicy } from '../load-policy';
import { runPolicyTests, type PolicyTestReport } from '../run-policy-tests';

const POLICIES = join(__dirname, '..', '..', '..', '..', 'policies');

let policy: LoadedPolicy;
let report: PolicyTestReport;
beforeAll(() => {
  policy = loadPolicy({ dir: POLICIES, supergraphSdl: loadSupergraphSdl() });
  report = runPolicyTests(join(POLICIES, 'tests'), policy);
});

it('the shipped policy loads against the committed supergraph', () => {
  expect(policy.version).toMatch(/^[0-9a-f]{16}$/);
  expect(policy.model.grants.length).toBeGreaterThan(10);
});

it('the shipped operations are tested as each agency of the scenario', () => {
  const agencies = new Set(report.results.filter((r) => r.case.operation === 'ContainerDossier').map((r) => r.case.principal.agency));
  expect([...agencies].sort()).toEqual(['BE-POLICE', 'EUROJUST', 'EUROPOL', 'NL-CUSTOMS', 'NL-FIOD', 'NL-POLICE']);
});

it('there are policy tests, and each bullet of the demo world agreements is tested in both directions', () => {
  expect(report.results.length).toBeGreaterThan(50);
  const files = new Set(report.results.map((r) => r.case.file));
  for (const file of files) {
    const outcomes = new Set(
      report.results
        .filter((r) => r.case.file === file)
        .flatMap((r) => {
          const paths = r.case.expectPaths;
          if (!paths) return [r.case.expect.outcome];
          return [...((paths.released ?? []).length > 0 ? ['released'] : []), ...(Object.keys(paths.denied ?? {}).length > 0 ? ['denied'] : [])];
        }),
    );
    expect([file, outcomes.has('released'), outcomes.has('denied')]).toEqual([file, true, true]);
  }
});

it('every policy test in policies/tests passes', () => {
  const failures = report.results.filter((r) => !r.passed).map((r) => `${r.case.file}:${r.case.line} ${r.case.name}: ${r.failure}`);
  expect(failures).toEqual([]);
});

it('every shipped grant is exercised or at least every field is mentioned by some grant', () => {
  // Fields no grant mentions are denied to everyone; the shipped policy mentions them all.
  expect(listUnmentionedFields(policy)).toEqual([]);
});
