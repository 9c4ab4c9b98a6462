/**
 * The reference answer: the full, unrestricted answer of an operation (from the bare gateway,
 * augmented by `augmentOperation`) pruned node by node with the policy engine's decision
 * functions — the naive, obviously-correct evaluation of the need-to-know rules, sharing nothing
 * with the gateway's enforcement plan or rewrite:
 *
 * 1. a field is decided by `policy.explain(principal, purpose, at, Type, field, label?)`;
 * 2. a row of a labelled type is visible iff `policy.explainRow(...)` says so; an invisible row
 *    leaves a list silently and is null + FORBIDDEN as a single object (null without error when
 *    its existence is secret), whatever is selected on it, `__typename` alone included;
 * 3. on a visible row every selected field is released iff allowed on its label, otherwise null +
 *    FORBIDDEN at its path; nulls propagate through non-null types as GraphQL does; `__typename`
 *    is always released on a visible object;
 * 4. root fields are decided like any field.
 *
 * And one stated reason for releasing less: data minimisation sends no subgraph a field that is
 * denied statically (no row involved), and GraphQL has no empty selection set, so a field all of
 * whose selected subfields are denied statically (recursively; `__typename` counts as selected)
 * is itself null + FORBIDDEN, with the reason of its first denied subfield in document order.
 */
import {
  getDirectiveValues,
  getNamedType,
  getNullableType,
  GraphQLIncludeDirective,
  GraphQLSkipDirective,
  isCompositeType,
  isListType,
  isNonNullType,
  isObjectType,
  Kind,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLObjectType,
  type GraphQLOutputType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import type { DeclaredPurpose, Principal } from '@pactum/gateway/src/auth';
import type { CompiledPolicy, DenyReason, RowLabel } from '@pactum/gateway/src/policy';
import { isLabelled, keyKey, LABEL_KEY } from './augment-operation';
import { StaticDecisions } from './static-decisions';

/** Who asks, why and when: the decision functions' first three arguments. */
export interface Asker {
  readonly principal: Principal;
  readonly purpose: DeclaredPurpose;
  readonly at: Date;
}

/** What the rules release. */
export interface ReferenceAnswer {
  readonly data: Record<string, unknown> | null;
  /** FORBIDDEN errors: exact response path (`a.0.b`) → reason. */
  readonly forbidden: ReadonlyMap<string, DenyReason>;
  /** Entities present in `data` with at least one released field, as `Type:key` (keys joined by `/`). */
  readonly entities: ReadonlySet<string>;
  /** Paths of released values that differ per caller by design (hit references): compared as present, not by value. */
  readonly volatile: readonly string[];
  /** Rows withheld: dropped from lists, and nulled as single objects. */
  readonly withheld: { readonly inLists: number; readonly single: number };
}

/** Leaves whose value is made for each caller (an opaque hit reference is issued to whoever asks). */
const VOLATILE_LEAVES = new Set(['Hit.reference']);

type Json = unknown;
/** A row its owner withholds (dropped from a list, null + FORBIDDEN unless secret elsewhere). */
class Withheld {
  constructor(
    readonly reason: DenyReason,
    readonly secret: boolean,
  ) {}
}
/** A null that must propagate to the nearest nullable position. */
const NULLED = Symbol('nulled');

type FieldMap = Map<string, FieldNode[]>;

class Pruning {
  readonly forbidden = new Map<string, DenyReason>();
  readonly volatile: string[] = [];
  readonly withheld = { inLists: 0, single: 0 };
  /** Output objects of released entities → their `Type:key`. */
  readonly entityOf = new WeakMap<object, string>();
  private readonly statics: StaticDecisions;

  constructor(
    readonly schema: GraphQLSchema,
    readonly policy: CompiledPolicy,
    readonly asker: Asker,
    readonly fragments: ReadonlyMap<string, FragmentDefinitionNode>,
    readonly variables: Readonly<Record<string, unknown>>,
  ) {
    this.statics = new StaticDecisions(policy, asker, fragments);
  }

  private deny(path: readonly (string | number)[], reason: DenyReason): void {
    this.forbidden.set(path.join('.'), reason);
  }

  /** Is a selection skipped by `@skip` / `@include` under the request's variables? */
  private skipped(node: { directives?: readonly unknown[] } & Parameters<typeof getDirectiveValues>[1]): boolean {
    if (getDirectiveValues(GraphQLSkipDirective, node, this.variables)?.['if'] === true) return true;
    return getDirectiveValues(GraphQLIncludeDirective, node, this.variables)?.['if'] === false;
  }

  /** Response key → field nodes, in document order, fragments merged in place, directives applied. */
  collect(sets: readonly SelectionSetNode[], out: FieldMap = new Map()): FieldMap {
    for (const set of sets) {
      for (const s of set.selections) {
        if (this.skipped(s)) continue;
        if (s.kind === Kind.FIELD) {
          const key = s.alias?.value ?? s.name.value;
          const list = out.get(key);
          if (list) list.push(s);
          else out.set(key, [s]);
        } else if (s.kind === Kind.INLINE_FRAGMENT) {
          this.collect([s.selectionSet], out);
        } else {
          const f = this.fragments.get(s.name.value);
          if (f) this.collect([f.selectionSet], out);
        }
      }
    }
    return out;
  }

  private rowLabel(full: Record<string, Json>): RowLabel | undefined {
    const l = full[LABEL_KEY];
    if (l === null || typeof l !== 'object') return undefined;
    return l as RowLabel;
  }

  object(type: GraphQLObjectType, sets: readonly SelectionSetNode[], full: Record<string, Json>, path: (string | number)[]): Record<string, Json> | typeof NULLED | Withheld {
    const { principal, purpose, at } = this.asker;
    let label: RowLabel | undefined;
    if (isLabelled(type)) {
      label = this.rowLabel(full);
      // A labelled row whose label cannot be read is visible to no one (default deny).
      if (!label) return new Withheld('NO_AGREEMENT', false);
      const row = this.policy.explainRow(principal, purpose, at, type.name, label);
      if (!row.visible) return new Withheld(row.reason, row.secret);
    }
    const out: Record<string, Json> = {};
    let nullSelf = false;
    let releasedAny = false;
    for (const [key, nodes] of this.collect(sets)) {
      const node = nodes[0] as FieldNode;
      const fieldName = node.name.value;
      if (fieldName === '__typename') {
        out[key] = type.name;
        continue;
      }
      const def = type.getFields()[fieldName];
      if (!def) throw new Error(`reference: ${type.name}.${fieldName} is not in the schema`);
      const here = [...path, key];
      const childSets = nodes.flatMap((n) => (n.selectionSet ? [n.selectionSet] : []));
      const named = getNamedType(def.type);
      let reason = this.statics.denial(type.name, fieldName);
      if (!reason && isObjectType(named)) reason = this.statics.collapse(named, childSets) ?? undefined;
      if (!reason) {
        const e = this.policy.explain(principal, purpose, at, type.name, fieldName, label);
        if (e.effect !== 'allow') reason = e.reason ?? 'NO_AGREEMENT';
      }
      if (reason) {
        this.deny(here, reason);
        out[key] = null;
        if (isNonNullType(def.type)) nullSelf = true;
        continue;
      }
      releasedAny = true;
      const v = this.complete(def.type, childSets, full[key], here, false);
      if (v === NULLED) {
        out[key] = null;
        if (isNonNullType(def.type)) nullSelf = true;
      } else {
        out[key] = v;
        if (v !== null && VOLATILE_LEAVES.has(`${type.name}.${fieldName}`)) this.volatile.push(here.join('.'));
      }
    }
    if (nullSelf) return NULLED;
    const keys = this.policy.facts.keyFields(type.name);
    if (releasedAny && keys && keys.length > 0) this.entityOf.set(out, `${type.name}:${keys.map((k) => String(full[keyKey(k)])).join('/')}`);
    return out;
  }

  complete(type: GraphQLOutputType, sets: readonly SelectionSetNode[], v: Json, path: (string | number)[], inList: boolean): Json | typeof NULLED | Withheld {
    if (isNonNullType(type)) {
      const r = this.complete(type.ofType, sets, v, path, inList);
      return r === null ? NULLED : r;
    }
    if (v === null || v === undefined) return null;
    if (isListType(type)) {
      if (!Array.isArray(v)) throw new Error(`reference: ${path.join('.')} is not a list in the full answer`);
      const out: Json[] = [];
      for (const item of v as Json[]) {
        const r = this.complete(type.ofType, sets, item, [...path, out.length], true);
        if (r instanceof Withheld) {
          this.withheld.inLists++;
          continue; // silently: a list's length says nothing of withheld rows
        }
        if (r === NULLED) {
          if (isNonNullType(type.ofType)) return NULLED;
          out.push(null);
        } else out.push(r);
      }
      return out;
    }
    const named = getNullableType(type);
    if (!isCompositeType(named)) return v;
    if (!isObjectType(named)) throw new Error(`reference: abstract type ${named.name} (the API has none)`);
    const r = this.object(named, sets, v as Record<string, Json>, path);
    if (!(r instanceof Withheld) || inList) return r;
    this.withheld.single++;
    if (!r.secret) this.deny(path, r.reason);
    return null;
  }

  /** `Type:key` of every released entity still present in `data`. */
  entitiesIn(data: Json, into = new Set<string>()): Set<string> {
    if (Array.isArray(data)) for (const x of data) this.entitiesIn(x, into);
    else if (data !== null && typeof data === 'object') {
      const id = this.entityOf.get(data);
      if (id) into.add(id);
      for (const x of Object.values(data as Record<string, Json>)) this.entitiesIn(x, into);
    }
    return into;
  }
}

/**
 * The reference answer of `doc` (the operation as the client sent it) for `asker`, given the
 * bare gateway's full answer of its augmented form.
 */
export function referenceAnswer(
  schema: GraphQLSchema,
  policy: CompiledPolicy,
  asker: Asker,
  doc: DocumentNode,
  variables: Readonly<Record<string, unknown>>,
  full: Record<string, unknown>,
): ReferenceAnswer {
  const fragments = new Map<string, FragmentDefinitionNode>();
  let op: OperationDefinitionNode | undefined;
  for (const d of doc.definitions) {
    if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
    else if (d.kind === Kind.OPERATION_DEFINITION) op = d;
  }
  const root = schema.getQueryType();
  if (!op || !root) throw new Error('reference: no query operation');
  const pruning = new Pruning(schema, policy, asker, fragments, withDefaults(op, variables));
  const r = pruning.object(root, [op.selectionSet], full, []);
  const data = r === NULLED || r instanceof Withheld ? null : r;
  return { data, forbidden: pruning.forbidden, entities: pruning.entitiesIn(data), volatile: pruning.volatile, withheld: pruning.withheld };
}

/** The request's variables with the operation's defaults filled in (for `@skip` / `@include`). */
function withDefaults(op: OperationDefinitionNode, variables: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...variables };
  for (const d of op.variableDefinitions ?? []) {
    const name = d.variable.name.value;
    if (name in out || !d.defaultValue) continue;
    if (d.defaultValue.kind === Kind.BOOLEAN) out[name] = d.defaultValue.value;
  }
  return out;
}
