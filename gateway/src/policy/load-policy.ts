/**
 * `loadPolicy`: the policy directory read, shape-checked, cross-checked against the
 * supergraph and the registries, and compiled — or a {@link PolicyValidationError}
 * listing every problem. The gateway refuses to start on that error.
 */
import { compilePolicy, type CompileOptions } from './compile-policy';
import { checkPolicy } from './check-policy';
import type { PolicyModel } from './policy-model';
import { ProblemCollector } from './policy-validation-error';
import { readPolicyFiles } from './read-policy-files';
import { readRegistries, type PolicyRegistries } from './registries';
import { parseSupergraph } from './supergraph-model';
import type { CompiledPolicy } from './types';

/** Options of {@link loadPolicy}. */
export interface LoadPolicyOptions extends CompileOptions {
  /** The policy directory (`policies/`). */
  readonly dir: string;
  /** The composed supergraph SDL (`loadSupergraphSdl()` from `@pactum/schema`). */
  readonly supergraphSdl: string;
  /** Instant the load-time warnings (expired / not yet valid agreements) are computed for. Default: now. */
  readonly now?: Date;
  /** Agency and purpose registries; default: read `agencies.yaml` / `purposes.yaml` from `dir`. */
  readonly registries?: PolicyRegistries;
}

/** A compiled policy plus what tools (CLI, runner) need beyond decisions. */
export interface LoadedPolicy extends CompiledPolicy {
  readonly model: PolicyModel;
  /** Non-fatal findings, e.g. `agreement x expired on 2024-12-31: it grants nothing`. */
  readonly warnings: readonly string[];
}

/**
 * Loads and compiles the policy in `dir`. Throws {@link PolicyValidationError} (a
 * `PolicyError`) naming file, line and nearest valid name for every problem.
 */
export function loadPolicy(options: LoadPolicyOptions): LoadedPolicy {
  const problems = new ProblemCollector();
  const files = readPolicyFiles(options.dir, problems);
  let supergraph;
  try {
    supergraph = parseSupergraph(options.supergraphSdl);
  } catch (error) {
    problems.add('schema/supergraph.graphql', 1, 'supergraph_invalid', (error as Error).message);
    problems.throwIfAny();
    throw error;
  }
  const registries = options.registries ?? readRegistries(options.dir);
  const now = (options.now ?? new Date()).getTime();
  const model = checkPolicy(files, supergraph, registries, problems, now);
  const warnings: string[] = [];
  const seen = new Set<string>();
  for (const g of model.grants) {
    if (seen.has(g.ref.agreement)) continue;
    seen.add(g.ref.agreement);
    if (now >= g.validUntil) warnings.push(`${g.file}: agreement ${g.ref.agreement} ended on ${g.validityText.to ?? ''}: it grants nothing`);
    else if (now < g.validFrom) warnings.push(`${g.file}: agreement ${g.ref.agreement} starts on ${g.validityText.from}: it grants nothing yet`);
  }
  return { ...compilePolicy(model, options), model, warnings };
}

/**
 * Fields of the API no grant mentions (`Type.field`, sorted): they are denied to
 * everyone. Shared value types and GraphQL meta fields are not listed (never decided
 * on their own).
 */
export function listUnmentionedFields(policy: LoadedPolicy): string[] {
  const mentioned = new Set<string>();
  for (const g of policy.model.grants) for (const [t, fs] of g.fields) for (const f of fs) mentioned.add(`${t}.${f}`);
  const out: string[] = [];
  for (const type of policy.model.supergraph.types.values()) {
    if (type.kind !== 'object' || type.sharedValueType) continue;
    for (const f of type.fields.keys()) {
      const c = `${type.name}.${f}`;
      if (!mentioned.has(c)) out.push(c);
    }
  }
  return out.sort();
}
