/**
 * How many hit/no-hit probes an operation asks, for the hit budgets: a probe is a root field
 * (by response name, so each alias is one) whose selection reaches a field of type `Hit`, through
 * any nesting, inline fragment or named fragment. `container(number: "A") { policeHit europolHit }`
 * is one probe — one identifier asked of two agencies — and thirty aliased `container(number: …)`
 * fields are thirty: the identifiers a prober chooses are the root fields' arguments, one per
 * root field. Hit fields reached through lists below a root field (a vessel's containers) answer
 * for rows the schema led to, not for identifiers the client picked, so they add nothing more.
 *
 * Only the operation that runs is counted; `@skip` / `@include` are ignored (counting too much
 * fails closed). Named fragments are walked once each, so a fragment fan-out costs its size, not
 * its expansion. The document has passed validation: fields exist and fragments do not cycle.
 */
import {
  getNamedType,
  isCompositeType,
  isInterfaceType,
  isObjectType,
  Kind,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import { HIT_TYPE } from '../../policy';

export function countHitProbes(schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode): number {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
  const fragmentReaches = new Map<string, boolean>();

  const typeNamed = (name: string | undefined, fallback: GraphQLCompositeType): GraphQLCompositeType | undefined => {
    if (name === undefined) return fallback;
    const type = schema.getType(name);
    return type && isCompositeType(type) ? type : undefined;
  };

  /** Whether a selection set, read on `parent`, selects a `Hit` field anywhere below. */
  function reachesHit(set: SelectionSetNode, parent: GraphQLCompositeType): boolean {
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) {
        if (selection.name.value.startsWith('__')) continue;
        const field = isObjectType(parent) || isInterfaceType(parent) ? parent.getFields()[selection.name.value] : undefined;
        if (!field) continue;
        const named = getNamedType(field.type);
        if (named.name === HIT_TYPE) return true;
        if (selection.selectionSet && isCompositeType(named) && reachesHit(selection.selectionSet, named)) return true;
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const type = typeNamed(selection.typeCondition?.name.value, parent);
        if (type && reachesHit(selection.selectionSet, type)) return true;
      } else if (fragmentHits(selection.name.value)) return true;
    }
    return false;
  }

  function fragmentHits(name: string): boolean {
    const known = fragmentReaches.get(name);
    if (known !== undefined) return known;
    // Validation rules out cycles; marking first keeps even a cycle finite.
    fragmentReaches.set(name, false);
    const fragment = fragments.get(name);
    const type = fragment ? typeNamed(fragment.typeCondition.name.value, schema.getQueryType() as GraphQLCompositeType) : undefined;
    const reaches = fragment !== undefined && type !== undefined && reachesHit(fragment.selectionSet, type);
    fragmentReaches.set(name, reaches);
    return reaches;
  }

  const root = schema.getRootType(operation.operation);
  if (!root) return 0;
  const probes = new Set<string>();
  const visited = new Set<string>();
  /** Root fields, through root-level fragments (each named one once: its fields are the same every time). */
  function collect(set: SelectionSetNode): void {
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) {
        const key = selection.alias?.value ?? selection.name.value;
        if (probes.has(key) || selection.name.value.startsWith('__')) continue;
        const field = root?.getFields()[selection.name.value];
        if (!field) continue;
        const named = getNamedType(field.type);
        if (named.name === HIT_TYPE || (selection.selectionSet && isCompositeType(named) && reachesHit(selection.selectionSet, named))) probes.add(key);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        collect(selection.selectionSet);
      } else if (!visited.has(selection.name.value)) {
        visited.add(selection.name.value);
        const fragment = fragments.get(selection.name.value);
        if (fragment) collect(fragment.selectionSet);
      }
    }
  }
  collect(operation.selectionSet);
  return probes.size;
}
