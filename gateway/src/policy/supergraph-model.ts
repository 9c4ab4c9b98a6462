/**
 * What the policy engine needs to know about the supergraph, read from the composed
 * SDL's `@join__type` / `@join__field` directives: which subgraph resolves each field,
 * which types are entities (and their keys), which carry a row label, which are shared
 * value types. Only the API surface counts: `@inaccessible` elements and the join/link
 * machinery are left out.
 */
import {
  Kind,
  parse,
  type ConstDirectiveNode,
  type FieldDefinitionNode,
  type TypeNode,
  type ObjectTypeDefinitionNode,
  type InterfaceTypeDefinitionNode,
} from 'graphql';

/** Name of the field holding a row's label, and of its type (kit SDL). */
export const LABEL_FIELD = 'label';
export const LABEL_TYPE = 'RecordLabel';
/** The hit/no-hit answer type (Prüm style). */
export const HIT_TYPE = 'Hit';

/** One field of the API schema. */
export interface FieldModel {
  readonly name: string;
  /** Subgraphs able to resolve it (external declarations excluded), sorted. */
  readonly graphs: readonly string[];
  /** Named return type (wrappers removed). */
  readonly returnType: string;
}

/** One object or interface type of the API schema. */
export interface TypeModel {
  readonly name: string;
  readonly kind: 'object' | 'interface';
  /** Subgraphs that define the type, sorted. */
  readonly graphs: readonly string[];
  /** Fields of the first `@key`, when the type is an entity. */
  readonly keyFields?: readonly string[];
  readonly fields: ReadonlyMap<string, FieldModel>;
  /** Has `label: RecordLabel`. */
  readonly labelled: boolean;
  /**
   * A value type shared by several subgraphs (no key), such as `RecordLabel` or `Hit`:
   * its fields are never decided on their own, they follow the field that returned them.
   */
  readonly sharedValueType: boolean;
  /** Subgraph that owns the type's rows (see {@link owningGraphOf}). */
  readonly owningGraph: string;
  /** For interfaces: the object types implementing it. */
  readonly implementations: readonly string[];
}

/** The supergraph, as the policy engine sees it. */
export interface SupergraphModel {
  readonly types: ReadonlyMap<string, TypeModel>;
  /** Subgraph names (from `join__Graph`), sorted. */
  readonly graphs: readonly string[];
  readonly rootTypes: ReadonlySet<string>;
}

function argValue(directive: ConstDirectiveNode, name: string): string | boolean | undefined {
  const arg = directive.arguments?.find((a) => a.name.value === name);
  if (!arg) return undefined;
  const v = arg.value;
  if (v.kind === Kind.STRING || v.kind === Kind.ENUM) return v.value;
  if (v.kind === Kind.BOOLEAN) return v.value;
  return undefined;
}

function directives(node: { directives?: readonly ConstDirectiveNode[] }, name: string): ConstDirectiveNode[] {
  return (node.directives ?? []).filter((d) => d.name.value === name);
}

function namedType(type: TypeNode): string {
  return type.kind === Kind.NAMED_TYPE ? type.name.value : namedType(type.type);
}

/** First-level field names of a `@key` field set (`"agency localId"` → both; nested selections skipped). */
function topLevelKeyFields(fieldSet: string): string[] {
  const out: string[] = [];
  let depth = 0;
  for (const token of fieldSet.replace(/([{}])/g, ' $1 ').split(/[\s,]+/).filter(Boolean)) {
    if (token === '{') depth++;
    else if (token === '}') depth--;
    else if (depth === 0) out.push(token);
  }
  return out;
}

/**
 * Parses a composed supergraph SDL. Throws an Error naming the problem when the SDL is
 * not a join-spec supergraph.
 */
export function parseSupergraph(sdl: string): SupergraphModel {
  const doc = parse(sdl, { noLocation: true });
  const graphNames = new Map<string, string>();
  for (const def of doc.definitions) {
    if (def.kind === Kind.ENUM_TYPE_DEFINITION && def.name.value === 'join__Graph') {
      for (const value of def.values ?? []) {
        const d = directives(value, 'join__graph')[0];
        const name = d ? argValue(d, 'name') : undefined;
        graphNames.set(value.name.value, typeof name === 'string' ? name : value.name.value.toLowerCase());
      }
    }
  }
  if (graphNames.size === 0) throw new Error('supergraph SDL has no join__Graph enum: not a composed supergraph');
  const graphOf = (directive: ConstDirectiveNode): string | undefined => {
    const g = argValue(directive, 'graph');
    return typeof g === 'string' ? graphNames.get(g) : undefined;
  };

  const rootTypes = new Set<string>(['Query', 'Mutation', 'Subscription']);
  for (const def of doc.definitions) {
    if (def.kind === Kind.SCHEMA_DEFINITION) {
      rootTypes.clear();
      for (const op of def.operationTypes) rootTypes.add(op.type.name.value);
    }
  }

  const defs: (ObjectTypeDefinitionNode | InterfaceTypeDefinitionNode)[] = [];
  for (const def of doc.definitions) {
    if (def.kind !== Kind.OBJECT_TYPE_DEFINITION && def.kind !== Kind.INTERFACE_TYPE_DEFINITION) continue;
    if (directives(def, 'inaccessible').length > 0) continue;
    if (directives(def, 'join__type').length === 0) continue; // link/join machinery
    defs.push(def);
  }

  const implementations = new Map<string, string[]>();
  for (const def of defs) {
    for (const iface of def.interfaces ?? []) {
      const list = implementations.get(iface.name.value) ?? [];
      list.push(def.name.value);
      implementations.set(iface.name.value, list);
    }
  }

  const types = new Map<string, TypeModel>();
  for (const def of defs) {
    const joinTypes = directives(def, 'join__type');
    const graphs = [...new Set(joinTypes.map(graphOf).filter((g): g is string => g !== undefined))].sort();
    const keyDirective = joinTypes.find((d) => typeof argValue(d, 'key') === 'string');
    const key = keyDirective ? argValue(keyDirective, 'key') : undefined;
    const fields = new Map<string, FieldModel>();
    for (const field of def.fields ?? []) {
      if (directives(field, 'inaccessible').length > 0) continue;
      fields.set(field.name.value, fieldModel(field, graphs, graphOf));
    }
    const name = def.name.value;
    const labelField = fields.get(LABEL_FIELD);
    const sharedValueType = key === undefined && graphs.length > 1 && !rootTypes.has(name);
    types.set(name, {
      name,
      kind: def.kind === Kind.OBJECT_TYPE_DEFINITION ? 'object' : 'interface',
      graphs,
      ...(typeof key === 'string' ? { keyFields: topLevelKeyFields(key) } : {}),
      fields,
      labelled: labelField?.returnType === LABEL_TYPE,
      sharedValueType,
      owningGraph: owningGraphOf(graphs, fields, typeof key === 'string' ? topLevelKeyFields(key) : []),
      implementations: (implementations.get(name) ?? []).sort(),
    });
  }
  return { types, graphs: [...graphNames.values()].sort(), rootTypes };
}

function fieldModel(
  field: FieldDefinitionNode,
  typeGraphs: readonly string[],
  graphOf: (d: ConstDirectiveNode) => string | undefined,
): FieldModel {
  const joinFields = directives(field, 'join__field');
  let graphs: string[];
  if (joinFields.length === 0) {
    // No @join__field: every subgraph defining the type resolves it (keys, shareable value fields).
    graphs = [...typeGraphs];
  } else {
    graphs = joinFields
      .filter((d) => argValue(d, 'external') !== true && argValue(d, 'usedOverridden') !== true)
      .map(graphOf)
      .filter((g): g is string => g !== undefined);
  }
  return { name: field.name.value, graphs: [...new Set(graphs)].sort(), returnType: namedType(field.type) };
}

/**
 * The subgraph owning a type's rows: the only one defining it; else the one resolving
 * its `label` (the owner labels its rows); else the one resolving most non-key fields
 * on its own (ties: alphabetical, so the answer is stable).
 */
function owningGraphOf(graphs: readonly string[], fields: ReadonlyMap<string, FieldModel>, keyFields: readonly string[]): string {
  if (graphs.length === 1) return graphs[0] ?? '';
  const label = fields.get(LABEL_FIELD);
  if (label && label.graphs.length === 1 && label.graphs[0]) return label.graphs[0];
  const counts = new Map<string, number>();
  for (const f of fields.values()) {
    if (keyFields.includes(f.name) || f.graphs.length !== 1 || !f.graphs[0]) continue;
    counts.set(f.graphs[0], (counts.get(f.graphs[0]) ?? 0) + 1);
  }
  let best = graphs[0] ?? '';
  let bestCount = -1;
  for (const g of graphs) {
    const c = counts.get(g) ?? 0;
    if (c > bestCount) {
      best = g;
      bestCount = c;
    }
  }
  return best;
}

/** The subgraph deciding ownership of `Type.field`: the type's owner when it can resolve it, else the first. */
export function resolvingGraph(type: TypeModel, field: FieldModel): string | undefined {
  if (field.graphs.includes(type.owningGraph)) return type.owningGraph;
  return field.graphs[0];
}

/** Agency owning `Type.field` (from the supergraph's resolving subgraph), if any. */
export function fieldOwner(agencyBySubgraph: ReadonlyMap<string, string>, type: TypeModel, field: string): string | undefined {
  const f = type.fields.get(field);
  if (!f) return undefined;
  const graph = resolvingGraph(type, f);
  return graph === undefined ? undefined : agencyBySubgraph.get(graph);
}
