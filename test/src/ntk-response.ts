/**
 * Reading a gateway response the way a compliance officer reads it: which paths carry values
 * (released), which are null with a FORBIDDEN error (denied, with reason and exact path), and
 * whether the response keeps the shape of the query that asked for it.
 */
import {
  getNamedType,
  isInterfaceType,
  isObjectType,
  Kind,
  parse,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLInterfaceType,
  type GraphQLObjectType,
  type GraphQLNamedType,
  type GraphQLSchema,
  type SelectionSetNode,
} from 'graphql';
import type { GraphQLReply } from './client';

type Json = unknown;

/**
 * Every value at a dotted path (`container.investigations.suspects.name`), stepping into every
 * element of each list on the way; `null` on the way ends that branch (it yields `null`).
 */
export function valuesAt(data: Json, path: string): Json[] {
  let current: Json[] = [data];
  for (const key of path.split('.')) {
    const next: Json[] = [];
    for (const v of current.flatMap((x) => (Array.isArray(x) ? (x as Json[]) : [x]))) {
      if (v === null || v === undefined) next.push(null);
      else if (typeof v === 'object') next.push((v as Record<string, Json>)[key]);
    }
    current = next;
  }
  return current.flatMap((x) => (Array.isArray(x) ? (x as Json[]) : [x]));
}

/** The value at an exact response path (`container.investigations.0.judicialCases`). */
export function valueAtExact(data: Json, path: string): Json {
  let v: Json = data;
  for (const key of path.split('.')) {
    if (v === null || typeof v !== 'object') return undefined;
    v = Array.isArray(v) ? (v as Json[])[Number(key)] : (v as Record<string, Json>)[key];
  }
  return v;
}

/** FORBIDDEN errors of a reply as `path → reason`; throws on a FORBIDDEN error without path or reason. */
export function forbiddenByPath(reply: GraphQLReply): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of reply.body.errors ?? []) {
    if (e.extensions?.code !== 'FORBIDDEN') continue;
    if (!e.path || typeof e.extensions.reason !== 'string') throw new Error(`FORBIDDEN error without path or reason: ${JSON.stringify(e)}`);
    out[e.path.join('.')] = e.extensions.reason;
  }
  return out;
}

/** Errors of a reply that are not FORBIDDEN (there should be none in a need-to-know answer). */
export function otherErrors(reply: GraphQLReply): unknown[] {
  return (reply.body.errors ?? []).filter((e) => e.extensions?.code !== 'FORBIDDEN');
}

/** Exact paths of every `null` in the data, e.g. `container.investigations.0.judicialCases`. */
export function nullPaths(data: Json, prefix: string[] = []): string[] {
  if (data === null) return [prefix.join('.')];
  if (Array.isArray(data)) return data.flatMap((v, i) => nullPaths(v, [...prefix, String(i)]));
  if (typeof data === 'object' && data !== undefined) {
    return Object.entries(data as Record<string, Json>).flatMap(([k, v]) => nullPaths(v, [...prefix, k]));
  }
  return [];
}

function responseKeys(set: SelectionSetNode, fragments: Map<string, FragmentDefinitionNode>): Map<string, SelectionSetNode | undefined> {
  const out = new Map<string, SelectionSetNode | undefined>();
  for (const s of set.selections) {
    if (s.kind === Kind.FIELD) out.set(s.alias?.value ?? s.name.value, s.selectionSet);
    else {
      const inner = s.kind === Kind.INLINE_FRAGMENT ? s.selectionSet : fragments.get(s.name.value)?.selectionSet;
      if (inner) for (const [k, v] of responseKeys(inner, fragments)) out.set(k, v);
    }
  }
  return out;
}

/**
 * Where the data does not have the shape of the query (a missing or extra key on an object),
 * as exact paths; empty when the shape matches. Written for queries without type conditions
 * on abstract types (every shipped operation).
 */
export function shapeMismatches(query: string | DocumentNode, data: Json): string[] {
  const doc = typeof query === 'string' ? parse(query) : query;
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of doc.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
  const op = doc.definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION);
  if (!op || op.kind !== Kind.OPERATION_DEFINITION) throw new Error('no operation in the query');
  const problems: string[] = [];
  const walk = (value: Json, set: SelectionSetNode, path: string[]): void => {
    if (value === null || value === undefined) return;
    if (Array.isArray(value)) {
      value.forEach((v, i) => walk(v, set, [...path, String(i)]));
      return;
    }
    if (typeof value !== 'object') {
      problems.push(`${path.join('.')}: a scalar where the query selects fields`);
      return;
    }
    const expected = responseKeys(set, fragments);
    const obj = value as Record<string, Json>;
    for (const k of Object.keys(obj)) if (!expected.has(k)) problems.push(`${[...path, k].join('.')}: not asked for`);
    for (const [k, sub] of expected) {
      if (!(k in obj)) problems.push(`${[...path, k].join('.')}: missing`);
      else if (sub) walk(obj[k], sub, [...path, k]);
    }
  };
  walk(data, op.selectionSet, []);
  return problems;
}

/**
 * The schema coordinate (`Investigation.judicialCases`) of the field at an exact response path of
 * `query`, typed against `schema` (list indices are skipped).
 */
export function coordinateAt(schema: GraphQLSchema, query: string | DocumentNode, path: string): string {
  const doc = typeof query === 'string' ? parse(query) : query;
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of doc.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
  const op = doc.definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION);
  if (!op || op.kind !== Kind.OPERATION_DEFINITION) throw new Error('no operation in the query');
  let type: GraphQLNamedType | null | undefined = schema.getRootType(op.operation);
  let set: SelectionSetNode | undefined = op.selectionSet;
  let coordinate = '';
  for (const key of path.split('.').filter((k) => !/^\d+$/.test(k))) {
    if (!set || !type || !(isObjectType(type) || isInterfaceType(type))) throw new Error(`${path}: ${key} is below a leaf`);
    const fieldName = fieldNameOf(set, key, fragments);
    const parent: GraphQLObjectType | GraphQLInterfaceType = type;
    const field: GraphQLField<unknown, unknown> | undefined = parent.getFields()[fieldName];
    if (!field) throw new Error(`${path}: ${parent.name}.${fieldName} is not in the schema`);
    coordinate = `${parent.name}.${fieldName}`;
    set = responseKeys(set, fragments).get(key);
    type = getNamedType(field.type);
  }
  return coordinate;
}

function fieldNameOf(set: SelectionSetNode, key: string, fragments: Map<string, FragmentDefinitionNode>): string {
  for (const s of set.selections) {
    if (s.kind === Kind.FIELD) {
      if ((s.alias?.value ?? s.name.value) === key) return s.name.value;
    } else {
      const inner = s.kind === Kind.INLINE_FRAGMENT ? s.selectionSet : fragments.get(s.name.value)?.selectionSet;
      if (inner) {
        try {
          return fieldNameOf(inner, key, fragments);
        } catch {
          // not in this fragment
        }
      }
    }
  }
  throw new Error(`no selection answers ${key}`);
}
