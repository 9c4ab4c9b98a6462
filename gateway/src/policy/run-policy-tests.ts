/**
 * Runs the policy tests against a compiled policy and tells, for each case, which
 * agreement and grant decided it (or why it was denied), so an auditor can follow.
 */
import type { GraphQLSchema } from 'graphql';
import { loadApiSchema, loadOperations } from '@pactum/schema';
import type { DeclaredPurpose, Principal } from '../auth';
import { decideOperation } from './operation-decisions';
import { readPolicyTests, type PolicyTestCase } from './policy-test-files';
import type { CompiledPolicy, Explanation } from './types';

/** Where operation-form cases find their operations; defaults to `@pactum/schema`'s trusted operations and API schema. */
export interface PolicyTestOptions {
  readonly operations?: Readonly<Record<string, string>>;
  readonly apiSchema?: GraphQLSchema;
}

/** Outcome of one case. */
export interface PolicyTestResult {
  readonly case: PolicyTestCase;
  readonly passed: boolean;
  /** Field form only. */
  readonly explanation?: Explanation;
  /** `released by agreement/grant`, `denied: REASON`, … */
  readonly actual: string;
  /** Why it failed, when it did. */
  readonly failure?: string;
  /** Operation form: the grants (`agreement/grant`) that released a selected field (for grant coverage). */
  readonly releasedBy?: readonly string[];
}

/** All outcomes, with a printable summary. */
export interface PolicyTestReport {
  readonly results: readonly PolicyTestResult[];
  readonly passed: number;
  readonly failed: number;
  /** One line per case, then a total. */
  format(): string;
}

function principalOf(c: PolicyTestCase): Principal {
  return {
    subject: `policy-test:${c.name}`,
    agency: c.principal.agency,
    issuer: 'policy-test',
    roles: new Set(c.principal.roles ?? []),
    clearance: c.principal.clearance ?? '',
    purposes: new Set([c.purpose]),
    cases: new Set(c.principal.cases ?? []),
  };
}

function purposeOf(c: PolicyTestCase): DeclaredPurpose {
  return { code: c.purpose, ...(c.caseRef !== undefined ? { caseRef: c.caseRef } : {}), ...(c.justification !== undefined ? { justification: c.justification } : {}) };
}

function describe(e: Explanation): string {
  if (e.effect === 'allow') return `released by ${e.grant?.agreement}/${e.grant?.grant}`;
  if (e.effect === 'allow-if-row') return 'conditional on the row label';
  const row = e.rowVisible === false ? ` (row hidden${e.rowSecret ? ', existence secret' : ''})` : '';
  return `denied: ${e.reason}${row}`;
}

function check(c: PolicyTestCase, e: Explanation): string | undefined {
  const x = c.expect;
  const outcome = e.effect === 'allow' ? 'released' : e.effect === 'deny' ? 'denied' : 'conditional';
  if (outcome !== x.outcome) return `expected ${x.outcome}${x.reason ? ` (${x.reason})` : ''}, got ${describe(e)}`;
  if (x.reason !== undefined && e.reason !== x.reason) return `expected reason ${x.reason}, got ${e.reason}`;
  if (x.grant !== undefined && `${e.grant?.agreement}/${e.grant?.grant}` !== x.grant) {
    return `expected grant ${x.grant}, got ${e.grant?.agreement}/${e.grant?.grant}`;
  }
  if (x.rowVisible !== undefined && (e.rowVisible ?? true) !== x.rowVisible) return `expected rowVisible ${x.rowVisible}, got ${e.rowVisible}`;
  if (x.secret !== undefined && (e.rowSecret ?? false) !== x.secret) return `expected secret ${x.secret}, got ${e.rowSecret}`;
  return undefined;
}

/** Runs an operation-form case: each listed path must have the expected static decision. */
function runOperationCase(c: PolicyTestCase, policy: CompiledPolicy, options: PolicyTestOptions, lazy: { schema?: GraphQLSchema; ops?: Readonly<Record<string, string>> }): PolicyTestResult {
  const ops = (lazy.ops ??= options.operations ?? loadOperations());
  const schema = (lazy.schema ??= options.apiSchema ?? loadApiSchema());
  const source = ops[c.operation ?? ''];
  if (source === undefined) return { case: c, passed: false, actual: 'no such operation', failure: `no trusted operation named ${c.operation}` };
  const profile = policy.profileFor(principalOf(c), purposeOf(c), c.at);
  const decisions = decideOperation(schema, source, c.operation ?? '', profile);
  const problems: string[] = [];
  const describePath = (p: string) => {
    const d = decisions.get(p);
    if (!d) return 'not selected (or under a denied field)';
    return d.effect === 'deny' ? `denied: ${d.reason}` : d.effect === 'allow' ? `released by ${d.grant.agreement}/${d.grant.grant}` : 'conditional';
  };
  const x = c.expectPaths ?? {};
  for (const p of x.released ?? []) if (decisions.get(p)?.effect !== 'allow') problems.push(`${p}: expected released, got ${describePath(p)}`);
  for (const p of x.conditional ?? []) if (decisions.get(p)?.effect !== 'allow-if-row') problems.push(`${p}: expected conditional, got ${describePath(p)}`);
  for (const [p, reason] of Object.entries(x.denied ?? {})) {
    const d = decisions.get(p);
    if (d?.effect !== 'deny' || d.reason !== reason) problems.push(`${p}: expected denied ${reason}, got ${describePath(p)}`);
  }
  const counts = { allow: 0, 'allow-if-row': 0, deny: 0 };
  for (const d of decisions.values()) counts[d.effect]++;
  const actual = `${c.operation}: ${counts.allow} released, ${counts['allow-if-row']} conditional, ${counts.deny} denied`;
  const releasedBy = [...new Set([...decisions.values()].flatMap((d) => (d.effect === 'allow' ? [`${d.grant.agreement}/${d.grant.grant}`] : [])))];
  return { case: c, passed: problems.length === 0, actual, releasedBy, ...(problems.length ? { failure: problems.join('; ') } : {}) };
}

/** Runs every test file in `dir` (`policies/tests`) against `policy`. */
export function runPolicyTests(dir: string, policy: CompiledPolicy, options: PolicyTestOptions = {}): PolicyTestReport {
  const lazy: { schema?: GraphQLSchema; ops?: Readonly<Record<string, string>> } = {};
  const results: PolicyTestResult[] = readPolicyTests(dir).map((c) => {
    if (c.operation !== undefined) return runOperationCase(c, policy, options, lazy);
    const explanation = policy.explain(principalOf(c), purposeOf(c), c.at, c.typeName, c.fieldName, c.label);
    const failure = check(c, explanation);
    return { case: c, passed: failure === undefined, explanation, actual: describe(explanation), ...(failure ? { failure } : {}) };
  });
  const passed = results.filter((r) => r.passed).length;
  return {
    results,
    passed,
    failed: results.length - passed,
    format() {
      const lines = results.map((r) =>
        r.passed ? `  ok    ${r.case.name} — ${r.actual}` : `  FAIL  ${r.case.name} (${r.case.file}:${r.case.line}) — ${r.failure}`,
      );
      return `${lines.join('\n')}\n${passed} passed, ${results.length - passed} failed (policy ${policy.version})`;
    },
  };
}
