/**
 * Refuses operations nested deeper than the configured limit, counting through fragments,
 * so that one request cannot make the gateway fan out without bound.
 *
 * Introspection (`__schema`, `__type`) is answered by the gateway itself — filtered per
 * principal, and only when introspection is switched on — and never reaches a subgraph, so
 * its subtree counts as one level against the limit and is held to its own ceiling,
 * {@link INTROSPECTION_MAX_DEPTH}, deep enough for the standard query of GraphiQL and
 * Apollo Sandbox (15 levels) without raising the limit for data.
 */
import {
  GraphQLError,
  Kind,
  type ASTVisitor,
  type FragmentDefinitionNode,
  type SelectionSetNode,
  type ValidationContext,
  type ValidationRule,
} from 'graphql';

/** Deepest nesting an introspection query may have, whatever the data limit. */
export const INTROSPECTION_MAX_DEPTH = 20;

const INTROSPECTION_ROOTS = new Set(['__schema', '__type']);

/** How deep a selection set nests: for data (a `__schema` / `__type` field is one level) and in all. */
interface Depth {
  readonly data: number;
  readonly all: number;
}

/**
 * Depth of a set; each fragment's depth is computed once (`memo`), so a fragment fan-out (A spreads
 * B twice, B spreads C twice, …) costs one walk per fragment, not one per inlined copy.
 */
function depthOf(set: SelectionSetNode, fragments: ReadonlyMap<string, FragmentDefinitionNode>, visiting: Set<string>, memo: Map<string, Depth>): Depth {
  let data = 0;
  let all = 0;
  for (const sel of set.selections) {
    let d: Depth = { data: 1, all: 1 };
    if (sel.kind === Kind.FIELD) {
      if (sel.selectionSet) {
        const below = depthOf(sel.selectionSet, fragments, visiting, memo);
        d = { data: INTROSPECTION_ROOTS.has(sel.name.value) ? 1 : 1 + below.data, all: 1 + below.all };
      }
    } else if (sel.kind === Kind.INLINE_FRAGMENT) d = depthOf(sel.selectionSet, fragments, visiting, memo);
    else {
      const name = sel.name.value;
      const known = memo.get(name);
      const frag = fragments.get(name);
      if (known) d = known;
      // A fragment cycle is reported by graphql-js' own NoFragmentCycles rule; don't loop on it here.
      else if (!frag || visiting.has(name)) continue;
      else {
        visiting.add(name);
        d = depthOf(frag.selectionSet, fragments, visiting, memo);
        visiting.delete(name);
        memo.set(name, d);
      }
    }
    data = Math.max(data, d.data);
    all = Math.max(all, d.all);
  }
  return { data, all };
}

/** Validation rule: selection depth at most `max` (introspection: at most `max(max, INTROSPECTION_MAX_DEPTH)`). */
export function depthLimitRule(max: number): ValidationRule {
  return (context: ValidationContext): ASTVisitor => {
    const fragments = new Map<string, FragmentDefinitionNode>();
    for (const def of context.getDocument().definitions) {
      if (def.kind === Kind.FRAGMENT_DEFINITION) fragments.set(def.name.value, def);
    }
    const memo = new Map<string, Depth>();
    return {
      OperationDefinition(node) {
        const refuse = (message: string): void =>
          context.reportError(new GraphQLError(message, { nodes: [node], extensions: { code: 'BAD_USER_INPUT', reason: 'limit_depth' } }));
        const depth = depthOf(node.selectionSet, fragments, new Set(), memo);
        const ceiling = Math.max(max, INTROSPECTION_MAX_DEPTH);
        if (depth.data > max) refuse(`operation is nested ${depth.data} levels deep; the limit is ${max}`);
        else if (depth.all > ceiling) refuse(`introspection is nested ${depth.all} levels deep; the limit is ${ceiling}`);
      },
    };
  };
}
