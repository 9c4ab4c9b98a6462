/**
 * The selections enforcement adds to a rewritten selection set: the row label wherever rows of a
 * labelled type may be withheld or a kept field depends on the row, the entity key fields (so released entities and withheld rows are
 * audited by key), and `__typename` where the static type is abstract — all under reserved
 * aliases, so nothing the client wrote is ever taken for them.
 *
 * Keys are fetched even when the principal may not read them: they are the identifiers the
 * audit record must name, the query planner fetches them anyway to join entities across
 * subgraphs, and they are stripped before the response leaves.
 */
import {
  GraphQLObjectType,
  Kind,
  getNamedType,
  isCompositeType,
  isLeafType,
  type FieldNode,
  type SelectionNode,
} from 'graphql';
import type { RowRules, SupergraphFacts } from '../policy';
import { TYPENAME_ALIAS, keyAlias, labelAlias } from './injected-aliases';
import type { RawSelection } from './raw-selection';

function name(value: string): { kind: Kind.NAME; value: string } {
  return { kind: Kind.NAME, value };
}

function aliasedField(alias: string, field: string, selections?: SelectionNode[]): FieldNode {
  return {
    kind: Kind.FIELD,
    alias: name(alias),
    name: name(field),
    ...(selections ? { selectionSet: { kind: Kind.SELECTION_SET, selections } } : {}),
  };
}

/** `__typename` under the reserved alias (stripped by post-processing like every injection). */
export function typenameSelection(): FieldNode {
  return aliasedField(TYPENAME_ALIAS, '__typename');
}

/** Key fields of an entity type that can be selected as leaves; undefined when not an entity or a key is nested. */
export function injectableKeyFields(facts: SupergraphFacts, type: GraphQLObjectType): readonly string[] | undefined {
  const keys = facts.keyFields(type.name);
  if (!keys || keys.length === 0) return undefined;
  const fields = type.getFields();
  for (const k of keys) {
    const f = fields[k];
    if (!f || !isLeafType(getNamedType(f.type))) return undefined;
  }
  return keys;
}

/**
 * The response key of the client's own selection of key field `field` on objects of `typeName`,
 * when it always carries the key: kept, asked for without `@skip`/`@include` (here or above), in
 * an object-typed selection set (under an abstract one @apollo/gateway may drop a concrete type's
 * selections, see covariant-injections.ts). The key is then read from it and not injected again:
 * one value less per row to fetch, merge, shape and strip.
 */
export function clientKeyField(raw: RawSelection, typeName: string, field: string): string | undefined {
  if (raw.abstract) return undefined;
  for (const e of raw.entries) {
    if (e.fieldName === field && e.conditions.length === 0 && e.perType.get(typeName)?.kept) return e.key;
  }
  return undefined;
}

/** Whether any selection kept for `typeName` is released only on rows that pass. */
export function keptFor(raw: RawSelection, typeName: string): { kept: boolean; rowConditional: boolean } {
  let kept = false;
  for (const e of raw.entries) {
    const o = e.perType.get(typeName);
    if (o?.kept) {
      kept = true;
      if (o.rowConditional) return { kept, rowConditional: true };
    }
  }
  return { kept, rowConditional: false };
}

/**
 * The label selection of a type, checked against the schema: rules naming a field the type
 * lacks are a policy/schema mismatch, and enforcement refuses rather than guess.
 */
function labelSelection(type: GraphQLObjectType, rules: RowRules, alias: string): FieldNode {
  const field = type.getFields()[rules.labelField];
  const labelType = field ? getNamedType(field.type) : undefined;
  if (!labelType || !isCompositeType(labelType) || !(labelType instanceof GraphQLObjectType)) {
    throw new Error(`enforcement: ${type.name}.${rules.labelField} is not an object-typed label field`);
  }
  const subfields = labelType.getFields();
  const selections: FieldNode[] = [];
  for (const s of rules.labelSubfields) {
    if (!subfields[s]) throw new Error(`enforcement: label type ${labelType.name} has no field "${s}"`);
    selections.push({ kind: Kind.FIELD, name: name(s) });
  }
  return aliasedField(alias, rules.labelField, selections);
}

/**
 * Whether rows of `typeName` at this position need their label read: when a kept field depends
 * on the row, and — whatever was selected, `__typename` alone included — whenever the profile
 * can withhold such rows. {@link buildSelectionPlan} asks the same question, so the plan checks
 * exactly the labels that are fetched.
 */
export function needsLabel(rules: RowRules | undefined, rowConditional: boolean, typeName: string): rules is RowRules {
  if (!rowConditional && !rules?.canHideRows) return false;
  if (!rules) throw new Error(`enforcement: ${typeName} has row-conditional fields but no row rules`);
  return true;
}

/** The injected selections for one rewritten selection set. */
export function injectionsFor(
  facts: SupergraphFacts,
  rowRules: (typeName: string) => RowRules | undefined,
  raw: RawSelection,
  /** False where the client's selections may be dropped (the covariant repetitions): keys are then always injected. */
  reuseClientKeys = true,
): SelectionNode[] {
  const out: SelectionNode[] = [];
  if (raw.abstract) out.push(typenameSelection());
  for (const t of raw.runtime) {
    const { kept, rowConditional } = keptFor(raw, t.name);
    const rules = rowRules(t.name);
    const perType: SelectionNode[] = [];
    if (needsLabel(rules, rowConditional, t.name)) perType.push(labelSelection(t, rules, labelAlias(t.name)));
    if (kept) {
      for (const k of injectableKeyFields(facts, t) ?? []) {
        if (!reuseClientKeys || !clientKeyField(raw, t.name, k)) perType.push(aliasedField(keyAlias(t.name, k), k));
      }
    }
    if (perType.length === 0) continue;
    if (raw.abstract) {
      out.push({
        kind: Kind.INLINE_FRAGMENT,
        typeCondition: { kind: Kind.NAMED_TYPE, name: name(t.name) },
        selectionSet: { kind: Kind.SELECTION_SET, selections: perType },
      });
    } else {
      out.push(...perType);
    }
  }
  return out;
}
