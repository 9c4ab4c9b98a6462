/**
 * Refuses operations nested deeper than the configured limit, counting through fragments,
 * so that one request cannot make the gateway fan out without bound.
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

function depthOf(
  set: SelectionSetNode,
  fragments: ReadonlyMap<string, FragmentDefinitionNode>,
  visiting: Set<string>,
): number {
  let deepest = 0;
  for (const sel of set.selections) {
    let d = 0;
    if (sel.kind === Kind.FIELD) d = sel.selectionSet ? 1 + depthOf(sel.selectionSet, fragments, visiting) : 1;
    else if (sel.kind === Kind.INLINE_FRAGMENT) d = depthOf(sel.selectionSet, fragments, visiting);
    else {
      const name = sel.name.value;
      const frag = fragments.get(name);
      // A fragment cycle is reported by graphql-js' own NoFragmentCycles rule; don't loop on it here.
      if (!frag || visiting.has(name)) continue;
      visiting.add(name);
      d = depthOf(frag.selectionSet, fragments, visiting);
      visiting.delete(name);
    }
    if (d > deepest) deepest = d;
  }
  return deepest;
}

/** Validation rule: selection depth at most `max`. */
export function depthLimitRule(max: number): ValidationRule {
  return (context: ValidationContext): ASTVisitor => {
    const fragments = new Map<string, FragmentDefinitionNode>();
    for (const def of context.getDocument().definitions) {
      if (def.kind === Kind.FRAGMENT_DEFINITION) fragments.set(def.name.value, def);
    }
    return {
      OperationDefinition(node) {
        const depth = depthOf(node.selectionSet, fragments, new Set());
        if (depth > max) {
          context.reportError(
            new GraphQLError(`operation is nested ${depth} levels deep; the limit is ${max}`, {
              nodes: [node],
              extensions: { code: 'BAD_USER_INPUT', reason: 'depth_limit' },
            }),
          );
        }
      },
    };
  };
}
