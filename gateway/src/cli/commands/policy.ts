/**
 * `pactum policy …`: the compliance officer's tools. `check` (here) validates the policy against
 * the supergraph and lists fields no policy mentions; every other subcommand has its own file
 * (`policy-<name>.ts`) with its own options and `--help`.
 */
import { parseArgs } from 'node:util';
import { listUnmentionedFields } from '../../policy';
import { loadCliPolicy, UsageError } from './policy-options';

const HELP = `usage: pactum policy <check|test|explain|access|diff|lint> [options]

  check     validate the policy files against the supergraph; list fields no policy mentions
  test      run the policy tests in <dir>/tests (--coverage: grants no test names)
  explain   explain one decision, or every field of an operation file
  access    who may see what: every agency × purpose × profile, every field (Markdown, JSON, HTML)
  diff      what the change to the policy files since a git revision does to effective access
  lint      what is unusual though valid: expiring agreements, shadowed grants, …

Run \`pactum policy <subcommand> --help\` for its options. Common options:
  --dir <path>          policy directory (default: <repo>/policies)
  --supergraph <file>   supergraph SDL (default: schema/supergraph.graphql)

exit codes: 0 ok, 1 policy invalid / tests failed / findings, 2 bad arguments
`;

const OPTIONS = {
  dir: { type: 'string' },
  supergraph: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** Subcommands with their own file (and their own options). */
const SUBCOMMANDS: Record<string, () => Promise<(argv: string[]) => Promise<number>>> = {
  access: async () => (await import('./policy-access')).runPolicyAccess,
  diff: async () => (await import('./policy-diff')).runPolicyDiff,
  lint: async () => (await import('./policy-lint')).runPolicyLint,
  test: async () => (await import('./policy-test')).runPolicyTest,
  explain: async () => (await import('./policy-explain')).runPolicyExplain,
};

/** Runs a subcommand of {@link SUBCOMMANDS}: a usage mistake exits 2, an invalid policy 1. */
async function runSubcommand(name: string, argv: string[]): Promise<number> {
  const load = SUBCOMMANDS[name];
  if (!load) return 2;
  const run = await load();
  try {
    return await run(argv);
  } catch (error) {
    // parseArgs' errors carry a code (ERR_PARSE_ARGS_*); matched by code, not class, across realms.
    const usage = error instanceof UsageError || String((error as { code?: unknown } | null)?.code).startsWith('ERR_PARSE_ARGS');
    if (usage) {
      process.stderr.write(`pactum policy ${name}: ${(error as Error).message}\n(run \`pactum policy ${name} --help\` for its options)\n`);
      return 2;
    }
    if (error instanceof Error) {
      process.stderr.write(`pactum policy ${name}: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
}

/** Runs `pactum policy …`; returns the exit code (0 ok, 1 policy invalid / tests failed, 2 usage). */
export async function runPolicyCommand(argv: string[]): Promise<number> {
  if (argv[0] !== undefined && Object.hasOwn(SUBCOMMANDS, argv[0])) return runSubcommand(argv[0], argv.slice(1));
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    process.stderr.write(`pactum policy: ${(error as Error).message}\n\n${HELP}`);
    return 2;
  }
  const { values, positionals } = parsed;
  const [sub] = positionals;
  if (values.help || !sub) {
    process.stdout.write(HELP);
    return values.help ? 0 : 2;
  }
  try {
    if (sub === 'check') {
      const policy = loadCliPolicy(values);
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
    process.stderr.write(`pactum policy: unknown subcommand "${sub}"\n\n${HELP}`);
    return 2;
  } catch (error) {
    if (error instanceof Error) {
      process.stderr.write(`pactum policy: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
}
