import { Kind, parse, type ConstDirectiveNode, type DocumentNode } from 'graphql';
import { kitTypeDefs } from '@pactum/subgraph-kit';

/**
 * Types whose fields keep their non-null markers: the kit's shared value types (today
 * `RecordLabel`: a label is released or withheld whole, never field by field) and the
 * hit/no-hit answer `Hit`, whose `hit` is the whole point of asking.
 */
const EXEMPT_TYPES: ReadonlySet<string> = new Set([
  ...parse(kitTypeDefs).definitions.flatMap((d) => (d.kind === Kind.OBJECT_TYPE_DEFINITION ? [d.name.value] : [])),
  'Hit',
]);

/** Top-level field names of a `@key(fields: "…")` selection (`"agency localId"`, `"id owner { id }"` → id, owner). */
function keyFieldNames(directives: readonly ConstDirectiveNode[] | undefined): Set<string> {
  const names = new Set<string>();
  for (const d of directives ?? []) {
    if (d.name.value !== 'key') continue;
    const fields = d.arguments?.find((a) => a.name.value === 'fields')?.value;
    if (fields?.kind !== Kind.STRING) continue;
    let depth = 0;
    for (const token of fields.value.match(/[{}]|[A-Za-z_][A-Za-z0-9_]*/g) ?? []) {
      if (token === '{') depth++;
      else if (token === '}') depth--;
      else if (depth === 0) names.add(token);
    }
  }
  return names;
}

/**
 * The `Type.field` coordinates of a subgraph's SDL that are declared non-null although a
 * need-to-know policy might deny them. The gateway answers a denied field with `null` + a
 * FORBIDDEN error; on a non-null field GraphQL would propagate that null to the parent and
 * wipe everything beside it. So every output field is nullable (lists as `[T!]`), except
 * entity key fields (named in `@key`; an entity without its key cannot be resolved) and
 * the fields of the shared value types above. Empty means the SDL follows the rule.
 */
export function findNonNullFields(typeDefs: DocumentNode): string[] {
  const found: string[] = [];
  for (const def of typeDefs.definitions) {
    if (def.kind !== Kind.OBJECT_TYPE_DEFINITION && def.kind !== Kind.OBJECT_TYPE_EXTENSION) continue;
    if (EXEMPT_TYPES.has(def.name.value)) continue;
    const keys = keyFieldNames(def.directives);
    for (const field of def.fields ?? []) {
      if (field.type.kind === Kind.NON_NULL_TYPE && !keys.has(field.name.value)) found.push(`${def.name.value}.${field.name.value}`);
    }
  }
  return found;
}
