/**
 * The contract between the need-to-know policy engine (`policy/`) and enforcement
 * (`enforce/`). Enforcement codes against these types only; everything else in
 * `policy/` is an implementation detail behind `policy/index.ts`.
 */
import type { GrantRef } from './grant-ref';
import type { Principal, DeclaredPurpose } from '../auth';

/** Stable reason codes a denial carries (into errors, audit and policy tests). */
export type DenyReason =
  | 'NO_AGREEMENT'
  | 'PURPOSE_NOT_COVERED'
  | 'AGREEMENT_EXPIRED'
  | 'AGREEMENT_NOT_YET_VALID'
  | 'INSUFFICIENT_CLEARANCE'
  | 'ROLE_REQUIRED'
  | 'HANDLING_RESTRICTED'
  | 'NOT_RELEASABLE'
  | 'NOT_A_CASE_MEMBER'
  | 'HIT_ONLY'
  | 'ROW_SECRET'
  | 'NOT_IN_POLICY'
  /** A third-country recipient and no transfer basis in force covering the purpose and data (LED art. 35–37). */
  | 'NO_TRANSFER_BASIS'
  /** A derogation (LED art. 38) applies only to a request naming a case with a justification. */
  | 'DEROGATION_REQUIRES_CASE'
  /** The row was provided by another Member State, which has not authorised its transfer (LED art. 35(1)(c)). */
  | 'TRANSFER_NOT_AUTHORISED';

/** The label an owner puts on a row (same shape as the subgraphs' RecordLabel). */
export interface RowLabel {
  owner: string;
  handling: readonly string[];
  handlingNote?: string | null;
  releasableTo: readonly string[];
  caseRefs: readonly string[];
  europolSupport: boolean;
  /** The agency that provided the row to its owner, when another (e.g. a seizure Belgian police reported); read for transfers. */
  origin?: string | null;
}

/** The decision for one `Type.field`, independent of any row. */
export type FieldDecision =
  /** Released whatever the row. */
  | { effect: 'allow'; grant: GrantRef }
  /** Released only on rows whose label passes (see {@link RowRules}). */
  | { effect: 'allow-if-row' }
  | { effect: 'deny'; reason: DenyReason };

/** Per-field outcome on a visible row. */
export type RowFieldVerdict = { allowed: true; grant: GrantRef } | { allowed: false; reason: DenyReason };

/** What a row's label means for the principal. */
export type RowVerdict =
  | { visible: true; field(fieldName: string): RowFieldVerdict }
  | {
      visible: false;
      reason: DenyReason;
      /** Existence itself is secret: drop silently even where a single object is asked for. */
      secret: boolean;
    };

/** How rows of one labelled type are checked. */
export interface RowRules {
  /**
   * Whether a row of the type can be withheld for this profile (no field of its owner is
   * released whatever the label). Then every row is checked, whatever the selection — even
   * `{ __typename }` alone —, so neither a row's existence nor a list's length escapes.
   */
  readonly canHideRows: boolean;
  /** Field on the type holding its label (`label`). */
  readonly labelField: string;
  /** The RecordLabel subfields the checks need. */
  readonly labelSubfields: readonly string[];
  evaluate(label: RowLabel): RowVerdict;
}

/** Everything one (principal, purpose, time) may see; built once and cached by `key`. */
export interface AccessProfile {
  /** Equal keys ⇒ identical decisions (agency, roles, clearance, purpose, case memberships, policy version, validity epoch). */
  readonly key: string;
  readonly policyVersion: string;
  /**
   * Decision for `Type.field`. Mutation fields are decided here too
   * (`field('Mutation', name)`): whether a mutation field may run at all.
   */
  field(typeName: string, fieldName: string): FieldDecision;
  /** Row rules of a labelled type (every labelled type has them); undefined for an unlabelled type. */
  rowRules(typeName: string): RowRules | undefined;
}

/** Facts taken from the supergraph that policies and enforcement both need. */
export interface SupergraphFacts {
  /** Subgraph that resolves Type.field (ownership); undefined for unknown fields. */
  ownerSubgraph(typeName: string, fieldName: string): string | undefined;
  /** Agency that owns a subgraph (from agencies.yaml `subgraph`). */
  agencyOfSubgraph(subgraph: string): string | undefined;
  /** Key fields of an entity type (first @key), e.g. ['agency','localId']; undefined if not an entity. */
  keyFields(typeName: string): readonly string[] | undefined;
  /** The agency that owns the type's rows (the subgraph that defines the entity / the type). */
  owningAgency(typeName: string): string | undefined;
}

/** One step of a decision's story, in the order it was considered. */
export interface ExplanationStep {
  /** Agreement id, or `own-data` / `plumbing` / `ownership` for the built-in steps. */
  readonly agreement: string;
  /** Grant id within the agreement, when the step is about a grant. */
  readonly grant?: string;
  /** What happened: `allowed`, or the reason this candidate did not apply. */
  readonly outcome: 'allowed' | DenyReason;
  /** Human-readable detail, e.g. `validity ended 2024-12-31`. */
  readonly detail: string;
}

/** The full story of one decision, for the policy-test runner and `pactum policy explain`. */
export interface Explanation {
  readonly coordinate: string;
  readonly policyVersion: string;
  /** Agency owning the field (from supergraph ownership), when known. */
  readonly owner?: string;
  /** Final outcome (after the row label, when one was given). */
  readonly effect: 'allow' | 'allow-if-row' | 'deny';
  /** The grant that decided an allow. */
  readonly grant?: GrantRef;
  /** The reason of a deny. */
  readonly reason?: DenyReason;
  /** For a label-dependent decision evaluated on a label: whether the row itself is hidden / secret. */
  readonly rowVisible?: boolean;
  readonly rowSecret?: boolean;
  readonly steps: readonly ExplanationStep[];
}

/** Whether one row is visible, and if not why (and whether even its existence is secret). */
export type RowExplanation = { readonly visible: true } | { readonly visible: false; readonly reason: DenyReason; readonly secret: boolean };

/**
 * What a response to a third-country (or international-organisation) principal transferred, from
 * the grants that released it: the terms per agreement, whether personal data left, and the
 * onward-transfer condition (LED art. 35(1)(e)) the response carries in `extensions.transfer`.
 */
export interface TransferDescription {
  readonly recipient: string;
  readonly country: string;
  /** Whether a grant releasing personal data (a field group marked personalData) released something: then it is a transfer under Chapter V. */
  readonly personalData: boolean;
  /** Categories of personal data those grants release, sorted. */
  readonly dataCategories: readonly string[];
  /** Per agreement used: its terms for the recipient — a basis id, `no-personal-data`, or `derogation:<ground>` — and the article they rest on. */
  readonly bases: readonly { readonly agreement: string; readonly terms: string; readonly article: string }[];
  /** Agencies whose prior authorisation an onward transfer needs (the providers of what was released), sorted. */
  readonly authorisingAgencies: readonly string[];
  /** The condition, in words. */
  readonly onwardTransfer: string;
}

/** A compiled, immutable policy. */
export interface CompiledPolicy {
  /** Hash of the policy files' contents, sorted by path. */
  readonly version: string;
  readonly facts: SupergraphFacts;
  profileFor(principal: Principal, purpose: DeclaredPurpose, at: Date): AccessProfile;
  /**
   * Whether a row of `typeName` carrying `label` is visible at all for (principal, purpose, at):
   * the row-level half of the decision, for the policy-test runner, `pactum policy explain` and
   * the need-to-know oracle. Unlabelled types are always visible.
   */
  explainRow(principal: Principal, purpose: DeclaredPurpose, at: Date, typeName: string, label: RowLabel): RowExplanation;
  /**
   * For a principal whose agency is a third country or an international organisation: what the
   * grants that released something in a response (`EnforcementReport.grants`) transferred.
   * Undefined inside the Union, and when nothing was released under an agreement.
   */
  describeTransfer(principal: Principal, purpose: DeclaredPurpose, grants: readonly GrantRef[]): TransferDescription | undefined;
  /** For the policy-test runner and `pactum policy explain`: the full story of one decision. */
  explain(
    principal: Principal,
    purpose: DeclaredPurpose,
    at: Date,
    typeName: string,
    fieldName: string,
    label?: RowLabel,
  ): Explanation;
}
