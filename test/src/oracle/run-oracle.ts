/**
 * Runs the need-to-know oracle as a fast-check property: `cases` random (principal, operation)
 * cases from `seed`; on a failure fast-check shrinks it, a greedy pass (minimise-case.ts) shrinks
 * it further, and the report shows the minimal case —
 * operation text, variables, principal, purpose, what the rules release and what the gateway
 * released — with the seed and path that replay it.
 */
import fc from 'fast-check';
import { minimiseCase } from './minimise-case';
import { operationArbitrary, type OperationShape } from './operation-arbitrary';
import { principalArbitrary } from './principal-arbitrary';
import type { CaseOutcome, Oracle, OracleCase } from './start-oracle';

export interface OracleRunOptions {
  readonly cases: number;
  readonly seed: number;
  /** Replays one counterexample (fast-check's `path`) instead of a fresh run. */
  readonly path?: string;
  readonly shape?: OperationShape;
  /** Progress lines (every `progressEvery` cases). */
  readonly log?: (line: string) => void;
  readonly progressEvery?: number;
}

/** How many cases exercised what: an oracle whose cases release nothing, or deny nothing, proves nothing. */
export interface OracleCoverage {
  /** Cases releasing at least one entity. */
  released: number;
  /** Cases with at least one FORBIDDEN error. */
  denied: number;
  /** Cases where rows were dropped from a list. */
  withheldInLists: number;
  /** Cases where a single row was withheld (null, with FORBIDDEN unless secret). */
  withheldSingle: number;
}

export interface OracleReport {
  readonly failed: boolean;
  readonly coverage: OracleCoverage;
  readonly seed: number;
  readonly cases: number;
  readonly seconds: number;
  readonly casesPerSecond: number;
  /** The formatted minimal counterexample (when failed). */
  readonly failure?: string;
  /** fast-check's path of the counterexample: `--path` replays it at once (with the same seed). */
  readonly path?: string;
}

class OracleMismatch extends Error {
  constructor(readonly outcome: CaseOutcome) {
    super(outcome.problems.join('\n'));
  }
}

/** The arbitrary of oracle cases for `oracle`'s schema, keys and registries. */
export function oracleCases(oracle: Oracle, shape?: OperationShape): fc.Arbitrary<OracleCase> {
  return fc.record({ principal: principalArbitrary(oracle.space), operation: operationArbitrary(oracle.schema, oracle.pools, shape) });
}

const json = (v: unknown): string => JSON.stringify(v, (_k, x: unknown) => (x instanceof Map ? Object.fromEntries(x) : x instanceof Set ? [...x] : x), 2);

/** A failing case for a person to read and replay. */
export function formatFailure(c: OracleCase, outcome: CaseOutcome): string {
  const p = c.principal;
  return [
    `principal: ${p.agency} roles=[${p.roles.join(', ')}] clearance=${p.clearance} cases=[${p.cases.join(', ')}]`,
    `purpose:   ${p.purpose}${p.caseRef !== undefined ? ` (x-case-ref ${p.caseRef})` : ''}`,
    'operation:',
    outcome.printed.query,
    `variables: ${JSON.stringify(outcome.printed.variables)}`,
    'problems:',
    ...outcome.problems.map((x) => `  - ${x}`),
    `expected data: ${json(outcome.expected?.data)}`,
    `got data:      ${json(outcome.got?.data)}`,
    `expected FORBIDDEN: ${json(outcome.expected?.forbidden)}`,
    `got FORBIDDEN:      ${json(outcome.got?.forbidden)}`,
    `expected audited entities: ${json(outcome.expected?.entities)}`,
  ].join('\n');
}

/** Runs the property and reports; never throws on a mismatch (the report says it). */
export async function runOracle(oracle: Oracle, options: OracleRunOptions): Promise<OracleReport> {
  let ran = 0;
  const coverage: OracleCoverage = { released: 0, denied: 0, withheldInLists: 0, withheldSingle: 0 };
  const every = options.progressEvery ?? 1000;
  const started = process.hrtime.bigint();
  const property = fc.asyncProperty(oracleCases(oracle, options.shape), async (c) => {
    const outcome = await oracle.check(c);
    ran++;
    const e = outcome.expected;
    if (e) {
      if (e.entities.size > 0) coverage.released++;
      if (e.forbidden.size > 0) coverage.denied++;
      if (e.withheld.inLists > 0) coverage.withheldInLists++;
      if (e.withheld.single > 0) coverage.withheldSingle++;
    }
    if (options.log && ran % every === 0) {
      const s = Number(process.hrtime.bigint() - started) / 1e9;
      options.log(`${ran} cases, ${(ran / s).toFixed(1)}/s`);
    }
    if (outcome.problems.length > 0) throw new OracleMismatch(outcome);
  });
  const details = await fc.check(property, {
    numRuns: options.cases,
    seed: options.seed,
    ...(options.path ? { path: options.path } : {}),
    // Shrinking replays cases against the live system: bound it.
    interruptAfterTimeLimit: 30 * 60_000,
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const base = { seed: options.seed, cases: ran, seconds, casesPerSecond: ran / seconds, coverage };
  if (!details.failed) return { failed: false, ...base };
  const counterexample = details.counterexample?.[0];
  if (!counterexample) return { failed: true, ...base, failure: `fast-check failed without a counterexample: ${String(details.errorInstance)}` };
  const shrunk = details.errorInstance instanceof OracleMismatch ? details.errorInstance.outcome : await oracle.check(counterexample);
  const minimal = shrunk.problems.length > 0 ? await minimiseCase(counterexample, shrunk, (c) => oracle.check(c)) : { case: counterexample, outcome: shrunk, checks: 0 };
  const outcome = minimal.outcome;
  const failure = [
    `need-to-know oracle: failed after ${details.numRuns} cases (${details.numShrinks} fast-check shrinks, then ${minimal.checks} greedy checks); seed ${options.seed}, path "${details.counterexamplePath ?? ''}"`,
    formatFailure(minimal.case, outcome),
    ...(outcome.problems.length === 0 ? [`(threw: ${String(details.errorInstance)})`] : []),
  ].join('\n');
  return { failed: true, ...base, failure, ...(details.counterexamplePath ? { path: details.counterexamplePath } : {}) };
}
