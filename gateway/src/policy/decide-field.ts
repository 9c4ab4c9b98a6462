/**
 * The one decision function: may this subject see `Type.field`? Default deny; an allow
 * names the agreement and grant behind it, a deny the reason. Profiles memoise its
 * answers and `explain` runs it again with a step log, so the story an auditor reads is
 * the decision itself, not a re-telling of it.
 */
import type { GrantRef } from './grant-ref';
import { fieldOwners, type TypeModel } from './supergraph-model';
import type { CompiledGrant, PolicyModel } from './policy-model';
import { rowTransferCheck, transferFailure, type RowTransferCheck } from './transfers';
import type { DenyReason, ExplanationStep } from './types';

/** Who asks, why and when, in the form decisions need. */
export interface Subject {
  readonly agency: string;
  readonly roles: ReadonlySet<string>;
  /** Rank of the principal's clearance; -1 when unknown (below every level). */
  readonly clearanceRank: number;
  readonly clearanceName: string;
  readonly purpose: string;
  readonly cases: ReadonlySet<string>;
  /** Epoch ms. */
  readonly at: number;
  /** Country of the principal's agency when sharing with it is a transfer (LED Chapter V); '' inside the Union. */
  readonly transferTo: string;
  /** For a transfer recipient: the request's case when it names one with a justification (a derogation may serve it); '' otherwise. */
  readonly derogationCase: string;
}

/** A grant that releases the field on rows whose label passes. */
export interface RowCandidate {
  readonly grant: CompiledGrant;
  /** Owner-only handling codes (H3) apply: the principal is not the type's owner. */
  readonly ownerOnlyCheck: boolean;
  /** Transfer rules on the row (another state's authorisation, a derogation's case): the principal is a third-country recipient. */
  readonly transfer?: RowTransferCheck;
}

/** A field decision with what row checks need. */
export type InternalDecision =
  | { readonly effect: 'allow'; readonly grant: GrantRef }
  | { readonly effect: 'allow-if-row'; readonly candidates: readonly RowCandidate[] }
  | { readonly effect: 'deny'; readonly reason: DenyReason };

/** Grant named for `__typename` and other GraphQL meta fields: never policy-controlled. */
export const META_GRANT: GrantRef = Object.freeze({ agreement: 'pactum:graphql', grant: 'meta-field' });

const deny = (reason: DenyReason): InternalDecision => ({ effect: 'deny', reason });

type GrantCheck = { ok: true } | { ok: false; reason: DenyReason; stage: number; detail: string };

function hasAny(wanted: ReadonlySet<string>, held: ReadonlySet<string>): boolean {
  for (const r of wanted) if (held.has(r)) return true;
  return false;
}

/** Checks of a grant that do not depend on the row, in a fixed order (the later the failing stage, the closer the match). */
export function checkGrant(subject: Subject, g: CompiledGrant): GrantCheck {
  if (!g.purposes.has(subject.purpose)) {
    return { ok: false, reason: 'PURPOSE_NOT_COVERED', stage: 1, detail: `purpose ${subject.purpose} is not among ${[...g.purposes].join(', ')}` };
  }
  if (subject.at < g.validFrom) {
    return { ok: false, reason: 'AGREEMENT_NOT_YET_VALID', stage: 2, detail: `valid from ${g.validityText.from}` };
  }
  if (subject.at >= g.validUntil) {
    return { ok: false, reason: 'AGREEMENT_EXPIRED', stage: 2, detail: `validity ended ${g.validityText.to ?? ''}` };
  }
  if (g.requiredRoles && !hasAny(g.requiredRoles, subject.roles)) {
    return { ok: false, reason: 'ROLE_REQUIRED', stage: 3, detail: `needs one of the roles ${[...g.requiredRoles].join(', ')}` };
  }
  if (g.minClearance !== undefined && subject.clearanceRank < g.minClearance) {
    return {
      ok: false,
      reason: 'INSUFFICIENT_CLEARANCE',
      stage: 4,
      detail: `needs clearance ${g.minClearanceName ?? ''}, principal has ${subject.clearanceName || '(none)'}`,
    };
  }
  const transfer = transferFailure(subject, g);
  if (transfer) return { ok: false, reason: transfer.reason, stage: 5, detail: transfer.detail };
  return { ok: true };
}

/**
 * Decides `typeName.fieldName` for `subject`. `steps`, when given, receives the story.
 * Interface fields are allowed only as far as every implementation allows them. A field that
 * subgraphs of several agencies can answer (`@shareable`, `@provides`; see `fieldOwners`) is
 * allowed only when every one of those agencies allows it: the query planner, not the policy,
 * picks which subgraph is asked, and may pick another one when the operation around the field
 * changes. The allow then names the first owner's grant.
 */
export function decideField(model: PolicyModel, subject: Subject, typeName: string, fieldName: string, steps?: ExplanationStep[]): InternalDecision {
  const note = (agreement: string, outcome: ExplanationStep['outcome'], detail: string, grant?: string) =>
    steps?.push({ agreement, ...(grant ? { grant } : {}), outcome, detail });
  if (fieldName.startsWith('__')) {
    note('pactum:graphql', 'allowed', 'GraphQL meta field: never policy-controlled (introspection is gated by the server)');
    return { effect: 'allow', grant: META_GRANT };
  }
  const type = model.supergraph.types.get(typeName);
  if (!type) {
    note('pactum:schema', 'NOT_IN_POLICY', `no type ${typeName} in the supergraph`);
    return deny('NOT_IN_POLICY');
  }
  if (type.kind === 'interface') return decideInterfaceField(model, subject, type.implementations, fieldName, steps);
  if (type.sharedValueType) {
    note('pactum:inherited', 'allowed', `${typeName} is a value type shared by several subgraphs: released wherever the field returning it is`);
    return { effect: 'allow', grant: { agreement: 'pactum:inherited', grant: typeName } };
  }
  if (model.supergraph.rootTypes.has(typeName) && fieldName.startsWith('_')) {
    note('pactum:federation', 'NOT_IN_POLICY', 'federation plumbing (_entities, _service) is not part of the API');
    return deny('NOT_IN_POLICY');
  }
  if (!type.fields.has(fieldName)) {
    note('pactum:schema', 'NOT_IN_POLICY', `no field ${typeName}.${fieldName} in the supergraph`);
    return deny('NOT_IN_POLICY');
  }
  const owners = fieldOwners(model.agencyBySubgraph, type, fieldName);
  const primary = owners?.[0];
  if (owners === undefined || primary === undefined) {
    note('pactum:ownership', 'NOT_IN_POLICY', `a subgraph resolving ${typeName}.${fieldName} belongs to no agency in agencies.yaml`);
    return deny('NOT_IN_POLICY');
  }
  if (owners.length === 1) {
    note('pactum:ownership', 'allowed', `${typeName}.${fieldName} is owned by ${primary}`);
    return decideOwnersPart(model, subject, type, fieldName, primary, note);
  }
  // The planner may take the value from any of these agencies' subgraphs: each must release it.
  note('pactum:ownership', 'allowed', `${typeName}.${fieldName} can be answered by the subgraphs of ${owners.join(', ')}: each must release it`);
  const parts = owners.map((o) => decideOwnersPart(model, subject, type, fieldName, o, note));
  const denied = parts.find((d) => d.effect === 'deny');
  if (denied) return denied;
  const conditional = parts.flatMap((d) => (d.effect === 'allow-if-row' ? d.candidates : []));
  if (conditional.length > 0) return { effect: 'allow-if-row', candidates: conditional };
  return parts[0] ?? deny('NOT_IN_POLICY');
}

/** The part of a decision one owning agency gives: its own grants to the subject for the field. */
function decideOwnersPart(
  model: PolicyModel,
  subject: Subject,
  type: TypeModel,
  fieldName: string,
  owner: string,
  note: (agreement: string, outcome: ExplanationStep['outcome'], detail: string, grant?: string) => void,
): InternalDecision {
  const typeName = type.name;
  const rowGoverned = type.labelled && model.agencyBySubgraph.get(type.owningGraph) === owner;
  const ownerOnlyCheck = rowGoverned && subject.agency !== owner && model.ownerOnlyHandling.size > 0;
  const candidates = (model.index.get(subject.agency)?.get(typeName)?.get(fieldName) ?? []).filter((g) => g.provider === owner);

  if (candidates.length === 0) {
    const hits = (model.hitIndex.get(subject.agency)?.get(typeName) ?? []).filter((g) => g.provider === owner && checkGrant(subject, g).ok);
    const hit = hits[0];
    if (hit) {
      note(hit.ref.agreement, 'HIT_ONLY', `only hit/no-hit on ${typeName} is granted to ${subject.agency}`, hit.ref.grant);
      return deny('HIT_ONLY');
    }
    note('pactum:default', 'NO_AGREEMENT', `no grant from ${owner} to ${subject.agency} names ${typeName}.${fieldName}`);
    return deny('NO_AGREEMENT');
  }

  let best: { reason: DenyReason; stage: number } | undefined;
  const conditional: RowCandidate[] = [];
  for (const g of candidates) {
    const check = checkGrant(subject, g);
    if (!check.ok) {
      note(g.ref.agreement, check.reason, check.detail, g.ref.grant);
      if (!best || check.stage > best.stage) best = { reason: check.reason, stage: check.stage };
      continue;
    }
    const transfer = rowGoverned ? rowTransferCheck(model, subject, g) : undefined;
    if (!g.rows && !ownerOnlyCheck && !transfer) {
      note(g.ref.agreement, 'allowed', g.intent, g.ref.grant);
      return { effect: 'allow', grant: g.ref };
    }
    note(g.ref.agreement, 'allowed', `${g.intent} — on rows whose label passes`, g.ref.grant);
    conditional.push({ grant: g, ownerOnlyCheck, ...(transfer ? { transfer } : {}) });
  }
  if (conditional.length > 0) return { effect: 'allow-if-row', candidates: conditional };
  return deny(best?.reason ?? 'NO_AGREEMENT');
}

function decideInterfaceField(model: PolicyModel, subject: Subject, implementations: readonly string[], fieldName: string, steps?: ExplanationStep[]): InternalDecision {
  const decisions = implementations.map((t) => decideField(model, subject, t, fieldName, steps));
  const denied = decisions.find((d) => d.effect === 'deny');
  if (denied || decisions.length === 0) return denied ?? deny('NOT_IN_POLICY');
  const conditional = decisions.filter((d) => d.effect === 'allow-if-row');
  if (conditional.length > 0) return { effect: 'allow-if-row', candidates: conditional.flatMap((d) => d.candidates) };
  return decisions[0] ?? deny('NOT_IN_POLICY');
}
