/**
 * `pactum policy diff <git-rev>`: the policy directory as it was at a revision is written to a
 * temporary folder (`git ls-tree` + `git show`, nothing checked out), both it and the working
 * tree's policy are compiled, and their effective access compared by `diffPolicies`.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import { diffPolicies, type LoadedPolicy } from '../../policy';
import { policyDiffToMarkdown } from '../policy-reports/diff-markdown';
import { loadCliPolicy, parseAt, POLICY_COMMON_OPTIONS, policyDir, UsageError } from './policy-options';

export const DIFF_HELP = `usage: pactum policy diff <git-rev> [--at <ISO time>] [--json] [--exit-code]

What the change to the policy files since <git-rev> (a commit, branch or tag) does to effective
access: which (agency, purpose, profile, field) gain or lose access, which row conditions
changed, which agreements changed validity. Computed from the two compiled policies, against
the same supergraph. Markdown (paste it as a review comment) or --json.

  --at <time>           decide both at this instant (default: now)
  --json                the changes as JSON
  --exit-code           exit 1 when effective access changed (as git diff --exit-code)
  --dir <path>          policy directory (default: <repo>/policies)
  --supergraph <file>   supergraph SDL (default: schema/supergraph.graphql)

exit codes: 0 done (or no change with --exit-code), 1 a policy is invalid (or changes with --exit-code), 2 bad arguments or unknown revision
`;

const git = (cwd: string, args: string[]): Buffer => execFileSync('git', args, { cwd, stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 * 1024 * 1024 });

/** Writes the files under `dir` as they were at `rev` into a fresh temporary folder; returns it. */
export function checkoutPolicyAt(dir: string, rev: string): string {
  let top: string;
  try {
    top = git(dir, ['rev-parse', '--show-toplevel']).toString().trim();
  } catch {
    throw new UsageError(`${dir} is not inside a git repository`);
  }
  if (rev.startsWith('-')) throw new UsageError(`not a revision: ${rev}`);
  try {
    git(top, ['rev-parse', '--verify', '--quiet', `${rev}^{commit}`]);
  } catch {
    throw new UsageError(`unknown revision "${rev}"`);
  }
  const prefix = relative(top, dir);
  const names = git(top, ['ls-tree', '-r', '-z', '--name-only', rev, '--', prefix]).toString().split('\0').filter(Boolean);
  if (names.length === 0) throw new UsageError(`${prefix || '.'} has no files at ${rev}`);
  const out = mkdtempSync(join(tmpdir(), 'pactum-policy-at-'));
  for (const name of names) {
    const target = join(out, relative(prefix, name));
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, git(top, ['show', `${rev}:${name}`]));
  }
  return out;
}

/** Runs `pactum policy diff`. */
export async function runPolicyDiff(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: {
      at: { type: 'string' },
      json: { type: 'boolean' },
      'exit-code': { type: 'boolean' },
      ...POLICY_COMMON_OPTIONS,
    },
    allowPositionals: true,
    strict: true,
  });
  if (values.help) {
    process.stdout.write(DIFF_HELP);
    return 0;
  }
  const [rev, extra] = positionals;
  if (rev === undefined || extra !== undefined) throw new UsageError('needs exactly one git revision');
  const at = parseAt(values.at);
  const dir = policyDir(values);
  const old = checkoutPolicyAt(dir, rev);
  let before: LoadedPolicy;
  try {
    try {
      before = loadCliPolicy({ ...values, dir: old }, at);
    } catch (error) {
      throw new Error(`the policy at ${rev} does not load: ${(error as Error).message.split(old).join(`${rev}:`)}`);
    }
  } finally {
    rmSync(old, { recursive: true, force: true });
  }
  const after = loadCliPolicy(values, at);
  const diff = diffPolicies(before, after, at);
  process.stdout.write(values.json ? `${JSON.stringify({ revision: rev, ...diff }, null, 2)}\n` : policyDiffToMarkdown(diff, `${rev} → working tree`));
  if (values['exit-code'] && (diff.changes.length > 0 || diff.agreements.length > 0)) return 1;
  return 0;
}
