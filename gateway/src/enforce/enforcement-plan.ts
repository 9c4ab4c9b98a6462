/**
 * The compiled instructions post-processing follows for one (rewritten operation, profile):
 * a tree shaped like the response, built once by the rewrite and cached with it, so that
 * post-processing never looks at the query document or the schema again.
 */
import type { GraphQLOutputType } from 'graphql';
import type { DenyReason, GrantRef, RowRules } from '../policy';

/** One `@skip` / `@include` condition: a literal, or the name of a Boolean variable. */
export interface Condition {
  /** `true` for `@include`, `false` for `@skip`. */
  readonly include: boolean;
  readonly value: boolean | { readonly variable: string };
}

/**
 * When a selection was asked for: `null` = always; otherwise any of the alternatives
 * (each an AND of conditions) must hold.
 */
export type Conditions = readonly (readonly Condition[])[] | null;

/** A client field that survived the rewrite, on one concrete type. */
export interface FieldPlan {
  /** Response key (alias or field name). */
  readonly key: string;
  readonly fieldName: string;
  /** `Type.field` of the concrete type. */
  readonly coordinate: string;
  /** The field's declared type (wrappers included), for null propagation. */
  readonly type: GraphQLOutputType;
  /** Whether the field is released only on rows whose verdict allows it. */
  readonly rowConditional: boolean;
  /** Grant of an unconditional `allow`. */
  readonly grant?: GrantRef;
  /** Plan of the sub-selection, for fields of composite type. */
  readonly child?: SelectionPlan;
}

/** A client field removed by the rewrite that must come back as `null` + `FORBIDDEN`. */
export interface DeniedFieldPlan {
  readonly key: string;
  readonly coordinate: string;
  readonly type: GraphQLOutputType;
  readonly reason: DenyReason;
  readonly conditions: Conditions;
  /**
   * Another copy of the same response key was kept: this denial stands only where that copy was
   * skipped by its own `@skip`/`@include` (the key is absent from the executed response).
   */
  readonly ifAbsent?: true;
}

/** Row check of one concrete type: where its injected label sits and how to judge it. */
export interface RowPlan {
  readonly alias: string;
  readonly rules: RowRules;
}

/** What to do with a response object of one concrete type at one place in the response. */
export interface TypePlan {
  readonly typeName: string;
  readonly fields: readonly FieldPlan[];
  readonly denied: readonly DeniedFieldPlan[];
  /** Client response keys in query order, used to put denied fields back in their place. */
  readonly order: readonly string[];
  readonly row?: RowPlan;
  /** Response keys holding the key fields (an injected alias, or the client's own selection of it) and the field each holds, in key order. */
  readonly keyAliases: readonly (readonly [alias: string, field: string])[];
  /** Every injected alias to strip from objects of this type (typename, label, keys). */
  readonly injected: readonly string[];
  /** Agency owning rows of this type, from the supergraph (the label's owner wins). */
  readonly owner: string | undefined;
  /** Whether the type is an entity (has a key) and so is reported as released. */
  readonly entity: boolean;
}

/** Plan of one selection set: one type plan per concrete type the object can have. */
export interface SelectionPlan {
  /** Injected alias of `__typename`, present when the static type is abstract. */
  readonly typenameAlias?: string;
  /** The only type plan when the static type is an object type. */
  readonly single?: TypePlan;
  readonly byType: ReadonlyMap<string, TypePlan>;
}

/** A selection denied by the rewrite, as recorded for the report (path pattern, no indexes). */
export interface StaticDenial {
  readonly path: string;
  readonly coordinate: string;
  readonly reason: DenyReason;
}

/** Everything post-processing needs for one rewritten operation. */
export interface EnforcementPlan {
  readonly operationType: 'query' | 'mutation' | 'subscription';
  readonly root: SelectionPlan;
}
