/**
 * The intermediate form the rewrite collects while it walks: per response key, what each
 * concrete type decided. Merged and turned into an {@link SelectionPlan} once the walk is done.
 */
import type { GraphQLObjectType, GraphQLOutputType } from 'graphql';
import type { DenyReason, GrantRef } from '../policy';
import type { Condition } from './enforcement-plan';

/** What one concrete type decided for one selected field. */
export type RawOutcome =
  | { readonly kept: true; readonly type: GraphQLOutputType; readonly rowConditional: boolean; readonly grant?: GrantRef }
  | { readonly kept: false; readonly type: GraphQLOutputType; readonly reason: DenyReason };

/** One field selection (one AST node, fragments expanded) and its outcome per concrete type. */
export interface RawEntry {
  readonly key: string;
  readonly fieldName: string;
  /** Conditions of the field and of the fragments around it inside this selection set (AND). */
  readonly conditions: readonly Condition[];
  /** Only the concrete types the selection applies to appear here. */
  readonly perType: ReadonlyMap<string, RawOutcome>;
  readonly child?: RawSelection;
  /**
   * The sub-selection of a copy of the field whose every selection was denied (so this copy is
   * denied). Where another copy of the same response key is kept, the two land in one response
   * object, and these denials must be reported inside it rather than lost.
   */
  readonly emptyChild?: RawSelection;
}

/** The field selections of one selection set, fragments expanded. */
export interface RawSelection {
  /** Whether the static type is an interface or union (objects then carry an injected typename). */
  readonly abstract: boolean;
  /** Concrete types an object at this place can have. */
  readonly runtime: readonly GraphQLObjectType[];
  readonly entries: RawEntry[];
  /**
   * Every selection the client kept here carries `@skip`/`@include` and nothing was injected, so
   * an unconditional `__typename` was added under the reserved alias: @apollo/gateway answers
   * `null` for an object whose only selections are conditional (`__typename` included), where
   * graphql-js answers `{}`.
   */
  readonly guardTypename?: boolean;
}
