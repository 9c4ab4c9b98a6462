/**
 * Policy test files (`policies/tests/*.yaml`): named principals and labels, then cases
 * named like sentences, each a principal, a purpose, a `Type.field`, an optional row
 * label and the expected outcome. Read and shape-checked here; run by `run-policy-tests.ts`.
 */
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import { ProblemCollector } from './policy-validation-error';
import { parseYamlDocument, YamlSyntaxError } from './yaml-document';
import type { DenyReason, RowLabel } from './types';

/** A principal as a test writes it. */
export interface TestPrincipal {
  agency: string;
  roles?: string[];
  clearance?: string;
  cases?: string[];
}

/** Expected outcome: `released` (optionally by this `agreement/grant`), `denied` (with a reason), or `conditional` (depends on the row; no label given). */
export interface TestExpectation {
  outcome: 'released' | 'denied' | 'conditional';
  reason?: DenyReason;
  grant?: string;
  /** With a label: whether the whole row stays visible. */
  rowVisible?: boolean;
  secret?: boolean;
}

/** Expected decisions of an operation-form case, by response path. */
export interface OperationExpectation {
  released?: string[];
  conditional?: string[];
  denied?: Record<string, DenyReason>;
}

/** One case, resolved (named principal/label replaced by their value). */
export interface PolicyTestCase {
  readonly file: string;
  readonly line: number;
  readonly name: string;
  readonly principal: TestPrincipal;
  readonly purpose: string;
  /** The request's `x-case-ref` and `x-justification`, when the case gives them (derogations read them). */
  readonly caseRef?: string;
  readonly justification?: string;
  readonly at: Date;
  /** Field form: `typeName.fieldName` (empty for the operation form). */
  readonly typeName: string;
  readonly fieldName: string;
  readonly label?: RowLabel;
  readonly expect: TestExpectation;
  /** Operation form: a trusted operation (`schema/operations/<name>.graphql`) and expected paths. */
  readonly operation?: string;
  readonly expectPaths?: OperationExpectation;
}

const REASONS = [
  'NO_AGREEMENT', 'PURPOSE_NOT_COVERED', 'AGREEMENT_EXPIRED', 'AGREEMENT_NOT_YET_VALID', 'INSUFFICIENT_CLEARANCE', 'ROLE_REQUIRED',
  'HANDLING_RESTRICTED', 'NOT_RELEASABLE', 'NOT_A_CASE_MEMBER', 'HIT_ONLY', 'ROW_SECRET', 'NOT_IN_POLICY',
  'NO_TRANSFER_BASIS', 'DEROGATION_REQUIRES_CASE', 'TRANSFER_NOT_AUTHORISED',
];
const NAMES = { type: 'array', items: { type: 'string', minLength: 1 } };
const principalSchema = {
  type: 'object', additionalProperties: false, required: ['agency'],
  properties: { agency: { type: 'string' }, roles: NAMES, clearance: { type: 'string' }, cases: NAMES },
};
const labelSchema = {
  type: 'object', additionalProperties: false, required: ['owner', 'handling', 'releasableTo', 'caseRefs', 'europolSupport'],
  properties: {
    owner: { type: 'string' }, handling: NAMES, handlingNote: { type: ['string', 'null'] }, releasableTo: NAMES, caseRefs: NAMES,
    europolSupport: { type: 'boolean' }, origin: { type: ['string', 'null'] },
  },
};
const testFileSchema = {
  type: 'object', additionalProperties: false, required: ['tests'],
  properties: {
    at: { type: 'string' },
    principals: { type: 'object', additionalProperties: principalSchema },
    labels: { type: 'object', additionalProperties: labelSchema },
    tests: {
      type: 'array', minItems: 1,
      items: {
        type: 'object', additionalProperties: false, required: ['name', 'principal', 'purpose'],
        oneOf: [{ required: ['field', 'expect'] }, { required: ['operation', 'paths'] }],
        properties: {
          operation: { type: 'string', pattern: '^[A-Za-z_][A-Za-z0-9_]*$' },
          paths: {
            type: 'object', additionalProperties: false, minProperties: 1,
            properties: {
              released: NAMES,
              conditional: NAMES,
              denied: { type: 'object', additionalProperties: { enum: REASONS } },
            },
          },
          name: { type: 'string', pattern: '^[a-z0-9]+(_[a-z0-9]+)+$' },
          principal: { oneOf: [{ type: 'string' }, principalSchema] },
          purpose: { type: 'string' },
          caseRef: { type: 'string', minLength: 1 },
          justification: { type: 'string', minLength: 1 },
          at: { type: 'string' },
          field: { type: 'string', pattern: '^[A-Za-z_][A-Za-z0-9_]*\\.[A-Za-z_][A-Za-z0-9_]*$' },
          label: { oneOf: [{ type: 'string' }, labelSchema] },
          expect: {
            type: 'object', additionalProperties: false, required: ['outcome'],
            properties: {
              outcome: { enum: ['released', 'denied', 'conditional'] },
              reason: { enum: REASONS },
              grant: { type: 'string', pattern: '^[^/]+/[^/]+$' },
              rowVisible: { type: 'boolean' },
              secret: { type: 'boolean' },
            },
          },
        },
      },
    },
  },
} as const;

interface TestFile {
  at?: string;
  principals?: Record<string, TestPrincipal>;
  labels?: Record<string, RowLabel>;
  tests: {
    name: string;
    principal: string | TestPrincipal;
    purpose: string;
    caseRef?: string;
    justification?: string;
    at?: string;
    field?: string;
    label?: string | RowLabel;
    expect?: TestExpectation;
    operation?: string;
    paths?: OperationExpectation;
  }[];
}

const validate = new Ajv({ allErrors: true, strict: false }).compile(testFileSchema);

/** Reads every `*.yaml` in `dir`; throws `PolicyValidationError` naming file and line for malformed cases. */
export function readPolicyTests(dir: string): PolicyTestCase[] {
  const problems = new ProblemCollector();
  const cases: PolicyTestCase[] = [];
  const names = new Map<string, string>();
  const files = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort() : [];
  for (const f of files) {
    const shown = `policies/tests/${f}`;
    let doc;
    try {
      doc = parseYamlDocument(shown, readFileSync(join(dir, f), 'utf8'));
    } catch (error) {
      if (error instanceof YamlSyntaxError) {
        problems.add(shown, error.line, 'yaml_syntax', error.message);
        continue;
      }
      throw error;
    }
    if (!validate(doc.value)) {
      for (const e of validate.errors ?? []) {
        const path = e.instancePath.split('/').slice(1).map((s) => (/^\d+$/.test(s) ? Number(s) : s));
        problems.add(shown, doc.lineOf(path), 'schema', `${path.join('.') || '(top level)'}: ${e.message ?? 'invalid'}`);
      }
      continue;
    }
    const file = doc.value as TestFile;
    file.tests.forEach((t, i) => {
      const line = doc.lineOf(['tests', i]);
      const principal = typeof t.principal === 'string' ? file.principals?.[t.principal] : t.principal;
      const label = typeof t.label === 'string' ? file.labels?.[t.label] : t.label;
      if (!principal) problems.add(shown, doc.lineOf(['tests', i, 'principal']), 'unknown_principal', `tests[${i}] (${t.name}): no principal named "${String(t.principal)}" under principals:`);
      if (t.label !== undefined && !label) problems.add(shown, doc.lineOf(['tests', i, 'label']), 'unknown_label', `tests[${i}] (${t.name}): no label named "${String(t.label)}" under labels:`);
      const seen = names.get(t.name);
      if (seen) problems.add(shown, line, 'duplicate_test', `tests[${i}]: test name "${t.name}" is already used in ${seen}`);
      names.set(t.name, shown);
      const atText = t.at ?? file.at;
      const at = atText === undefined ? new Date() : new Date(atText);
      if (Number.isNaN(at.getTime())) problems.add(shown, line, 'bad_date', `tests[${i}] (${t.name}): "at" is not a date: ${String(atText)}`);
      const [typeName = '', fieldName = ''] = (t.field ?? '').split('.');
      if (principal && (t.label === undefined || label)) {
        cases.push({
          file: shown, line, name: t.name, principal, purpose: t.purpose, at, typeName, fieldName,
          ...(t.caseRef !== undefined ? { caseRef: t.caseRef } : {}),
          ...(t.justification !== undefined ? { justification: t.justification } : {}),
          ...(label ? { label } : {}),
          expect: t.expect ?? { outcome: 'released' },
          ...(t.operation ? { operation: t.operation, expectPaths: t.paths ?? {} } : {}),
        });
      }
    });
  }
  problems.throwIfAny();
  return cases;
}
