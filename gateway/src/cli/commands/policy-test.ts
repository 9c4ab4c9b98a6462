/**
 * `pactum policy test`: runs `<dir>/tests`, optionally with grant coverage (`--coverage`,
 * `--min-coverage N` fails below N %), as text, JSON (`--json`) and JUnit XML (`--junit file`).
 */
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { grantCoverage, runPolicyTests, type CoverageReport, type PolicyTestReport } from '../../policy';
import { escapeHtml } from '../policy-reports/html-page';
import { loadCliPolicy, POLICY_COMMON_OPTIONS, policyDir, UsageError } from './policy-options';

export const TEST_HELP = `usage: pactum policy test [--coverage] [--min-coverage N] [--json] [--junit <file.xml>]

Runs the policy tests in <dir>/tests and names the grant behind each decision.

  --coverage            also report which grants no test names, per agreement and overall
  --min-coverage <N>    exit 1 when fewer than N % of the grants are covered (implies --coverage)
  --json                results (and coverage) as JSON
  --junit <file>        write the results as JUnit XML (one testsuite per test file)
  --dir <path>          policy directory (default: <repo>/policies)
  --supergraph <file>   supergraph SDL (default: schema/supergraph.graphql)

A grant is covered when some test's decision names it: it released the field, or may release it
on a row. One that only refused tests counts as tested the other way, not as covered.

exit codes: 0 all passed (and coverage ≥ N), 1 a test failed, coverage below N or policy invalid, 2 bad arguments
`;

/** The coverage section of the text output. */
export function formatCoverage(c: CoverageReport): string {
  const lines = ['', `grant coverage: ${c.covered}/${c.total} grants (${c.percent} %)`];
  for (const a of c.agreements) lines.push(`  ${a.percent === 100 ? 'ok  ' : 'GAP '} ${a.agreement}: ${a.covered}/${a.total}`);
  const gaps = c.grants.filter((g) => !g.covered);
  if (gaps.length > 0) {
    lines.push('grants no test names:');
    for (const g of gaps) lines.push(`  ${g.grant} (${g.source})${g.refusedIn.length ? ` — only refused in ${g.refusedIn.length} test(s)` : ''}`);
  }
  return `${lines.join('\n')}\n`;
}

/** JUnit XML: a testsuite per test file, a testcase per case, the coverage as properties. */
export function toJunit(report: PolicyTestReport, coverage: CoverageReport | undefined): string {
  const x = (s: string) => escapeHtml(s);
  const byFile = new Map<string, PolicyTestReport['results'][number][]>();
  for (const r of report.results) byFile.set(r.case.file, [...(byFile.get(r.case.file) ?? []), r]);
  const suites = [...byFile].map(([file, results]) => {
    const failures = results.filter((r) => !r.passed).length;
    const cases = results.map((r) =>
      r.passed
        ? `    <testcase classname="${x(file)}" name="${x(r.case.name)}"><system-out>${x(r.actual)}</system-out></testcase>`
        : `    <testcase classname="${x(file)}" name="${x(r.case.name)}"><failure message="${x(r.failure ?? '')}">${x(`${r.case.file}:${r.case.line}: ${r.failure ?? ''}`)}</failure></testcase>`,
    );
    return `  <testsuite name="${x(file)}" tests="${results.length}" failures="${failures}" errors="0" skipped="0">\n${cases.join('\n')}\n  </testsuite>`;
  });
  const props = coverage
    ? `  <properties>\n    <property name="grant-coverage-percent" value="${coverage.percent}"/>\n    <property name="grants-covered" value="${coverage.covered}"/>\n    <property name="grants-total" value="${coverage.total}"/>\n${coverage.grants.filter((g) => !g.covered).map((g) => `    <property name="uncovered-grant" value="${x(g.grant)}"/>`).join('\n')}\n  </properties>\n`
    : '';
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="pactum policy test" tests="${report.results.length}" failures="${report.failed}">\n${props}${suites.join('\n')}\n</testsuites>\n`;
}

/** Runs `pactum policy test`. */
export async function runPolicyTest(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      coverage: { type: 'boolean' },
      'min-coverage': { type: 'string' },
      json: { type: 'boolean' },
      junit: { type: 'string' },
      ...POLICY_COMMON_OPTIONS,
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(TEST_HELP);
    return 0;
  }
  const min = values['min-coverage'] === undefined ? undefined : Number(values['min-coverage']);
  if (min !== undefined && (!Number.isFinite(min) || min < 0 || min > 100)) throw new UsageError(`--min-coverage must be a percentage from 0 to 100, not "${values['min-coverage']}"`);
  const policy = loadCliPolicy(values);
  const report = runPolicyTests(join(policyDir(values), 'tests'), policy);
  const coverage = values.coverage || min !== undefined ? grantCoverage(policy.model, report) : undefined;
  if (values.junit !== undefined) writeFileSync(resolve(values.junit), toJunit(report, coverage));
  if (values.json) {
    const results = report.results.map((r) => ({ name: r.case.name, file: r.case.file, line: r.case.line, passed: r.passed, actual: r.actual, ...(r.failure ? { failure: r.failure } : {}) }));
    process.stdout.write(`${JSON.stringify({ policyVersion: policy.version, passed: report.passed, failed: report.failed, results, ...(coverage ? { coverage } : {}) }, null, 2)}\n`);
  } else {
    process.stdout.write(`${report.format()}\n${coverage ? formatCoverage(coverage) : ''}`);
  }
  if (report.failed > 0) return 1;
  if (min !== undefined && coverage && coverage.percent < min) {
    process.stderr.write(`pactum policy test: grant coverage ${coverage.percent} % is below --min-coverage ${min} %\n`);
    return 1;
  }
  return 0;
}
