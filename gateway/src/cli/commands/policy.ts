/**
 * `pactum policy check|test|explain`: the compliance officer's tools. `check` validates the
 * policy against the supergraph and lists fields no policy mentions; `test` runs
 * `policies/tests/`; `explain` tells the story of one decision.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { loadSupergraphSdl } from '@pactum/schema';
import { repoRoot } from '../../auth';
import { PactumError } from '../../errors';
import { listUnmentionedFields, loadPolicy, runPolicyTests, type Explanation, type LoadedPolicy, type RowLabel } from '../../policy';

const HELP = `usage: pactum policy <check|test|explain> [options]

  check     validate the policy files against the supergraph; list fields no policy mentions
  test      run the policy tests in <dir>/tests
  explain   explain one decision:
              pactum policy explain --agency BE-POLICE --roles investigator --clearance CONFIDENTIAL \\
                --purpose drug-trafficking [--cases JIT-2024-07] [--at 2026-06-01T12:00:00Z] \\
                Seizure.quantityKg [--label '{"owner":"NL-CUSTOMS","handling":["H0"],"releasableTo":["BE-POLICE"],"caseRefs":[],"europolSupport":false}'] [--json]

options:
  --dir <path>          policy directory (default: <repo>/policies)
  --supergraph <file>   supergraph SDL (default: schema/supergraph.graphql)
`;

const OPTIONS = {
  dir: { type: 'string' },
  supergraph: { type: 'string' },
  agency: { type: 'string' },
  roles: { type: 'string' },
  clearance: { type: 'string' },
  purpose: { type: 'string' },
  cases: { type: 'string' },
  at: { type: 'string' },
  label: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

const list = (s: string | undefined): string[] => (s ? s.split(',').map((x) => x.trim()).filter(Boolean) : []);

function load(values: { dir?: string; supergraph?: string }): LoadedPolicy {
  const dir = values.dir ? resolve(values.dir) : join(repoRoot(), 'policies');
  const supergraphSdl = values.supergraph ? readFileSync(resolve(values.supergraph), 'utf8') : loadSupergraphSdl();
  return loadPolicy({ dir, supergraphSdl });
}

function parseLabel(text: string): RowLabel {
  const value: unknown = JSON.parse(text);
  if (typeof value !== 'object' || value === null) throw new Error('--label must be a JSON object');
  const o = value as Record<string, unknown>;
  const strings = (k: string): string[] => {
    const v = o[k] ?? [];
    if (!Array.isArray(v) || !v.every((x) => typeof x === 'string')) throw new Error(`--label: "${k}" must be a list of strings`);
    return v;
  };
  if (typeof o.owner !== 'string') throw new Error('--label: "owner" (agency id) is required');
  return {
    owner: o.owner,
    handling: strings('handling'),
    handlingNote: typeof o.handlingNote === 'string' ? o.handlingNote : null,
    releasableTo: strings('releasableTo'),
    caseRefs: strings('caseRefs'),
    europolSupport: o.europolSupport === true,
  };
}

function formatExplanation(e: Explanation): string {
  const head =
    e.effect === 'allow'
      ? `RELEASED ${e.coordinate} by ${e.grant?.agreement} / ${e.grant?.grant}`
      : e.effect === 'deny'
        ? `DENIED ${e.coordinate}: ${e.reason}${e.rowVisible === false ? ` (whole row withheld${e.rowSecret ? ', existence secret' : ''})` : ''}`
        : `CONDITIONAL ${e.coordinate}: released only on rows whose label passes (give --label to decide)`;
  const steps = e.steps.map((s) => `  - ${s.agreement}${s.grant ? ` / ${s.grant}` : ''}: ${s.outcome} — ${s.detail}`);
  return [head, `  owner: ${e.owner ?? '(none)'}   policy version: ${e.policyVersion}`, ...steps].join('\n');
}

/** Runs `pactum policy …`; returns the exit code (0 ok, 1 policy invalid / tests failed, 2 usage). */
export async function runPolicyCommand(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    process.stderr.write(`pactum policy: ${(error as Error).message}\n\n${HELP}`);
    return 2;
  }
  const { values, positionals } = parsed;
  const [sub, ...rest] = positionals;
  if (values.help || !sub) {
    process.stdout.write(HELP);
    return values.help ? 0 : 2;
  }
  try {
    if (sub === 'check') {
      const policy = load(values);
      const unmentioned = listUnmentionedFields(policy);
      const lines = [
        `policy ${policy.version} is valid: ${new Set(policy.model.grants.map((g) => g.ref.agreement)).size} agreements, ${policy.model.grants.length} grants`,
        ...policy.warnings.map((w) => `warning: ${w}`),
        unmentioned.length === 0
          ? 'every field of the supergraph is mentioned by some grant'
          : `fields no policy mentions (denied to everyone):\n${unmentioned.map((f) => `  ${f}`).join('\n')}`,
      ];
      process.stdout.write(`${lines.join('\n')}\n`);
      return 0;
    }
    if (sub === 'test') {
      const policy = load(values);
      const dir = values.dir ? resolve(values.dir) : join(repoRoot(), 'policies');
      const report = runPolicyTests(join(dir, 'tests'), policy);
      process.stdout.write(`${report.format()}\n`);
      return report.failed === 0 ? 0 : 1;
    }
    if (sub === 'explain') {
      const coordinate = rest[0];
      const match = coordinate ? /^([A-Za-z_]\w*)\.([A-Za-z_]\w*)$/.exec(coordinate) : null;
      if (!match || !values.agency || !values.purpose) {
        process.stderr.write(`pactum policy explain: needs --agency, --purpose and one Type.field\n\n${HELP}`);
        return 2;
      }
      const at = values.at ? new Date(values.at) : new Date();
      if (Number.isNaN(at.getTime())) {
        process.stderr.write(`pactum policy explain: --at is not a date: ${values.at}\n`);
        return 2;
      }
      const policy = load(values);
      const principal = {
        subject: 'policy-explain',
        agency: values.agency,
        issuer: 'policy-explain',
        roles: new Set(list(values.roles)),
        clearance: values.clearance ?? '',
        purposes: new Set([values.purpose]),
        cases: new Set(list(values.cases)),
      };
      const label = values.label ? parseLabel(values.label) : undefined;
      const e = policy.explain(principal, { code: values.purpose }, at, match[1] ?? '', match[2] ?? '', label);
      process.stdout.write(`${values.json ? JSON.stringify(e, null, 2) : formatExplanation(e)}\n`);
      return 0;
    }
    process.stderr.write(`pactum policy: unknown subcommand "${sub}"\n\n${HELP}`);
    return 2;
  } catch (error) {
    if (error instanceof PactumError || error instanceof SyntaxError || error instanceof Error) {
      process.stderr.write(`pactum policy: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
}
