/**
 * A selection with its named fragment spreads replaced by inline fragments, for selections the
 * rewrite passes through untouched (introspection: `__schema`, `__type`). The rewritten document
 * carries no fragment definitions, so a spread left inside would name a fragment that is gone.
 */
import { Kind, type FieldNode, type FragmentDefinitionNode, type SelectionNode, type SelectionSetNode } from 'graphql';

function inlineSet(set: SelectionSetNode, fragments: ReadonlyMap<string, FragmentDefinitionNode>): SelectionSetNode {
  return { ...set, selections: set.selections.map((s) => inlineSelection(s, fragments)) };
}

function inlineSelection(s: SelectionNode, fragments: ReadonlyMap<string, FragmentDefinitionNode>): SelectionNode {
  if (s.kind === Kind.FRAGMENT_SPREAD) {
    const f = fragments.get(s.name.value);
    // Validation (KnownFragmentNames, NoFragmentCycles) ran before: a missing one is a wiring bug.
    if (!f) throw new Error(`enforcement: fragment ${s.name.value} is not in the document`);
    return { kind: Kind.INLINE_FRAGMENT, typeCondition: f.typeCondition, directives: s.directives ?? [], selectionSet: inlineSet(f.selectionSet, fragments) };
  }
  if (!s.selectionSet) return s;
  return { ...s, selectionSet: inlineSet(s.selectionSet, fragments) };
}

/** `node` with every named fragment spread below it inlined (`node` itself when it has no selections). */
export function inlineFragmentSpreads(node: FieldNode, fragments: ReadonlyMap<string, FragmentDefinitionNode>): FieldNode {
  if (!node.selectionSet) return node;
  return { ...node, selectionSet: inlineSet(node.selectionSet, fragments) };
}
