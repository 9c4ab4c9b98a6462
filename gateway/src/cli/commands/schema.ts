/**
 * `pactum schema compose|check|api`: regenerate the supergraph and the trusted operations'
 * manifest; check them (stale files, composition, changes against a revision with the shipped
 * operations they break, fields no policy grants, the nullability rule); print the API schema.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { printSchema } from 'graphql';
import {
  agencySubgraphs,
  buildOperationsManifest,
  checkSchema,
  composeSupergraph,
  formatCompositionProblems,
  loadApiSchema,
  loadOperations,
  loadSubgraphRegistry,
  manifestPath,
  serialiseOperationsManifest,
  supergraphPath,
  type ClassifiedChange,
} from '@pactum/schema';
import { listUnmentionedFields, loadPolicy } from '../../policy';

const HELP = `usage: pactum schema <compose|check|api> [options]

  compose   compose the subgraphs and write schema/supergraph.graphql and
            schema/operations/manifest.json (the trusted operations by id)
  check     compose the working tree's subgraphs and report: composition errors, the
            nullability rule, changes against a base supergraph classified breaking /
            dangerous / safe with the shipped operations each breaking change breaks,
            new fields no policy grants (they will be denied), stale committed files
              --against <git-rev>  base: schema/supergraph.graphql at that revision
                                   (default: the committed file in the working tree,
                                   and then any difference means it is stale)
  api       print the API schema clients see (no join__/link__ machinery), for codegen
              --out <file>         write it to a file instead

exit codes (check): 0 no problem (dangerous and safe changes, ungranted fields are reported),
  1 a problem (composition, breaking change, operation broken, nullability rule, policy
  invalid against the new schema, stale file), 2 bad usage or an unknown revision
`;

/** A revision as git names one: no option-looking text, no whitespace or control characters. */
const REVISION = /^(?!-)[A-Za-z0-9._/~^@{}:+-]{1,200}$/;

function readAt(root: string, rev: string): string {
  return execFileSync('git', ['-C', root, 'show', `${rev}:schema/supergraph.graphql`], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 * 1024 * 1024 });
}

function line(c: ClassifiedChange): string {
  const breaks = c.breaks.length > 0 ? `\n      breaks shipped operation${c.breaks.length > 1 ? 's' : ''}: ${c.breaks.join(', ')}` : '';
  return `  ${c.type.padEnd(24)} ${c.description}${breaks}`;
}

function runCheck(values: { against?: string }): number {
  const out = (s: string) => process.stdout.write(`${s}\n`);
  const registry = loadSubgraphRegistry();
  let baseSdl: string;
  let baseName: string;
  if (values.against !== undefined) {
    if (!REVISION.test(values.against)) {
      process.stderr.write(`pactum schema check: --against ${JSON.stringify(values.against.slice(0, 60))}: not a git revision\n`);
      return 2;
    }
    try {
      baseSdl = readAt(registry.root, values.against);
    } catch (err) {
      const detail = (err as { stderr?: string }).stderr?.trim().split('\n')[0] ?? (err as Error).message;
      process.stderr.write(`pactum schema check: no schema/supergraph.graphql at ${values.against} (${detail})\n`);
      return 2;
    }
    baseName = `schema/supergraph.graphql at ${values.against}`;
  } else {
    const committed = path.join(registry.root, 'schema', 'supergraph.graphql');
    baseSdl = fs.existsSync(committed) ? fs.readFileSync(committed, 'utf8') : '';
    baseName = 'the committed schema/supergraph.graphql';
  }

  const subgraphs = agencySubgraphs(registry);
  const report = checkSchema({ subgraphs, baseSdl, operations: loadOperations() });
  if (!report.ok) {
    out(`composition of ${subgraphs.length} subgraphs: FAILED`);
    out(formatCompositionProblems(report.compositionErrors));
    return 1;
  }
  let problems = 0;
  out(`composition of ${subgraphs.length} subgraphs (${subgraphs.map((s) => s.name).join(', ')}): ok`);
  out(`changes against ${baseName}:`);
  for (const level of ['breaking', 'dangerous', 'safe'] as const) {
    const changes = report.changes.filter((c) => c.level === level);
    out(`${level} (${changes.length})${changes.length > 0 ? ':' : ''}`);
    for (const c of changes) out(line(c));
    if (level === 'breaking') problems += changes.length;
  }
  const invalid = Object.entries(report.invalidOperations);
  if (invalid.length > 0) {
    out(`shipped operations that no longer validate (${invalid.length}):`);
    for (const [name, errors] of invalid) out(`  ${name}: ${errors.join('; ')}`);
    problems += invalid.length;
  }
  const nullability = Object.entries(report.nullability);
  if (nullability.length > 0) {
    out('nullability rule (subgraphs/README.md): a field a policy may deny must be nullable, or its null wipes the parent:');
    for (const [name, fields] of nullability) out(`  ${name}: ${fields.join(', ')} declared non-null`);
    problems += nullability.length;
  }
  const policyDir = process.env.PACTUM_POLICY_DIR ? path.resolve(process.env.PACTUM_POLICY_DIR) : path.join(registry.root, 'policies');
  try {
    const policy = loadPolicy({ dir: policyDir, supergraphSdl: report.sdl });
    const unmentioned = new Set(listUnmentionedFields(policy));
    const ungranted = report.newFields.filter((f) => unmentioned.has(f));
    if (ungranted.length > 0) {
      out(`new fields no policy grants (${ungranted.length}): they will be denied to everyone until an agreement grants them:`);
      for (const f of ungranted) out(`  ${f}`);
    }
  } catch (err) {
    out(`policy (${path.relative(process.cwd(), policyDir) || '.'}) is invalid against the new supergraph:\n  ${(err as Error).message.split('\n').join('\n  ')}`);
    problems++;
  }
  if (values.against === undefined && baseSdl !== report.sdl) {
    out('schema/supergraph.graphql is stale: run `npm run compose` and commit it');
    problems++;
  }
  const manifest = serialiseOperationsManifest(buildOperationsManifest());
  if ((fs.existsSync(manifestPath) ? fs.readFileSync(manifestPath, 'utf8') : undefined) !== manifest) {
    out('schema/operations/manifest.json is stale: run `npm run compose` and commit it');
    problems++;
  }
  out(problems === 0 ? 'schema check: ok' : `schema check: ${problems} problem${problems > 1 ? 's' : ''}`);
  return problems === 0 ? 0 : 1;
}

export async function runSchemaCommand(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub !== 'compose' && sub !== 'check' && sub !== 'api') {
    process.stdout.write(HELP);
    return sub === '--help' || sub === '-h' ? 0 : 2;
  }
  let values: { against?: string; out?: string };
  try {
    values = parseArgs({ args: rest, strict: true, options: sub === 'check' ? { against: { type: 'string' } } : sub === 'api' ? { out: { type: 'string' } } : {} }).values;
  } catch (err) {
    process.stderr.write(`pactum schema ${sub}: ${(err as Error).message}\n`);
    return 2;
  }
  if (sub === 'check') return runCheck(values);
  if (sub === 'api') {
    const sdl = `${printSchema(loadApiSchema())}\n`;
    if (values.out) {
      fs.mkdirSync(path.dirname(path.resolve(values.out)), { recursive: true });
      fs.writeFileSync(path.resolve(values.out), sdl);
      process.stdout.write(`wrote ${values.out}\n`);
    } else process.stdout.write(sdl);
    return 0;
  }
  const result = composeSupergraph();
  if ('errors' in result) {
    process.stderr.write(`${formatCompositionProblems(result.errors)}\n`);
    return 1;
  }
  fs.writeFileSync(supergraphPath, result.sdl);
  process.stdout.write(`wrote ${supergraphPath}\n`);
  fs.writeFileSync(manifestPath, serialiseOperationsManifest(buildOperationsManifest()));
  process.stdout.write(`wrote ${manifestPath}\n`);
  return 0;
}
