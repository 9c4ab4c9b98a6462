/**
 * `pactum policy lint`: findings that are valid policy but unusual, as text or JSON, with an
 * exit code CI can use (`--fail-on`).
 */
import { parseArgs } from 'node:util';
import { lintPolicy, LINT_SEVERITY, listUnmentionedFields, type LintFinding } from '../../policy';
import { list, loadCliPolicy, parseAt, POLICY_COMMON_OPTIONS, UsageError } from './policy-options';

export const LINT_HELP = `usage: pactum policy lint [--fail-on warning|notice|never] [--days N] [--at <ISO time>] [--json]

What is unusual though valid:
  warning  agreement-expired            an agreement whose validity ended (it grants nothing)
  warning  agreement-expiring           an agreement ending within --days (default 90)
  notice   agreement-not-yet-valid      an agreement that has not started
  warning  grant-never-applies          no profile of its recipients is ever released anything under it
  warning  grant-shadowed               removing it changes no one's access (a broader grant covers it)
  warning  personal-data-without-clearance  a personal-data field reaches a principal holding no clearance
  notice   field-unmentioned            a supergraph field no agreement mentions (denied to everyone)
  notice   h3-without-rule              H3 rows of a shared type that no grant has a rule for (owner only)

  --fail-on <level>     exit 1 when a finding of this level or above exists (default: warning)
  --days <N>            "expiring" horizon in days (default 90)
  --accept <k:subject>  findings reviewed and accepted (comma-separated kind:subject, e.g.
                        agreement-expired:nl-customs-to-nl-fiod-pilot): listed, never failing
  --at <time>           lint as of this instant (default: now)
  --json                the findings as JSON
  --dir <path>          policy directory (default: <repo>/policies)
  --supergraph <file>   supergraph SDL (default: schema/supergraph.graphql)

exit codes: 0 nothing at --fail-on level, 1 findings at that level or the policy is invalid, 2 bad arguments
`;

/** Runs `pactum policy lint`. */
export async function runPolicyLint(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      'fail-on': { type: 'string' },
      days: { type: 'string' },
      accept: { type: 'string' },
      at: { type: 'string' },
      json: { type: 'boolean' },
      ...POLICY_COMMON_OPTIONS,
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(LINT_HELP);
    return 0;
  }
  const failOn = values['fail-on'] ?? 'warning';
  if (!['warning', 'notice', 'never'].includes(failOn)) throw new UsageError(`--fail-on must be warning, notice or never, not "${failOn}"`);
  const days = values.days === undefined ? 90 : Number(values.days);
  if (!Number.isInteger(days) || days < 0) throw new UsageError(`--days must be a whole number of days, not "${values.days}"`);
  const now = parseAt(values.at);
  const policy = loadCliPolicy(values, now);
  const findings = lintPolicy(policy, { now, expiringWithinDays: days, unmentionedFields: listUnmentionedFields(policy) });
  const accepted = new Set(list(values.accept));
  for (const a of accepted) {
    const kind = a.slice(0, a.indexOf(':'));
    if (a.indexOf(':') < 1 || !Object.hasOwn(LINT_SEVERITY, kind)) throw new UsageError(`--accept: "${a}" is not <kind>:<subject> with a kind of ${Object.keys(LINT_SEVERITY).join(', ')}`);
    if (!findings.some((f) => `${f.kind}:${f.subject}` === a)) throw new UsageError(`--accept: no finding ${a} (accepting what is not there hides the day it comes back)`);
  }
  const isAccepted = (f: LintFinding) => accepted.has(`${f.kind}:${f.subject}`);
  const failing = findings.filter((f) => !isAccepted(f) && failOn !== 'never' && (failOn === 'notice' || f.severity === 'warning'));
  if (values.json) {
    process.stdout.write(`${JSON.stringify({ policyVersion: policy.version, at: now.toISOString(), findings: findings.map((f) => ({ ...f, accepted: isAccepted(f) })) }, null, 2)}\n`);
  } else {
    process.stdout.write(formatFindings(findings, policy.version, isAccepted));
  }
  return failing.length > 0 ? 1 : 0;
}

/** One line per finding, warnings first, then a count. */
export function formatFindings(findings: readonly LintFinding[], version: string, isAccepted: (f: LintFinding) => boolean = () => false): string {
  const sorted = [...findings].sort((a, b) => (a.severity === b.severity ? 0 : a.severity === 'warning' ? -1 : 1));
  const lines = sorted.map((f) => `${f.severity.padEnd(7)} ${f.kind}  ${f.subject}${f.source ? ` (${f.source})` : ''}: ${f.message}${isAccepted(f) ? ' [accepted]' : ''}`);
  const w = findings.filter((f) => f.severity === 'warning').length;
  lines.push(`${w} warning${w === 1 ? '' : 's'}, ${findings.length - w} notice${findings.length - w === 1 ? '' : 's'} (policy ${version})`);
  return `${lines.join('\n')}\n`;
}
