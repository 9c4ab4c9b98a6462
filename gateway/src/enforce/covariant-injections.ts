/**
 * Injected selections repeated under the concrete parent type where an object type narrows an
 * interface field's type (covariance). @apollo/gateway shapes a subgraph's answer by the type
 * the selection's parent declares unless the data carries a plain `__typename`, and the planner
 * leaves `__typename` out where the subgraph's own type is concrete: under
 * `... on Document { related { ... on Book { label } } }` (`Document.related: [Media]`,
 * `Report.related: [Book]`) the gateway fetches the label and then drops it, because `Book` is
 * not `Media`. It drops the client's own `... on Book` selections there too, and Pactum must
 * answer exactly as the gateway does, so the client's selections stay as written; only the
 * label and key selections enforcement needs are repeated as `... on Report { related { … } }`,
 * typed on the narrower field type, where the gateway keeps them. They carry the same aliases
 * (named after the concrete type) and so merge with the ones injected in the client's selection.
 */
import {
  GraphQLObjectType,
  GraphQLUnionType,
  Kind,
  getNamedType,
  isAbstractType,
  type FieldNode,
  type GraphQLCompositeType,
  type GraphQLSchema,
  type InlineFragmentNode,
  type SelectionNode,
} from 'graphql';
import type { RowRules, SupergraphFacts } from '../policy';
import { injectionsFor } from './injections';
import type { RawSelection } from './raw-selection';

/**
 * For each of `parents` whose `node` field is narrower than on `staticType`, an inline fragment
 * on that parent selecting the field (same alias, arguments and directives) with only the
 * injections of the objects it can hold. Empty when no parent narrows the field.
 */
export function covariantInjections(
  schema: GraphQLSchema,
  facts: SupergraphFacts,
  rowRules: (typeName: string) => RowRules | undefined,
  node: FieldNode,
  staticType: GraphQLCompositeType,
  parents: readonly GraphQLObjectType[],
  child: RawSelection,
): InlineFragmentNode[] {
  if (staticType instanceof GraphQLUnionType) return [];
  const fieldName = node.name.value;
  const staticField = staticType.getFields()[fieldName];
  const staticNamed = staticField ? getNamedType(staticField.type) : undefined;
  if (!staticNamed || !isAbstractType(staticNamed)) return [];
  const out: InlineFragmentNode[] = [];
  for (const parent of parents) {
    const field = parent.getFields()[fieldName];
    const named = field ? getNamedType(field.type) : undefined;
    if (!named || named === staticNamed) continue;
    const holds = new Set((named instanceof GraphQLObjectType ? [named] : isAbstractType(named) ? schema.getPossibleTypes(named) : []).map((t) => t.name));
    const narrowed: RawSelection = { abstract: isAbstractType(named), runtime: child.runtime.filter((t) => holds.has(t.name)), entries: child.entries };
    const selections: SelectionNode[] = injectionsFor(facts, rowRules, narrowed, false);
    if (selections.length === 0 || (narrowed.abstract && selections.length === 1)) continue; // nothing but a typename
    out.push({
      kind: Kind.INLINE_FRAGMENT,
      typeCondition: { kind: Kind.NAMED_TYPE, name: { kind: Kind.NAME, value: parent.name } },
      selectionSet: {
        kind: Kind.SELECTION_SET,
        selections: [
          {
            kind: Kind.FIELD,
            ...(node.alias ? { alias: node.alias } : {}),
            name: node.name,
            ...(node.arguments ? { arguments: node.arguments } : {}),
            ...(node.directives ? { directives: node.directives } : {}),
            selectionSet: { kind: Kind.SELECTION_SET, selections },
          },
        ],
      },
    });
  }
  return out;
}
