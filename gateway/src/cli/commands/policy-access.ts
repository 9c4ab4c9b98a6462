/**
 * `pactum policy access`: the effective access of every agency × purpose × access profile, for
 * every field, as Markdown, JSON or a standalone HTML report — asked of the compiled policy.
 */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { computeAccessMatrix } from '../../policy';
import { accessMatrixToHtml } from '../policy-reports/access-html';
import { accessMatrixToMarkdown } from '../policy-reports/access-markdown';
import { checkNames, list, loadCliPolicy, parseAt, POLICY_COMMON_OPTIONS, UsageError } from './policy-options';

export const ACCESS_HELP = `usage: pactum policy access [--agency A[,B]] [--purpose P[,Q]] [--at <ISO time>] [--json | --html <file>]

What each agency may see, for each purpose and access profile (a role at a clearance level):
every field allowed (by which grant), conditional on the row (which condition) or denied (why).

  --agency <ids>        only these agencies (e.g. --agency BE-POLICE: what may BE-POLICE see)
  --purpose <codes>     only these purposes
  --at <time>           decide at this instant (default: now)
  --json                the matrix as JSON
  --html <file>         write a standalone HTML report (filters, click a cell for its grant)
  --dir <path>          policy directory (default: <repo>/policies)
  --supergraph <file>   supergraph SDL (default: schema/supergraph.graphql)

exit codes: 0 done, 1 policy invalid, 2 bad arguments
`;

/** Runs `pactum policy access`. */
export async function runPolicyAccess(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      agency: { type: 'string' },
      purpose: { type: 'string' },
      at: { type: 'string' },
      json: { type: 'boolean' },
      html: { type: 'string' },
      ...POLICY_COMMON_OPTIONS,
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(ACCESS_HELP);
    return 0;
  }
  if (values.json && values.html !== undefined) throw new UsageError('--json and --html exclude each other');
  const at = parseAt(values.at);
  const policy = loadCliPolicy(values, at);
  const agencies = list(values.agency);
  const purposes = list(values.purpose);
  checkNames('--agency', 'agency', agencies, policy.model.catalogue.agencies);
  checkNames('--purpose', 'purpose', purposes, policy.model.catalogue.purposes);
  const matrix = computeAccessMatrix(policy, { at, ...(agencies.length ? { agencies } : {}), ...(purposes.length ? { purposes } : {}) });
  if (values.html !== undefined) {
    const file = resolve(values.html);
    writeFileSync(file, accessMatrixToHtml(matrix));
    process.stdout.write(`wrote ${file}: ${matrix.classes.length} profiles × ${matrix.fields.length} fields (policy ${matrix.policyVersion})\n`);
    return 0;
  }
  process.stdout.write(values.json ? `${JSON.stringify(matrix, null, 2)}\n` : accessMatrixToMarkdown(matrix));
  return 0;
}
