/**
 * Reads the policy directory: every YAML file parsed with line numbers and checked
 * against its JSON Schema, plus the policy version (a hash of all files that shape
 * decisions, sorted by path). Cross-checks against the supergraph come later
 * (`check-policy.ts`); this step only guarantees the shapes.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import { didYouMean } from './nearest-name';
import { ProblemCollector } from './policy-validation-error';
import {
  agreementSchema,
  classificationSchema,
  fieldGroupsSchema,
  rolesSchema,
  transferBasesSchema,
  type AgreementFile,
  type ClassificationFile,
  type FieldGroupsFile,
  type RolesFile,
  type TransferBasesFile,
} from './policy-file-schemas';
import { parseYamlDocument, YamlSyntaxError, type YamlDocument } from './yaml-document';

/** A schema-valid file with its line lookup. */
export interface Parsed<T> {
  readonly doc: YamlDocument;
  readonly value: T;
}

/** The policy directory, read and shape-checked. */
export interface PolicyFiles {
  readonly dir: string;
  /** sha256 (hex, first 16 chars) of the decision-shaping files' paths and contents. */
  readonly version: string;
  readonly classification: Parsed<ClassificationFile>;
  readonly roles: Parsed<RolesFile>;
  readonly fieldGroups?: Parsed<FieldGroupsFile>;
  /** `transfer-bases.yaml`, when present (without it no transfer to a third country has a basis). */
  readonly transferBases?: Parsed<TransferBasesFile>;
  readonly agreements: readonly Parsed<AgreementFile>[];
}

/** Files (relative to the policy dir) that shape decisions, sorted: what the version hashes. */
export function decisionFiles(dir: string): string[] {
  const top = ['agencies.yaml', 'purposes.yaml', 'classification.yaml', 'roles.yaml', 'field-groups.yaml', 'transfer-bases.yaml'].filter((f) =>
    existsSync(join(dir, f)),
  );
  const agreementsDir = join(dir, 'agreements');
  const agreements = existsSync(agreementsDir)
    ? readdirSync(agreementsDir)
        .filter((f) => f.endsWith('.yaml') || f.endsWith('.yml'))
        .map((f) => `agreements/${f}`)
    : [];
  return [...top, ...agreements].sort();
}

/** Version of the policy in `dir` without validating it (cheap; used by the watcher). */
export function policyVersion(dir: string): string {
  const hash = createHash('sha256');
  for (const rel of decisionFiles(dir)) {
    hash.update(rel).update('\0').update(readFileSync(join(dir, rel))).update('\0');
  }
  return hash.digest('hex').slice(0, 16);
}

const ajv = new Ajv({ allErrors: true, strict: false, verbose: true });
const validators = {
  classification: ajv.compile(classificationSchema),
  roles: ajv.compile(rolesSchema),
  fieldGroups: ajv.compile(fieldGroupsSchema),
  agreement: ajv.compile(agreementSchema),
  transferBases: ajv.compile(transferBasesSchema),
};

/** Path segments of an ajv instancePath (`/grants/1/id` → ['grants', 1, 'id']). */
function segments(instancePath: string): (string | number)[] {
  return instancePath
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

function describe(error: ErrorObject): { path: (string | number)[]; message: string } {
  const path = segments(error.instancePath);
  const where = path.length > 0 ? path.join('.') : '(top level)';
  if (error.keyword === 'additionalProperties') {
    const extra = String((error.params as { additionalProperty?: unknown }).additionalProperty);
    const schemaProps = Object.keys((error.parentSchema as { properties?: object } | undefined)?.properties ?? {});
    return { path: [...path, extra], message: `${where}: unknown key "${extra}"${didYouMean(extra, schemaProps)}` };
  }
  if (error.keyword === 'required') {
    const missing = String((error.params as { missingProperty?: unknown }).missingProperty);
    return { path, message: `${where}: missing required key "${missing}"` };
  }
  if (error.keyword === 'enum' || error.keyword === 'const') {
    const allowed = (error.params as { allowedValues?: unknown[]; allowedValue?: unknown });
    const values = allowed.allowedValues ?? [allowed.allowedValue];
    return { path, message: `${where}: must be ${values.map((v) => JSON.stringify(v)).join(' or ')}` };
  }
  return { path, message: `${where}: ${error.message ?? 'invalid'}` };
}

/** Keeps the most useful errors: drops the `oneOf`/`anyOf` summaries when a precise error exists. */
function usefulErrors(errors: readonly ErrorObject[]): ErrorObject[] {
  const precise = errors.filter((e) => e.keyword !== 'oneOf' && e.keyword !== 'anyOf');
  const chosen = precise.length > 0 ? precise : [...errors];
  const seen = new Set<string>();
  return chosen.filter((e) => {
    const k = `${e.instancePath}|${e.keyword}|${JSON.stringify(e.params)}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

function readOne<T>(
  dir: string,
  rel: string,
  validate: ValidateFunction,
  problems: ProblemCollector,
): Parsed<T> | undefined {
  const shown = `policies/${rel}`;
  let doc: YamlDocument;
  try {
    doc = parseYamlDocument(shown, readFileSync(join(dir, rel), 'utf8'));
  } catch (error) {
    if (error instanceof YamlSyntaxError) {
      problems.add(shown, error.line, 'yaml_syntax', error.message.slice(error.message.indexOf(': ') + 2));
      return undefined;
    }
    throw error;
  }
  if (!validate(doc.value)) {
    for (const e of usefulErrors(validate.errors ?? [])) {
      const { path, message } = describe(e);
      problems.add(shown, doc.lineOf(path), 'schema', message);
    }
    return undefined;
  }
  return { doc, value: doc.value as T };
}

/**
 * Reads and shape-checks the policy directory. Throws {@link PolicyValidationError}
 * listing every problem (file, line, message) when any file is malformed or missing.
 */
export function readPolicyFiles(dir: string, problems = new ProblemCollector()): PolicyFiles {
  for (const required of ['classification.yaml', 'roles.yaml']) {
    if (!existsSync(join(dir, required))) problems.add(`policies/${required}`, 1, 'missing_file', `required file is missing in ${dir}`);
  }
  problems.throwIfAny();
  const version = policyVersion(dir);
  const classification = readOne<ClassificationFile>(dir, 'classification.yaml', validators.classification, problems);
  const roles = readOne<RolesFile>(dir, 'roles.yaml', validators.roles, problems);
  const fieldGroups = existsSync(join(dir, 'field-groups.yaml'))
    ? readOne<FieldGroupsFile>(dir, 'field-groups.yaml', validators.fieldGroups, problems)
    : undefined;
  const transferBases = existsSync(join(dir, 'transfer-bases.yaml'))
    ? readOne<TransferBasesFile>(dir, 'transfer-bases.yaml', validators.transferBases, problems)
    : undefined;
  const agreements: Parsed<AgreementFile>[] = [];
  for (const rel of decisionFiles(dir).filter((f) => f.startsWith('agreements/'))) {
    const parsed = readOne<AgreementFile>(dir, rel, validators.agreement, problems);
    if (parsed) agreements.push(parsed);
  }
  problems.throwIfAny();
  if (!classification || !roles) throw new Error('unreachable: problems were reported above');
  return { dir, version, classification, roles, ...(fieldGroups ? { fieldGroups } : {}), ...(transferBases ? { transferBases } : {}), agreements };
}
