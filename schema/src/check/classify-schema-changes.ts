/**
 * Classifies the changes between two API schemas (what clients see) as breaking, dangerous or
 * safe. Breaking and dangerous come from graphql-js's `findBreakingChanges` /
 * `findDangerousChanges`: the reference implementation of GraphQL's compatibility rules, already
 * a dependency, deterministic, and covering removed or retyped fields, arguments made required or
 * retyped, enum values removed, types removed, nullability loosened on outputs and tightened on
 * inputs. Safe changes (additions) are what graphql-js does not report: new types and fields.
 */
import { findBreakingChanges, findDangerousChanges, isInputObjectType, isInterfaceType, isObjectType, type GraphQLSchema } from 'graphql';

export type ChangeLevel = 'breaking' | 'dangerous' | 'safe';

export interface SchemaChange {
  readonly level: ChangeLevel;
  /** graphql-js change type (`FIELD_REMOVED`, `ARG_CHANGED_KIND`, …), or `TYPE_ADDED` / `FIELD_ADDED`. */
  readonly type: string;
  /** The schema coordinate the change is about: `Type` or `Type.field`. */
  readonly coordinate: string;
  readonly description: string;
}

/** `Type.field` or `Type` a graphql-js description names (`A required arg x on Query.y was added.`). */
function coordinateOf(description: string): string {
  // `H9 was removed from enum type HandlingCode.`: the operations at risk are those reading the type.
  const member = /from (?:enum|union) type ([A-Za-z_][A-Za-z0-9_]*)/.exec(description)?.[1];
  if (member) return member;
  return /\b([A-Za-z_][A-Za-z0-9_]*\.[A-Za-z_][A-Za-z0-9_]*)\b/.exec(description)?.[1] ?? /^([A-Za-z_][A-Za-z0-9_]*)\b/.exec(description)?.[1] ?? description;
}

function fieldsOf(schema: GraphQLSchema): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const type of Object.values(schema.getTypeMap())) {
    if (type.name.startsWith('__')) continue;
    if (isObjectType(type) || isInterfaceType(type) || isInputObjectType(type)) out.set(type.name, new Set(Object.keys(type.getFields())));
    else out.set(type.name, new Set());
  }
  return out;
}

/** Every change from `before` to `after`, breaking first, each list sorted by coordinate. */
export function classifySchemaChanges(before: GraphQLSchema, after: GraphQLSchema): SchemaChange[] {
  const breaking = findBreakingChanges(before, after).map((c): SchemaChange => ({ level: 'breaking', type: c.type, coordinate: coordinateOf(c.description), description: c.description }));
  const dangerous = findDangerousChanges(before, after).map((c): SchemaChange => ({ level: 'dangerous', type: c.type, coordinate: coordinateOf(c.description), description: c.description }));
  const safe: SchemaChange[] = [];
  const old = fieldsOf(before);
  for (const [type, fields] of fieldsOf(after)) {
    const had = old.get(type);
    if (!had) {
      safe.push({ level: 'safe', type: 'TYPE_ADDED', coordinate: type, description: `${type} was added.` });
      continue;
    }
    for (const f of fields) if (!had.has(f)) safe.push({ level: 'safe', type: 'FIELD_ADDED', coordinate: `${type}.${f}`, description: `${type}.${f} was added.` });
  }
  const byCoordinate = (a: SchemaChange, b: SchemaChange) => a.coordinate.localeCompare(b.coordinate) || a.description.localeCompare(b.description);
  return [...breaking.sort(byCoordinate), ...dangerous.sort(byCoordinate), ...safe.sort(byCoordinate)];
}

/** The `Type.field` coordinates added from `before` to `after` (new fields of new and old types). */
export function addedFieldCoordinates(changes: readonly SchemaChange[], after: GraphQLSchema): string[] {
  const out = new Set<string>();
  for (const c of changes) {
    if (c.type === 'FIELD_ADDED') out.add(c.coordinate);
    if (c.type === 'TYPE_ADDED') {
      const type = after.getType(c.coordinate);
      if (isObjectType(type)) for (const f of Object.keys(type.getFields())) out.add(`${c.coordinate}.${f}`);
    }
  }
  return [...out].sort();
}
