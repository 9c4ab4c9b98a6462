/**
 * `pactum policy explain`: the story of one decision (`Type.field`, optionally on a row label),
 * or of every field an operation selects (`--operation file.graphql`). Every name given — agency,
 * purpose, roles, clearance, type, field, the label's agencies — must be one the policy knows:
 * a misspelt one is refused with the nearest valid name, never answered as if it were real.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { Kind, parse, validate, type GraphQLSchema } from 'graphql';
import { loadApiSchema, loadSupergraphSdl } from '@pactum/schema';
import { decideOperation, didYouMean, type Explanation, type LoadedPolicy, type RowLabel } from '../../policy';
import { checkNames, list, loadCliPolicy, parseAt, POLICY_COMMON_OPTIONS, UsageError } from './policy-options';

export const EXPLAIN_HELP = `usage: pactum policy explain --agency A --purpose P [--roles r1,r2] [--clearance C] [--cases X,Y]
                             [--at <ISO time>] [--case-ref R --justification T] (Type.field [--label '<json>'] | --operation <file.graphql> [--operation-name N]) [--json]

  pactum policy explain --agency BE-POLICE --roles investigator --clearance CONFIDENTIAL \\
    --purpose drug-trafficking Seizure.quantityKg \\
    --label '{"owner":"NL-CUSTOMS","handling":["H0"],"releasableTo":["BE-POLICE"],"caseRefs":[],"europolSupport":false}'
  pactum policy explain --agency NL-CUSTOMS --roles customs-officer --clearance CONFIDENTIAL \\
    --purpose drug-trafficking --operation schema/operations/ContainerDossier.graphql

Unknown agencies, purposes, roles, clearances, types and fields are refused with a did-you-mean.

exit codes: 0 explained, 1 policy invalid, 2 bad arguments or unknown name
`;

function parseLabel(text: string, agencies: readonly string[]): RowLabel {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`--label is not JSON: ${(error as Error).message}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new UsageError('--label must be a JSON object');
  const o = value as Record<string, unknown>;
  const strings = (k: string): string[] => {
    const v = o[k] ?? [];
    if (!Array.isArray(v) || !v.every((x) => typeof x === 'string')) throw new UsageError(`--label: "${k}" must be a list of strings`);
    return v;
  };
  if (typeof o.owner !== 'string') throw new UsageError('--label: "owner" (agency id) is required');
  checkNames('--label owner', 'agency', [o.owner], agencies);
  const releasableTo = strings('releasableTo');
  checkNames('--label releasableTo', 'agency', releasableTo, agencies);
  return {
    owner: o.owner,
    handling: strings('handling'),
    handlingNote: typeof o.handlingNote === 'string' ? o.handlingNote : null,
    releasableTo,
    caseRefs: strings('caseRefs'),
    europolSupport: o.europolSupport === true,
    ...(() => {
      if (o.origin === undefined || o.origin === null) return {};
      if (typeof o.origin !== 'string') throw new UsageError('--label: "origin" must be an agency id or null');
      checkNames('--label origin', 'agency', [o.origin], agencies);
      return { origin: o.origin };
    })(),
  };
}

/** The text form of an explanation (what `explain` prints). */
export function formatExplanation(e: Explanation): string {
  const head =
    e.effect === 'allow'
      ? `RELEASED ${e.coordinate} by ${e.grant?.agreement} / ${e.grant?.grant}`
      : e.effect === 'deny'
        ? `DENIED ${e.coordinate}: ${e.reason}${e.rowVisible === false ? ` (whole row withheld${e.rowSecret ? ', existence secret' : ''})` : ''}`
        : `CONDITIONAL ${e.coordinate}: released only on rows whose label passes (give --label to decide)`;
  const steps = e.steps.map((s) => `  - ${s.agreement}${s.grant ? ` / ${s.grant}` : ''}: ${s.outcome} — ${s.detail}`);
  return [head, `  owner: ${e.owner ?? '(none)'}   policy version: ${e.policyVersion}`, ...steps].join('\n');
}

/** `Type.field` of the supergraph, or a {@link UsageError} with the nearest type / field. */
function checkCoordinate(policy: LoadedPolicy, coordinate: string): [string, string] {
  const match = /^([A-Za-z_]\w*)\.([A-Za-z_]\w*)$/.exec(coordinate);
  if (!match) throw new UsageError(`not a Type.field coordinate: "${coordinate}"`);
  const [, typeName = '', fieldName = ''] = match;
  const types = policy.model.supergraph.types;
  const type = types.get(typeName);
  if (!type) throw new UsageError(`unknown type "${typeName}"${didYouMean(typeName, types.keys())}`);
  if (!type.fields.has(fieldName) && !fieldName.startsWith('__')) {
    throw new UsageError(`unknown field "${typeName}.${fieldName}"${didYouMean(fieldName, type.fields.keys())}`);
  }
  return [typeName, fieldName];
}

/** The operation in `file` (named `name` when it holds several), validated against the API schema. */
function readOperation(file: string, name: string | undefined, schema: GraphQLSchema): { source: string; name: string } {
  let source: string;
  try {
    source = readFileSync(resolve(file), 'utf8');
  } catch (error) {
    throw new UsageError(`--operation: cannot read ${file}: ${(error as Error).message}`);
  }
  let doc;
  try {
    doc = parse(source);
  } catch (error) {
    throw new UsageError(`--operation ${file}: ${(error as Error).message}`);
  }
  const errors = validate(schema, doc);
  if (errors.length > 0) throw new UsageError(`--operation ${file}: ${errors.map((e) => e.message).join('; ')}`);
  const names = doc.definitions.flatMap((d) => (d.kind === Kind.OPERATION_DEFINITION && d.name ? [d.name.value] : []));
  const chosen = name ?? (names.length === 1 ? names[0] : undefined);
  if (chosen === undefined) throw new UsageError(`--operation ${file}: ${names.length === 0 ? 'give the operation a name' : `holds ${names.join(', ')}: pick one with --operation-name`}`);
  if (!names.includes(chosen)) throw new UsageError(`--operation-name: no operation "${chosen}" in ${file}${didYouMean(chosen, names)}`);
  return { source, name: chosen };
}

/** Runs `pactum policy explain`. */
export async function runPolicyExplain(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: {
      agency: { type: 'string' },
      roles: { type: 'string' },
      clearance: { type: 'string' },
      purpose: { type: 'string' },
      cases: { type: 'string' },
      'case-ref': { type: 'string' },
      justification: { type: 'string' },
      at: { type: 'string' },
      label: { type: 'string' },
      operation: { type: 'string' },
      'operation-name': { type: 'string' },
      json: { type: 'boolean' },
      ...POLICY_COMMON_OPTIONS,
    },
    allowPositionals: true,
    strict: true,
  });
  if (values.help) {
    process.stdout.write(EXPLAIN_HELP);
    return 0;
  }
  const coordinate = positionals[0];
  if (!values.agency || !values.purpose || (coordinate === undefined) === (values.operation === undefined) || positionals.length > 1) {
    throw new UsageError('needs --agency, --purpose and one Type.field (or --operation <file>)');
  }
  const at = parseAt(values.at);
  const policy = loadCliPolicy(values, at);
  const { catalogue } = policy.model;
  const roles = list(values.roles);
  checkNames('--agency', 'agency', [values.agency], catalogue.agencies);
  checkNames('--purpose', 'purpose', [values.purpose], catalogue.purposes);
  checkNames('--roles', 'role', roles, catalogue.roles);
  if (values.clearance !== undefined) checkNames('--clearance', 'clearance level', [values.clearance], catalogue.clearanceLevels);
  const principal = {
    subject: 'policy-explain',
    agency: values.agency,
    issuer: 'policy-explain',
    roles: new Set(roles),
    clearance: values.clearance ?? '',
    purposes: new Set([values.purpose]),
    cases: new Set(list(values.cases)),
  };
  // A derogation (docs/transfers.md) reads the request's case reference and justification.
  const purpose = {
    code: values.purpose,
    ...(values['case-ref'] !== undefined ? { caseRef: values['case-ref'] } : {}),
    ...(values.justification !== undefined ? { justification: values.justification } : {}),
  };

  if (values.operation !== undefined) {
    if (values.label !== undefined) throw new UsageError('--label explains one field; with --operation the decisions are before any row is read');
    const schema = loadApiSchema(values.supergraph ? readFileSync(resolve(values.supergraph), 'utf8') : loadSupergraphSdl());
    const op = readOperation(values.operation, values['operation-name'], schema);
    const decisions = decideOperation(schema, op.source, op.name, policy.profileFor(principal, purpose, at));
    const rows = [...decisions].map(([path, d]) => ({
      path,
      coordinate: d.coordinate,
      effect: d.effect,
      ...(d.effect === 'allow' ? { grant: `${d.grant.agreement}/${d.grant.grant}` } : {}),
      ...(d.effect === 'deny' ? { reason: d.reason } : {}),
    }));
    if (values.json) {
      process.stdout.write(`${JSON.stringify({ operation: op.name, policyVersion: policy.version, at: at.toISOString(), fields: rows }, null, 2)}\n`);
      return 0;
    }
    const text = rows.map((r) =>
      r.effect === 'allow' ? `  RELEASED     ${r.path} (${r.coordinate}) by ${r.grant}` : r.effect === 'deny' ? `  DENIED       ${r.path} (${r.coordinate}): ${r.reason}` : `  CONDITIONAL  ${r.path} (${r.coordinate}): on rows whose label passes`,
    );
    const n = (e: string) => rows.filter((r) => r.effect === e).length;
    process.stdout.write(`${op.name} as ${values.agency} for ${values.purpose} (policy ${policy.version}, at ${at.toISOString()}):\n${text.join('\n')}\n${n('allow')} released, ${n('allow-if-row')} conditional, ${n('deny')} denied — explain one with: pactum policy explain … <Type.field>\n`);
    return 0;
  }
  const [typeName, fieldName] = checkCoordinate(policy, coordinate ?? '');
  const label = values.label !== undefined ? parseLabel(values.label, catalogue.agencies) : undefined;
  const e = policy.explain(principal, purpose, at, typeName, fieldName, label);
  process.stdout.write(`${values.json ? JSON.stringify(e, null, 2) : formatExplanation(e)}\n`);
  return 0;
}
