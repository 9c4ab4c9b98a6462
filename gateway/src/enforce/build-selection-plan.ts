/**
 * Turns the collected {@link RawSelection}s of one response position into its
 * {@link SelectionPlan}: per concrete type, the fields merged by response key (as graphql-js
 * `collectFields` merges them), the denied ones with the conditions under which they were asked
 * for, and the injected aliases to check and strip.
 */
import type { RowRules, SupergraphFacts } from '../policy';
import type { Condition, DeniedFieldPlan, FieldPlan, SelectionPlan, TypePlan } from './enforcement-plan';
import { TYPENAME_ALIAS, keyAlias, labelAlias } from './injected-aliases';
import { clientKeyField, injectableKeyFields, keptFor, needsLabel } from './injections';
import type { RawOutcome, RawSelection } from './raw-selection';
import { GraphQLObjectType, getNamedType, isAbstractType, type GraphQLSchema } from 'graphql';

/** What the plan builder reads besides the raw selections. */
export interface PlanContext {
  /** The API schema the operation was validated against (concrete field types of each parent). */
  readonly schema: GraphQLSchema;
  readonly facts: SupergraphFacts;
  readonly rowRules: (typeName: string) => RowRules | undefined;
  /** Memo of plans built from a single raw selection (shared by several concrete parents). */
  readonly memo: WeakMap<RawSelection, SelectionPlan>;
}

interface Group {
  readonly key: string;
  readonly fieldName: string;
  kept?: Extract<RawOutcome, { kept: true }>;
  denied?: Extract<RawOutcome, { kept: false }>;
  /** `undefined` until a denied entry is met; `null` once one was unconditional. */
  conditions?: (readonly Condition[])[] | null;
  readonly children: RawSelection[];
  /** Sub-selections of denied copies left empty (see `RawEntry.emptyChild`): planned inside a kept copy. */
  readonly emptyChildren: RawSelection[];
}

function typePlan(raws: readonly RawSelection[], t: GraphQLObjectType, abstract: boolean, injected: boolean, ctx: PlanContext): TypePlan {
  const groups = new Map<string, Group>();
  for (const raw of raws) {
    for (const e of raw.entries) {
      const o = e.perType.get(t.name);
      if (!o) continue;
      let g = groups.get(e.key);
      if (!g) {
        g = { key: e.key, fieldName: e.fieldName, children: [], emptyChildren: [] };
        groups.set(e.key, g);
      }
      if (o.kept) {
        g.kept = o;
        if (e.child) g.children.push(e.child);
      } else {
        if (e.emptyChild) g.emptyChildren.push(e.emptyChild);
        g.denied ??= o;
        if (g.conditions === undefined) g.conditions = e.conditions.length ? [e.conditions] : null;
        else if (g.conditions !== null) {
          if (e.conditions.length) g.conditions.push(e.conditions);
          else g.conditions = null;
        }
      }
    }
  }
  const fields: FieldPlan[] = [];
  const denied: DeniedFieldPlan[] = [];
  let rowConditional = false;
  for (const g of groups.values()) {
    const coordinate = `${t.name}.${g.fieldName}`;
    if (g.kept) {
      rowConditional ||= g.kept.rowConditional;
      // A kept copy's object also answers the copies that were denied for lack of any allowed
      // child: their denials are put back inside it (after the kept raws, which set its shape).
      const childRaws = g.emptyChildren.length ? [...g.children, ...g.emptyChildren] : g.children;
      const child = childRaws.length ? buildSelectionPlan(childRaws, ctx, true, concreteFieldTypes(ctx.schema, t, g.fieldName)) : undefined;
      fields.push({
        key: g.key,
        fieldName: g.fieldName,
        coordinate,
        type: g.kept.type,
        rowConditional: g.kept.rowConditional,
        ...(g.kept.grant ? { grant: g.kept.grant } : {}),
        ...(child ? { child } : {}),
      });
      // A denied copy beside the kept one still answers where every kept copy was skipped.
      if (g.denied) denied.push({ key: g.key, coordinate, type: g.denied.type, reason: g.denied.reason, conditions: g.conditions ?? null, ifAbsent: true });
    } else if (g.denied) {
      denied.push({ key: g.key, coordinate, type: g.denied.type, reason: g.denied.reason, conditions: g.conditions ?? null });
    }
  }
  const injectedAliases: string[] = [];
  if (injected && (abstract || raws.some((r) => r.guardTypename === true))) injectedAliases.push(TYPENAME_ALIAS);
  let row: TypePlan['row'];
  const rules = injected ? ctx.rowRules(t.name) : undefined;
  if (injected && needsLabel(rules, rowConditional, t.name)) {
    row = { alias: labelAlias(t.name), rules };
    injectedAliases.push(row.alias);
  }
  const keyAliases: (readonly [string, string])[] = [];
  if (injected && fields.length > 0) {
    for (const k of injectableKeyFields(ctx.facts, t) ?? []) {
      // Read from the client's own selection where one always carries the key (then the raws
      // that have it injected nothing); the alias is stripped wherever another kept raw injected it.
      const alias = keyAlias(t.name, k);
      let client: string | undefined;
      let aliased = false;
      for (const r of raws) {
        const own = clientKeyField(r, t.name, k);
        if (own !== undefined) client ??= own;
        else if (keptFor(r, t.name).kept) aliased = true;
      }
      keyAliases.push([client ?? alias, k]);
      if (aliased || client === undefined) injectedAliases.push(alias);
    }
  }
  return {
    typeName: t.name,
    fields,
    denied,
    order: [...groups.keys()],
    ...(row ? { row } : {}),
    keyAliases,
    injected: injectedAliases,
    owner: ctx.facts.owningAgency(t.name),
    entity: keyAliases.length > 0,
  };
}

/**
 * The object types a value of `parent.fieldName` can have. On a concrete parent this can be
 * narrower than what the selection's own static type allows: an object type may narrow an
 * interface field's type (covariance), and selections reached through the interface and through
 * the object type then land in the same response object.
 */
function concreteFieldTypes(schema: GraphQLSchema, parent: GraphQLObjectType, fieldName: string): readonly GraphQLObjectType[] | undefined {
  const field = parent.getFields()[fieldName];
  if (!field) return undefined;
  const named = getNamedType(field.type);
  if (named instanceof GraphQLObjectType) return [named];
  return isAbstractType(named) ? schema.getPossibleTypes(named) : undefined;
}

/**
 * Builds the plan of one response position from every raw selection that lands there.
 * `injected` is false only at the operation root, where nothing is injected. `within`, when
 * given, are the object types the position can hold (its concrete parent's field type): raws
 * typed on an interface contribute only those. With one type left, objects are planned without
 * reading their typename; otherwise every raw here is abstract and injected the typename.
 */
export function buildSelectionPlan(raws: readonly RawSelection[], ctx: PlanContext, injected = true, within?: readonly GraphQLObjectType[]): SelectionPlan {
  const first = raws[0];
  if (!first) throw new Error('enforcement: no selection to plan');
  const allowedNames = within ? new Set(within.map((t) => t.name)) : undefined;
  const runtime = new Map<string, GraphQLObjectType>();
  for (const r of raws) for (const t of r.runtime) if (!allowedNames || allowedNames.has(t.name)) runtime.set(t.name, t);
  // A plan made from one raw and not narrowed is the same wherever that raw lands: shared.
  const only = raws.length === 1 && runtime.size === first.runtime.length ? first : undefined;
  if (only && injected) {
    const hit = ctx.memo.get(only);
    if (hit) return hit;
  }
  const abstract = raws.some((r) => r.abstract);
  const byType = new Map<string, TypePlan>();
  for (const t of runtime.values()) byType.set(t.name, typePlan(raws, t, abstract, injected, ctx));
  const single = byType.size === 1 ? byType.values().next().value : undefined;
  const plan: SelectionPlan = single ? { single, byType } : { typenameAlias: TYPENAME_ALIAS, byType };
  if (only && injected) ctx.memo.set(only, plan);
  return plan;
}
