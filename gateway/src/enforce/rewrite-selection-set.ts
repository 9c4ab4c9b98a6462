/**
 * The recursive walk of the rewrite. For every field of a selection set it asks the profile
 * about each concrete type the object can have (an interface field may be released on one
 * implementation and not on another), keeps or drops the field — splitting it into inline
 * fragments per allowed type when implementations disagree — expands named fragments into
 * inline ones (so the result needs no fragment definitions and the plan follows the response
 * shape), and collects what post-processing will need.
 *
 * A recursive walk rather than `visitWithTypeInfo`: the visitor sees a fragment definition once,
 * while a spread's fields land at a different response path — and may meet different concrete
 * types — at every place it is spread. Type information is tracked the same way `TypeInfo` does.
 */
import {
  GraphQLObjectType,
  GraphQLUnionType,
  Kind,
  getNamedType,
  isAbstractType,
  isCompositeType,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLSchema,
  type SelectionNode,
  type SelectionSetNode,
} from 'graphql';
import { BadUserInputError } from '../errors';
import type { AccessProfile, DenyReason, RowRules, SupergraphFacts } from '../policy';
import { readConditions } from './conditions';
import { inlineFragmentSpreads } from './inline-fragment-spreads';
import type { Condition, StaticDenial } from './enforcement-plan';
import { covariantInjections } from './covariant-injections';
import { injectionsFor, typenameSelection } from './injections';
import { RESERVED_ALIAS_PREFIX } from './injected-aliases';
import type { RawEntry, RawOutcome, RawSelection } from './raw-selection';

/** Guards against fragment cycles in a document that skipped validation. */
const MAX_FRAGMENT_DEPTH = 64;

/** State of one rewrite. */
export interface RewriteWalk {
  readonly schema: GraphQLSchema;
  readonly profile: AccessProfile;
  readonly facts: SupergraphFacts;
  readonly fragments: ReadonlyMap<string, FragmentDefinitionNode>;
  readonly isMutationRoot: (type: GraphQLCompositeType) => boolean;
  /** `profile.rowRules`, memoised for the walk. */
  readonly rowRules: (typeName: string) => RowRules | undefined;
  /** Denials keyed by `path coordinate`, so a field met twice is reported once. */
  readonly denials: Map<string, StaticDenial>;
  readonly fieldsRequested: Set<string>;
  fragmentDepth: number;
}

/** Result of rewriting one selection set. */
export interface RewrittenSelectionSet {
  readonly selections: SelectionNode[];
  readonly raw: RawSelection;
  /** Reason of the first denied child, used when the whole set is gone. */
  readonly firstReason: DenyReason | undefined;
}

function possibleTypes(schema: GraphQLSchema, type: GraphQLCompositeType): readonly GraphQLObjectType[] {
  return type instanceof GraphQLObjectType ? [type] : schema.getPossibleTypes(type);
}

/** Object types a value of `fieldName` can have on any of `parents` (their field types may differ: covariance). */
function childRuntime(schema: GraphQLSchema, parents: readonly GraphQLObjectType[], fieldName: string): GraphQLObjectType[] {
  const out = new Map<string, GraphQLObjectType>();
  for (const p of parents) {
    const def = p.getFields()[fieldName];
    const named = def ? getNamedType(def.type) : undefined;
    if (named && isCompositeType(named)) for (const t of possibleTypes(schema, named)) out.set(t.name, t);
  }
  return [...out.values()];
}

function record(walk: RewriteWalk, path: string, coordinate: string, reason: DenyReason): void {
  const k = `${path} ${coordinate}`;
  if (!walk.denials.has(k)) walk.denials.set(k, { path, coordinate, reason });
}

/** Decision of one concrete type, with `allow-if-row` made fail-closed when the type has no row rules. */
function decide(walk: RewriteWalk, type: GraphQLObjectType, fieldName: string): RawOutcome {
  const field = type.getFields()[fieldName];
  if (!field) throw new Error(`enforcement: ${type.name}.${fieldName} is not in the schema the operation was validated against`);
  const d = walk.profile.field(type.name, fieldName);
  if (d.effect === 'allow') return { kept: true, type: field.type, rowConditional: false, grant: d.grant };
  if (d.effect === 'deny') return { kept: false, type: field.type, reason: d.reason };
  // A row-dependent decision on a root field, or on a type the policy gives no row rules,
  // has nothing to be checked against: refuse rather than release.
  if (walk.isMutationRoot(type) || !walk.rowRules(type.name)) return { kept: false, type: field.type, reason: 'NOT_IN_POLICY' };
  return { kept: true, type: field.type, rowConditional: true };
}

function rewriteField(
  walk: RewriteWalk,
  node: FieldNode,
  staticType: GraphQLCompositeType,
  runtime: readonly GraphQLObjectType[],
  path: string,
  conditions: readonly Condition[],
  out: SelectionNode[],
  entries: RawEntry[],
): DenyReason | undefined {
  const fieldName = node.name.value;
  const key = node.alias?.value ?? fieldName;
  if (key.startsWith(RESERVED_ALIAS_PREFIX)) {
    throw new BadUserInputError('reserved_alias', `the alias "${key}" uses the reserved prefix "${RESERVED_ALIAS_PREFIX}"`);
  }
  // `__typename` reveals nothing the principal did not ask to see; introspection (`__schema`,
  // `__type`) is filtered by the server stage. Neither is policy-controlled.
  if (fieldName.startsWith('__')) {
    out.push(inlineFragmentSpreads(node, walk.fragments));
    return undefined;
  }
  walk.fieldsRequested.add(`${staticType.name}.${fieldName}`);
  const fieldPath = path === '' ? key : `${path}.${key}`;

  const perType = new Map<string, RawOutcome>();
  const allowed: GraphQLObjectType[] = [];
  let firstReason: DenyReason | undefined;
  for (const t of runtime) {
    const outcome = decide(walk, t, fieldName);
    perType.set(t.name, outcome);
    if (outcome.kept) allowed.push(t);
    else firstReason ??= outcome.reason;
  }

  let child: RewrittenSelectionSet | undefined;
  let emptyChild: RawSelection | undefined;
  if (allowed.length > 0 && node.selectionSet) {
    // The sub-selection is typed on the field of the STATIC parent, as the document types it:
    // an object type may narrow an interface field's type (covariance), and a selection typed on
    // the narrower type would not validate where the client wrote it. The objects it can meet
    // are those the allowed concrete parents' field types hold.
    const def = staticType instanceof GraphQLUnionType ? undefined : staticType.getFields()[fieldName];
    const named = def ? getNamedType(def.type) : undefined;
    if (!def || !named || !isCompositeType(named)) throw new Error(`enforcement: ${staticType.name}.${fieldName} has a selection but no composite type`);
    // The field's own conditions (and those around it) hold for everything under it: a denied
    // child of a skipped copy must not be reported where another copy of the key is kept.
    child = rewriteSelectionSet(walk, node.selectionSet, named, childRuntime(walk.schema, allowed, fieldName), fieldPath, true, conditions);
    if (child.selections.length === 0) {
      // Nothing under the field survived: the field itself goes, for its children's reason.
      const reason: DenyReason = child.firstReason ?? 'NOT_IN_POLICY';
      for (const t of allowed) perType.set(t.name, { kept: false, type: perType.get(t.name)?.type ?? def.type, reason });
      allowed.length = 0;
      emptyChild = child.raw;
      child = undefined;
      firstReason ??= reason;
    }
  }
  if (allowed.length === 0 && node.selectionSet) {
    // The audit names everything asked for, including what sat under a denied field.
    const def = runtime[0]?.getFields()[fieldName];
    const named = def ? getNamedType(def.type) : undefined;
    if (named && isCompositeType(named)) recordRequested(walk, node.selectionSet, named);
  }
  for (const [typeName, outcome] of perType) {
    if (!outcome.kept) record(walk, fieldPath, `${typeName}.${fieldName}`, outcome.reason);
  }
  entries.push({ key, fieldName, conditions, perType, ...(child ? { child: child.raw } : {}), ...(emptyChild ? { emptyChild } : {}) });
  if (allowed.length === 0) return firstReason;

  const kept: FieldNode = child
    ? { ...node, selectionSet: { kind: Kind.SELECTION_SET, selections: child.selections } }
    : node;
  if (allowed.length === runtime.length) {
    out.push(kept);
  } else {
    for (const t of allowed) {
      out.push({
        kind: Kind.INLINE_FRAGMENT,
        typeCondition: { kind: Kind.NAMED_TYPE, name: { kind: Kind.NAME, value: t.name } },
        selectionSet: { kind: Kind.SELECTION_SET, selections: [kept] },
      });
    }
  }
  if (child) out.push(...covariantInjections(walk.schema, walk.facts, walk.rowRules, node, staticType, allowed, child.raw));
  return firstReason;
}

/** Records the coordinates under a denied field, without deciding anything. */
function recordRequested(walk: RewriteWalk, selectionSet: SelectionSetNode, type: GraphQLCompositeType): void {
  if (++walk.fragmentDepth > MAX_FRAGMENT_DEPTH) throw new BadUserInputError('fragment_cycle', 'selections are nested too deeply (a fragment cycle?)');
  for (const sel of selectionSet.selections) {
    if (sel.kind === Kind.FIELD) {
      if (sel.name.value.startsWith('__')) continue;
      walk.fieldsRequested.add(`${type.name}.${sel.name.value}`);
      if (!sel.selectionSet || type instanceof GraphQLUnionType) continue;
      const def = type.getFields()[sel.name.value];
      const named = def ? getNamedType(def.type) : undefined;
      if (named && isCompositeType(named)) recordRequested(walk, sel.selectionSet, named);
    } else if (sel.kind === Kind.INLINE_FRAGMENT) {
      recordRequested(walk, sel.selectionSet, sel.typeCondition ? compositeNamed(walk.schema, sel.typeCondition.name.value) : type);
    } else {
      const def = walk.fragments.get(sel.name.value);
      if (def) recordRequested(walk, def.selectionSet, compositeNamed(walk.schema, def.typeCondition.name.value));
    }
  }
  walk.fragmentDepth--;
}

function narrow(runtime: readonly GraphQLObjectType[], schema: GraphQLSchema, condition: GraphQLCompositeType): GraphQLObjectType[] {
  if (condition instanceof GraphQLObjectType) return runtime.filter((t) => t === condition);
  return runtime.filter((t) => schema.isSubType(condition, t));
}

/**
 * Rewrites one selection set (`staticType` is its parent type, `runtime` the concrete types an
 * object there can have) into `out`, collecting entries. `conditions` come from fragments around
 * it inside the same response object.
 */
function walkSelections(
  walk: RewriteWalk,
  selectionSet: SelectionSetNode,
  staticType: GraphQLCompositeType,
  runtime: readonly GraphQLObjectType[],
  path: string,
  conditions: readonly Condition[],
  out: SelectionNode[],
  entries: RawEntry[],
): DenyReason | undefined {
  let firstReason: DenyReason | undefined;
  for (const sel of selectionSet.selections) {
    if (sel.kind === Kind.FIELD) {
      const own = readConditions(sel.directives);
      const reason = rewriteField(walk, sel, staticType, runtime, path, own.length ? [...conditions, ...own] : conditions, out, entries);
      firstReason ??= reason;
      continue;
    }
    let typeCondition: GraphQLCompositeType = staticType;
    let inner: SelectionSetNode;
    if (sel.kind === Kind.INLINE_FRAGMENT) {
      inner = sel.selectionSet;
      if (sel.typeCondition) typeCondition = compositeNamed(walk.schema, sel.typeCondition.name.value);
    } else {
      const def = walk.fragments.get(sel.name.value);
      if (!def) throw new BadUserInputError('unknown_fragment', `unknown fragment "${sel.name.value}"`);
      inner = def.selectionSet;
      typeCondition = compositeNamed(walk.schema, def.typeCondition.name.value);
    }
    const narrowed = narrow(runtime, walk.schema, typeCondition);
    if (narrowed.length === 0) continue;
    const own = readConditions(sel.directives);
    const innerOut: SelectionNode[] = [];
    if (sel.kind === Kind.FRAGMENT_SPREAD && ++walk.fragmentDepth > MAX_FRAGMENT_DEPTH) {
      throw new BadUserInputError('fragment_cycle', `fragment "${sel.name.value}" is nested too deeply (a cycle?)`);
    }
    const reason = walkSelections(walk, inner, typeCondition, narrowed, path, own.length ? [...conditions, ...own] : conditions, innerOut, entries);
    if (sel.kind === Kind.FRAGMENT_SPREAD) walk.fragmentDepth--;
    firstReason ??= reason;
    if (innerOut.length === 0) continue;
    out.push({
      kind: Kind.INLINE_FRAGMENT,
      typeCondition: { kind: Kind.NAMED_TYPE, name: { kind: Kind.NAME, value: typeCondition.name } },
      ...(sel.directives && sel.directives.length ? { directives: sel.directives } : {}),
      selectionSet: { kind: Kind.SELECTION_SET, selections: innerOut },
    });
  }
  return firstReason;
}

function compositeNamed(schema: GraphQLSchema, name: string): GraphQLCompositeType {
  const t = schema.getType(name);
  if (!t || !isCompositeType(t)) throw new BadUserInputError('unknown_type', `unknown type condition "${name}"`);
  return t;
}

/** Whether a selection is asked for whatever the variables (a field without `@skip`/`@include`). */
function unconditional(sel: SelectionNode): boolean {
  return sel.kind === Kind.FIELD && !sel.directives?.some((d) => d.name.value === 'skip' || d.name.value === 'include');
}

/**
 * Rewrites a selection set and, when `inject` is set (every set but the operation's root),
 * appends the label, key and typename selections post-processing needs. `conditions` are those
 * of the field above and of the fragments around it (empty at the root).
 */
export function rewriteSelectionSet(
  walk: RewriteWalk,
  selectionSet: SelectionSetNode,
  staticType: GraphQLCompositeType,
  runtime: readonly GraphQLObjectType[],
  path: string,
  inject: boolean,
  conditions: readonly Condition[] = [],
): RewrittenSelectionSet {
  const selections: SelectionNode[] = [];
  const entries: RawEntry[] = [];
  const firstReason = walkSelections(walk, selectionSet, staticType, runtime, path, conditions, selections, entries);
  const abstract = isAbstractType(staticType);
  if (!inject || selections.length === 0) return { selections, raw: { abstract, runtime, entries }, firstReason };
  const injections = injectionsFor(walk.facts, walk.rowRules, { abstract, runtime, entries });
  const guardTypename = injections.length === 0 && !selections.some(unconditional);
  const raw: RawSelection = { abstract, runtime, entries, ...(guardTypename ? { guardTypename } : {}) };
  selections.push(...injections);
  if (guardTypename) selections.push(typenameSelection());
  return { selections, raw, firstReason };
}
