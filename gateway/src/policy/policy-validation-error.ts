/**
 * The error a policy load fails with: every problem found, each naming file, line and
 * (where a name was unknown) the nearest valid one, so one run shows the author all
 * that needs fixing.
 */
import { PolicyError } from '../errors';

/** One problem in one policy file. */
export interface PolicyProblem {
  /** File as shown to authors (`policies/agreements/x.yaml`). */
  readonly file: string;
  readonly line: number;
  /** Stable kind: `schema`, `yaml_syntax`, `unknown_type`, `unknown_field`, `unknown_agency`, … */
  readonly kind: string;
  readonly message: string;
}

/** A {@link PolicyError} carrying all problems; `reason` is the first problem's kind. */
export class PolicyValidationError extends PolicyError {
  readonly problems: readonly PolicyProblem[];

  constructor(problems: readonly PolicyProblem[]) {
    const first = problems[0];
    const lines = problems.map((p) => `${p.file}:${p.line}: ${p.message}`);
    super(first?.kind ?? 'invalid', `invalid policy (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n  ${lines.join('\n  ')}`);
    this.problems = problems;
  }
}

/** Collects problems while a load runs; `throwIfAny` ends it. */
export class ProblemCollector {
  readonly problems: PolicyProblem[] = [];

  add(file: string, line: number, kind: string, message: string): void {
    this.problems.push({ file, line, kind, message });
  }

  throwIfAny(): void {
    if (this.problems.length > 0) throw new PolicyValidationError(this.problems);
  }
}
