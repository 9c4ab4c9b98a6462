/**
 * Which shipped operations (`schema/operations/`) a change breaks: an operation that no longer
 * validates against the new API schema, and for each breaking change the operations that select
 * the coordinate it names (walked with `TypeInfo` against the old schema, where they were valid).
 */
import { parse, TypeInfo, validate, visit, visitWithTypeInfo, getNamedType, type GraphQLSchema } from 'graphql';

/** The `Type` and `Type.field` coordinates an operation selects, arguments' input types included. */
export function coordinatesUsed(schema: GraphQLSchema, source: string): Set<string> {
  const used = new Set<string>();
  const typeInfo = new TypeInfo(schema);
  visit(
    parse(source),
    visitWithTypeInfo(typeInfo, {
      Field(node) {
        const parent = typeInfo.getParentType();
        if (!parent) return;
        used.add(parent.name);
        used.add(`${parent.name}.${node.name.value}`);
        const type = typeInfo.getType();
        if (type) used.add(getNamedType(type).name);
      },
      Argument() {
        const arg = typeInfo.getArgument();
        if (arg) used.add(getNamedType(arg.type).name);
      },
    }),
  );
  return used;
}

export interface OperationBreakage {
  /** Operation name → the validation messages it fails with against the new schema. */
  readonly invalid: Readonly<Record<string, readonly string[]>>;
  /** For a coordinate: the operations that use it (against the old schema). */
  usedBy(coordinate: string): string[];
}

/** Checks `operations` (name → source) against `after`, and indexes their coordinates in `before`. */
export function operationBreakage(before: GraphQLSchema, after: GraphQLSchema, operations: Readonly<Record<string, string>>): OperationBreakage {
  const invalid: Record<string, string[]> = {};
  const uses = new Map<string, Set<string>>();
  for (const [name, source] of Object.entries(operations)) {
    const errors = validate(after, parse(source));
    if (errors.length > 0) invalid[name] = errors.map((e) => e.message);
    try {
      uses.set(name, coordinatesUsed(before, source));
    } catch {
      uses.set(name, new Set());
    }
  }
  return {
    invalid,
    usedBy: (coordinate) => [...uses].filter(([, used]) => used.has(coordinate)).map(([name]) => name).sort(),
  };
}
