/**
 * The schema one principal may query: the API schema with every field its access profile
 * denies on every row removed, then every type left without fields (and every field, union
 * member or interface that pointed at such a type) removed, then every type no longer reachable
 * from a root removed — so introspection names nothing the principal could not ask for.
 *
 * Fields that are `allow` or `allow-if-row` stay: the principal may ask for them and gets them
 * on rows whose label passes. Built on the SDL (print → filter → build), so descriptions,
 * deprecations and `@specifiedBy` survive.
 */
import {
  buildASTSchema,
  Kind,
  OperationTypeNode,
  parse,
  printSchema,
  type DefinitionNode,
  type DocumentNode,
  type FieldDefinitionNode,
  type GraphQLSchema,
  type InputValueDefinitionNode,
  type TypeNode,
} from 'graphql';
import type { AccessProfile } from '../policy';

/** Whether the principal may ask for `Type.field` on at least some rows. */
export type FieldVisibility = (typeName: string, fieldName: string) => boolean;

/** Visibility from an access profile: anything but a `deny` may be asked for. */
export function profileVisibility(profile: AccessProfile): FieldVisibility {
  return (typeName, fieldName) => profile.field(typeName, fieldName).effect !== 'deny';
}

function namedTypeOf(t: TypeNode): string {
  return t.kind === Kind.NAMED_TYPE ? t.name.value : namedTypeOf(t.type);
}

type Writable<T> = { -readonly [K in keyof T]: T[K] };
type TypeDef = Extract<DefinitionNode, { readonly name: unknown; readonly kind: `${string}TypeDefinition` }>;

function isTypeDef(d: DefinitionNode): d is TypeDef {
  return (
    d.kind === Kind.OBJECT_TYPE_DEFINITION ||
    d.kind === Kind.INTERFACE_TYPE_DEFINITION ||
    d.kind === Kind.UNION_TYPE_DEFINITION ||
    d.kind === Kind.ENUM_TYPE_DEFINITION ||
    d.kind === Kind.INPUT_OBJECT_TYPE_DEFINITION ||
    d.kind === Kind.SCALAR_TYPE_DEFINITION
  );
}

const BUILT_IN_SCALARS = new Set(['String', 'Int', 'Float', 'Boolean', 'ID']);

/** Types a definition refers to (fields' types, arguments, members, interfaces, input fields). */
function references(d: TypeDef): string[] {
  const out: string[] = [];
  const args = (list: readonly InputValueDefinitionNode[] | undefined) => list?.forEach((a) => out.push(namedTypeOf(a.type)));
  if (d.kind === Kind.OBJECT_TYPE_DEFINITION || d.kind === Kind.INTERFACE_TYPE_DEFINITION) {
    for (const f of d.fields ?? []) {
      out.push(namedTypeOf(f.type));
      args(f.arguments);
    }
    d.interfaces?.forEach((i) => out.push(i.name.value));
  } else if (d.kind === Kind.UNION_TYPE_DEFINITION) d.types?.forEach((t) => out.push(t.name.value));
  else if (d.kind === Kind.INPUT_OBJECT_TYPE_DEFINITION) args(d.fields);
  return out;
}

/** The part of `schema` a principal with `visible` may query (see the file comment). */
export function filterSchema(schema: GraphQLSchema, visible: FieldVisibility): GraphQLSchema {
  const doc = parse(printSchema(schema));
  const roots = [schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()].flatMap((t) => (t ? [t.name] : []));
  const queryRoot = schema.getQueryType()?.name;
  const defs = new Map<string, Writable<TypeDef>>();
  const others: DefinitionNode[] = [];
  for (const d of doc.definitions) {
    if (isTypeDef(d)) defs.set(d.name.value, { ...d });
    else if (d.kind !== Kind.SCHEMA_DEFINITION) others.push(d);
  }

  // 1. Fields denied on every row go.
  for (const [name, d] of defs) {
    if (d.kind === Kind.OBJECT_TYPE_DEFINITION || d.kind === Kind.INTERFACE_TYPE_DEFINITION) {
      d.fields = (d.fields ?? []).filter((f: FieldDefinitionNode) => visible(name, f.name.value));
    }
  }

  // 2. Until nothing changes: types without fields or members go, and whatever points at them.
  const gone = (n: string) => !defs.has(n) && !BUILT_IN_SCALARS.has(n);
  for (let changed = true; changed; ) {
    changed = false;
    for (const [name, d] of defs) {
      if (d.kind === Kind.OBJECT_TYPE_DEFINITION || d.kind === Kind.INTERFACE_TYPE_DEFINITION) {
        const fields = (d.fields ?? []).filter((f) => !gone(namedTypeOf(f.type)) && !(f.arguments ?? []).some((a) => gone(namedTypeOf(a.type))));
        const interfaces = (d.interfaces ?? []).filter((i) => !gone(i.name.value));
        if (fields.length !== (d.fields ?? []).length || interfaces.length !== (d.interfaces ?? []).length) changed = true;
        d.fields = fields;
        d.interfaces = interfaces;
        // The query root stays even when empty (a schema needs one); other roots go with their fields.
        if (fields.length === 0 && name !== queryRoot) {
          defs.delete(name);
          changed = true;
        }
      } else if (d.kind === Kind.UNION_TYPE_DEFINITION) {
        const members = (d.types ?? []).filter((t) => !gone(t.name.value));
        if (members.length !== (d.types ?? []).length) changed = true;
        d.types = members;
        if (members.length === 0) {
          defs.delete(name);
          changed = true;
        }
      }
    }
  }

  // 3. Only what a root still reaches (an interface reaches its remaining implementations).
  const implementers = new Map<string, string[]>();
  for (const [name, d] of defs) {
    if (d.kind === Kind.OBJECT_TYPE_DEFINITION || d.kind === Kind.INTERFACE_TYPE_DEFINITION) {
      for (const i of d.interfaces ?? []) implementers.set(i.name.value, [...(implementers.get(i.name.value) ?? []), name]);
    }
  }
  const reached = new Set<string>();
  const queue = roots.filter((r) => defs.has(r));
  for (let name = queue.pop(); name !== undefined; name = queue.pop()) {
    if (reached.has(name)) continue;
    reached.add(name);
    const d = defs.get(name);
    if (!d) continue;
    for (const r of [...references(d), ...(implementers.get(name) ?? [])]) if (defs.has(r) && !reached.has(r)) queue.push(r);
  }

  const rootOps = (
    [
      [OperationTypeNode.QUERY, schema.getQueryType()],
      [OperationTypeNode.MUTATION, schema.getMutationType()],
      [OperationTypeNode.SUBSCRIPTION, schema.getSubscriptionType()],
    ] as const
  ).flatMap(([op, t]) => (t && reached.has(t.name) ? [{ op, name: t.name }] : []));
  const filtered: DocumentNode = {
    kind: Kind.DOCUMENT,
    definitions: [
      {
        kind: Kind.SCHEMA_DEFINITION,
        operationTypes: rootOps.map(({ op, name }) => ({
          kind: Kind.OPERATION_TYPE_DEFINITION,
          operation: op,
          type: { kind: Kind.NAMED_TYPE, name: { kind: Kind.NAME, value: name } },
        })),
      },
      ...others,
      ...[...defs.values()].filter((d) => reached.has(d.name.value)),
    ],
  };
  // The source schema was valid and only whole fields/types were removed, so validation is skipped:
  // a root left without fields is legal here (it answers introspection with no fields).
  return buildASTSchema(filtered, { assumeValid: true, assumeValidSDL: true });
}
