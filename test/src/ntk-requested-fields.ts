/**
 * What a subgraph was actually asked: the schema coordinates (`Container.number`) selected in
 * the GraphQL documents a recording proxy kept, typed against the supergraph's API schema
 * (`_entities` representations by their inline fragments' type conditions).
 *
 * Left out, because they are plumbing and not data the principal asked for: the gateway's own
 * injected selections (aliases `__pactum_*`: row labels and entity keys enforcement reads),
 * `__typename`, `_entities`, and the entity key fields of each type (federation needs them to
 * join records, `@join__type(key: …)`).
 */
import { Kind, parse, visit, getNamedType, isInterfaceType, isObjectType, type GraphQLNamedType, type GraphQLSchema, type SelectionSetNode } from 'graphql';
import { loadApiSchema, loadSupergraphSdl } from '@pactum/schema';
import type { RecordedRequest } from './recording-proxy';

const INJECTED_ALIAS = /^__pactum_/;

let apiSchema: GraphQLSchema | undefined;
let keyFields: Set<string> | undefined;

/** `Type.field` of every entity key field of the supergraph (from `@join__type(key: "…")`). */
export function entityKeyFields(): Set<string> {
  if (keyFields) return keyFields;
  const out = new Set<string>();
  visit(parse(loadSupergraphSdl()), {
    enter(node) {
      if (node.kind !== Kind.OBJECT_TYPE_DEFINITION && node.kind !== Kind.INTERFACE_TYPE_DEFINITION) return;
      for (const d of node.directives ?? []) {
        if (d.name.value !== 'join__type') continue;
        const key = d.arguments?.find((a) => a.name.value === 'key')?.value;
        if (key?.kind !== Kind.STRING) continue;
        // Key field sets here are flat (`number`, `agency localId`); nested sets would need a parser.
        for (const f of key.value.split(/[\s{}]+/).filter(Boolean)) out.add(`${node.name.value}.${f}`);
      }
    },
  });
  keyFields = out;
  return out;
}

function schema(): GraphQLSchema {
  apiSchema ??= loadApiSchema();
  return apiSchema;
}

function collect(set: SelectionSetNode, parent: GraphQLNamedType, out: Set<string>, keys: Set<string>): void {
  for (const s of set.selections) {
    if (s.kind === Kind.INLINE_FRAGMENT) {
      const cond = s.typeCondition ? schema().getType(s.typeCondition.name.value) : parent;
      if (!cond) throw new Error(`unknown type condition ${s.typeCondition?.name.value}`);
      collect(s.selectionSet, cond, out, keys);
      continue;
    }
    if (s.kind === Kind.FRAGMENT_SPREAD) throw new Error('the gateway sends subgraphs no named fragments here; extend the walker if it does');
    const name = s.name.value;
    if (s.alias && INJECTED_ALIAS.test(s.alias.value)) continue;
    if (name === '__typename') continue;
    if (name === '_entities') {
      if (s.selectionSet) collect(s.selectionSet, parent, out, keys);
      continue;
    }
    if (!isObjectType(parent) && !isInterfaceType(parent)) throw new Error(`${parent.name} has no fields (selected ${name})`);
    const field = parent.getFields()[name];
    if (!field) throw new Error(`${parent.name}.${name} is not in the supergraph API schema`);
    const coordinate = `${parent.name}.${name}`;
    if (!keys.has(coordinate)) out.add(coordinate);
    if (s.selectionSet) collect(s.selectionSet, getNamedType(field.type), out, keys);
  }
}

/** Coordinates of the data fields requested in `requests` (see the file comment for what is left out). */
export function requestedFields(requests: readonly RecordedRequest[]): Set<string> {
  const out = new Set<string>();
  const keys = entityKeyFields();
  for (const r of requests) {
    for (const def of parse(r.query).definitions) {
      if (def.kind !== Kind.OPERATION_DEFINITION) continue;
      const root = def.operation === 'query' ? schema().getQueryType() : schema().getMutationType();
      if (!root) throw new Error(`no ${def.operation} type`);
      collect(def.selectionSet, root, out, keys);
    }
  }
  return out;
}
