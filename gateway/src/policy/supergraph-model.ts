/**
 * What the policy engine needs to know about the supergraph, read from the composed
 * SDL's `@join__type` / `@join__field` directives: which subgraph resolves each field,
 * which types are entities (and their keys), which carry a row label, which are shared
 * value types. Only the API surface counts: `@inaccessible` elements and the join/link
 * machinery are left out.
 */
import {
  Kind,
  OperationTypeNode,
  parse,
  type ConstDirectiveNode,
  type FieldDefinitionNode,
  type TypeNode,
  type ObjectTypeDefinitionNode,
  type InterfaceTypeDefinitionNode,
} from 'graphql';
import { parseFieldSet, topLevelKeyFields, type FieldSetTree } from './field-set';

/** Name of the field holding a row's label, and of its type (kit SDL). */
export const LABEL_FIELD = 'label';
export const LABEL_TYPE = 'RecordLabel';
/** The hit/no-hit answer type (Prüm style). */
export const HIT_TYPE = 'Hit';

/** One field of the API schema. */
export interface FieldModel {
  readonly name: string;
  /**
   * Subgraphs able to resolve it (external declarations excluded), sorted. A field an
   * `@interfaceObject` adds to an interface is resolved, on every implementation, by the
   * subgraphs declaring that interface object.
   */
  readonly graphs: readonly string[];
  /**
   * Subgraphs that declare it `@external` but return it along a `@provides` path, sorted: the
   * planner takes the value from them there, so they answer for it as much as `graphs` do.
   */
  readonly providedBy: readonly string[];
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
  /** Top-level fields of every `@key` of every subgraph: the entity's identity, the same wherever it is read. */
  readonly identityFields: ReadonlySet<string>;
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
  /** Name of the query root type. */
  readonly queryType: string;
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
  let queryType = 'Query';
  for (const def of doc.definitions) {
    if (def.kind === Kind.SCHEMA_DEFINITION) {
      rootTypes.clear();
      for (const op of def.operationTypes) {
        rootTypes.add(op.type.name.value);
        if (op.operation === OperationTypeNode.QUERY) queryType = op.type.name.value;
      }
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

  // Fields first, types after: interface-object fields and `@provides` paths fix up field
  // graphs across types, and a type's owner is computed from its final field graphs.
  const draft = new Map<string, { def: (typeof defs)[number]; graphs: string[]; key: string | undefined; identity: Set<string>; fields: Map<string, DraftField> }>();
  const provides: { graph: string; typeName: string; fieldSet: string }[] = [];
  for (const def of defs) {
    const joinTypes = directives(def, 'join__type');
    const graphs = [...new Set(joinTypes.map(graphOf).filter((g): g is string => g !== undefined))].sort();
    const keyDirective = joinTypes.find((d) => typeof argValue(d, 'key') === 'string');
    const key = keyDirective ? argValue(keyDirective, 'key') : undefined;
    const identity = new Set<string>();
    for (const d of joinTypes) {
      const k = argValue(d, 'key');
      if (typeof k === 'string') for (const f of topLevelKeyFields(k)) identity.add(f);
    }
    const fields = new Map<string, DraftField>();
    for (const field of def.fields ?? []) {
      if (directives(field, 'inaccessible').length > 0) continue;
      fields.set(field.name.value, draftField(field, graphs, graphOf));
      for (const d of directives(field, 'join__field')) {
        const fieldSet = argValue(d, 'provides');
        const graph = graphOf(d);
        if (typeof fieldSet === 'string' && graph !== undefined) provides.push({ graph, typeName: namedType(field.type), fieldSet });
      }
    }
    draft.set(def.name.value, { def, graphs, key: typeof key === 'string' ? key : undefined, identity, fields });
  }
  for (const t of draft.values()) {
    for (const f of t.fields.values()) {
      if (!f.viaInterfaceObject) continue;
      // `@join__field` with no graph: no subgraph resolves it on this type; the interface
      // objects of the interfaces it implements do (composition adds the field here for them).
      for (const iface of t.def.interfaces ?? []) {
        for (const g of draft.get(iface.name.value)?.fields.get(f.name)?.graphs ?? []) f.graphs.add(g);
      }
    }
  }
  for (const p of provides) markProvided(draft, p.graph, p.typeName, parseFieldSet(p.fieldSet));

  const types = new Map<string, TypeModel>();
  for (const [name, t] of draft) {
    const fields = new Map<string, FieldModel>();
    for (const [fieldName, f] of t.fields) {
      const providedBy = [...f.providedBy].filter((g) => !f.graphs.has(g)).sort();
      fields.set(fieldName, { name: fieldName, graphs: [...f.graphs].sort(), providedBy, returnType: f.returnType });
    }
    const keyFields = t.key === undefined ? undefined : topLevelKeyFields(t.key);
    const labelField = fields.get(LABEL_FIELD);
    const sharedValueType = t.key === undefined && t.graphs.length > 1 && !rootTypes.has(name);
    types.set(name, {
      name,
      kind: t.def.kind === Kind.OBJECT_TYPE_DEFINITION ? 'object' : 'interface',
      graphs: t.graphs,
      ...(keyFields ? { keyFields } : {}),
      identityFields: t.identity,
      fields,
      labelled: labelField?.returnType === LABEL_TYPE,
      sharedValueType,
      owningGraph: owningGraphOf(t.graphs, fields, keyFields ?? []),
      implementations: (implementations.get(name) ?? []).sort(),
    });
  }
  return { types, graphs: [...graphNames.values()].sort(), rootTypes, queryType };
}

/** A field while the model is being built. */
interface DraftField {
  readonly name: string;
  readonly graphs: Set<string>;
  readonly providedBy: Set<string>;
  readonly returnType: string;
  /** Declared with a bare `@join__field`: contributed by an interface object. */
  readonly viaInterfaceObject: boolean;
}

function draftField(field: FieldDefinitionNode, typeGraphs: readonly string[], graphOf: (d: ConstDirectiveNode) => string | undefined): DraftField {
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
  const viaInterfaceObject = joinFields.length > 0 && joinFields.every((d) => (d.arguments ?? []).length === 0);
  return { name: field.name.value, graphs: new Set(graphs), providedBy: new Set(), returnType: namedType(field.type), viaInterfaceObject };
}

function markProvided(draft: ReadonlyMap<string, { fields: Map<string, DraftField> }>, graph: string, typeName: string, tree: FieldSetTree): void {
  const type = draft.get(typeName);
  if (!type) return;
  for (const [name, sub] of tree) {
    const f = type.fields.get(name);
    if (!f) continue;
    f.providedBy.add(graph);
    if (sub.size > 0) markProvided(draft, graph, f.returnType, sub);
  }
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

/** Agency owning `Type.field`: the agency of its {@link resolvingGraph}, if any (the first of {@link fieldOwners}). */
export function fieldOwner(agencyBySubgraph: ReadonlyMap<string, string>, type: TypeModel, field: string): string | undefined {
  const f = type.fields.get(field);
  if (!f) return undefined;
  const graph = resolvingGraph(type, f);
  return graph === undefined ? undefined : agencyBySubgraph.get(graph);
}

/**
 * Every agency that answers for `Type.field`, the {@link fieldOwner} first: the agencies of all
 * subgraphs the query planner may take the value from — each resolving subgraph, and each
 * providing it along a `@provides` path. The planner picks among them per operation (a
 * `@shareable` field may come from a different subgraph once the operation around it changes),
 * so a decision cannot rest on one of them: Pactum releases such a field only when every one of
 * these agencies grants it (see `decideField`). The one exception is an entity's identity (the
 * fields of its `@key`s): it is the same value in every subgraph by construction, and its type's
 * owner answers for it alone.
 *
 * Undefined when no subgraph resolves the field, or when one that may answer for it belongs to
 * no agency: nobody could grant what that subgraph returns, so the field is never released.
 */
export function fieldOwners(agencyBySubgraph: ReadonlyMap<string, string>, type: TypeModel, field: string): readonly string[] | undefined {
  const f = type.fields.get(field);
  if (!f) return undefined;
  const first = fieldOwner(agencyBySubgraph, type, field);
  if (first === undefined) return undefined;
  if (type.identityFields.has(field)) return [first];
  const owners = new Set<string>([first]);
  for (const g of [...f.graphs, ...f.providedBy]) {
    const agency = agencyBySubgraph.get(g);
    if (agency === undefined) return undefined;
    owners.add(agency);
  }
  return [...owners];
}
