/**
 * What a profile decides for every field an operation selects, by response path — the
 * static view (before any row is read) that operation-form policy tests assert. Walks
 * fragments and inline fragments; a denied field's children are not visited (enforcement
 * removes the whole selection).
 */
import {
  Kind,
  getNamedType,
  isObjectType,
  isInterfaceType,
  parse,
  type FragmentDefinitionNode,
  type GraphQLSchema,
  type SelectionSetNode,
} from 'graphql';
import type { AccessProfile, FieldDecision } from './types';

/** Decision per response path (`container.investigations.codeName`). */
export type OperationDecisions = ReadonlyMap<string, FieldDecision & { readonly coordinate: string }>;

/**
 * Decides every selected field of `operationName` in `source`. Throws an Error naming the
 * problem when the operation is missing or selects a field the schema does not have.
 */
export function decideOperation(schema: GraphQLSchema, source: string, operationName: string, profile: AccessProfile): OperationDecisions {
  const doc = parse(source);
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of doc.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
  const op = doc.definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION && d.name?.value === operationName);
  if (!op || op.kind !== Kind.OPERATION_DEFINITION) throw new Error(`operation ${operationName} not found`);
  const root = schema.getRootType(op.operation);
  if (!root) throw new Error(`schema has no ${op.operation} type`);
  const out = new Map<string, FieldDecision & { coordinate: string }>();

  const walk = (typeName: string, set: SelectionSetNode, prefix: string, seen: ReadonlySet<string>): void => {
    const type = schema.getType(typeName);
    if (!isObjectType(type) && !isInterfaceType(type)) return;
    for (const sel of set.selections) {
      if (sel.kind === Kind.FIELD) {
        const name = sel.name.value;
        if (name.startsWith('__')) continue;
        const field = type.getFields()[name];
        if (!field) throw new Error(`${operationName}: ${typeName}.${name} is not in the schema`);
        const path = prefix ? `${prefix}.${sel.alias?.value ?? name}` : (sel.alias?.value ?? name);
        const decision = profile.field(typeName, name);
        out.set(path, { ...decision, coordinate: `${typeName}.${name}` });
        if (decision.effect !== 'deny' && sel.selectionSet) walk(getNamedType(field.type).name, sel.selectionSet, path, seen);
      } else if (sel.kind === Kind.INLINE_FRAGMENT) {
        walk(sel.typeCondition?.name.value ?? typeName, sel.selectionSet, prefix, seen);
      } else {
        const fragment = fragments.get(sel.name.value);
        if (!fragment) throw new Error(`${operationName}: unknown fragment ${sel.name.value}`);
        if (seen.has(fragment.name.value)) continue;
        walk(fragment.typeCondition.name.value, fragment.selectionSet, prefix, new Set([...seen, fragment.name.value]));
      }
    }
  };
  walk(root.name, op.selectionSet, '', new Set());
  return out;
}
