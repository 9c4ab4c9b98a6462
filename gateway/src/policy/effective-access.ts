/**
 * Effective access: for one (agency, purpose, role, clearance) at one instant, what the
 * compiled policy decides for every field of the API — asked of the very engine the gateway
 * runs (`profileFor(...).field`, and `explain` for the grants behind a row-dependent release),
 * never re-derived from the policy files.
 *
 * Which profiles are enough. A field decision reads the principal's agency, the declared
 * purpose, the instant, whether the principal holds ANY ONE of a grant's required roles, and the
 * rank of its clearance (`checkGrant` in `decide-field.ts`); case memberships only matter on a
 * row, where they appear as a condition. So every role of `roles.yaml` alone (and no role) times
 * every clearance level (and none) covers every decision a principal can meet: a principal
 * holding several roles passes exactly the grants one of its roles passes, so its access is the
 * union of its single-role profiles (the most permissive cell of each field wins).
 */
import type { DeclaredPurpose, Principal } from '../auth';
import { describeRowConditions, grantId } from './describe-grant';
import type { PolicyModel } from './policy-model';
import type { CompiledPolicy, DenyReason } from './types';

/** One representative principal. `role` / `clearance` empty: none held. */
export interface ProfileSpec {
  readonly agency: string;
  readonly purpose: string;
  readonly role: string;
  readonly clearance: string;
}

/** A field of the API as the reports list it. */
export interface AccessField {
  /** `Type.field`. */
  readonly coordinate: string;
  readonly type: string;
  readonly field: string;
  /** Agency whose subgraph answers it (the first, for a field several can answer). */
  readonly owner: string;
  /** Field groups (`field-groups.yaml`) it belongs to. */
  readonly groups: readonly string[];
}

/** What one profile gets for one field. */
export interface AccessCell {
  readonly effect: 'allowed' | 'conditional' | 'denied';
  /** Denied: the engine's reason. */
  readonly reason?: DenyReason;
  /** `agreement/grant` ids: the releasing grant (allowed), or every grant that may release it on a row (conditional). */
  readonly grants: readonly string[];
  /** Conditional: what a row must satisfy, one entry per grant in `grants` (sentences joined by `; `). */
  readonly conditions: readonly string[];
}

/** A policy that can be asked, with the model tools read names and grant texts from. */
export interface InspectablePolicy extends CompiledPolicy {
  readonly model: PolicyModel;
}

/** Fields of the API a principal can ask for: object types' fields, federation plumbing and shared value types left out. */
export function accessFields(model: PolicyModel): AccessField[] {
  const groupsOf = new Map<string, string[]>();
  for (const [name, coords] of model.catalogue.fieldGroups) for (const c of coords) groupsOf.set(c, [...(groupsOf.get(c) ?? []), name]);
  const out: AccessField[] = [];
  for (const type of model.supergraph.types.values()) {
    if (type.kind !== 'object' || type.sharedValueType) continue;
    for (const [name, f] of type.fields) {
      if (name.startsWith('__') || (model.supergraph.rootTypes.has(type.name) && name.startsWith('_'))) continue;
      const graph = f.graphs[0] ?? type.owningGraph;
      const coordinate = `${type.name}.${name}`;
      out.push({ coordinate, type: type.name, field: name, owner: model.agencyBySubgraph.get(graph) ?? graph, groups: groupsOf.get(coordinate) ?? [] });
    }
  }
  return out;
}

/** Every (agency, purpose, role, clearance) of the catalogue, optionally narrowed to some agencies / purposes. */
export function enumerateProfiles(model: PolicyModel, only: { agencies?: readonly string[]; purposes?: readonly string[] } = {}): ProfileSpec[] {
  const { catalogue } = model;
  return profileGrid(only.agencies ?? catalogue.agencies, only.purposes ?? catalogue.purposes, catalogue.roles, catalogue.clearanceLevels);
}

/** Every agency × purpose × (no role, each role) × (no clearance, each level). */
export function profileGrid(agencies: readonly string[], purposes: readonly string[], roles: readonly string[], levels: readonly string[]): ProfileSpec[] {
  const out: ProfileSpec[] = [];
  for (const agency of agencies) {
    for (const purpose of purposes) {
      for (const role of ['', ...roles]) {
        for (const clearance of ['', ...levels]) out.push({ agency, purpose, role, clearance });
      }
    }
  }
  return out;
}

/** The principal a profile stands for. */
export function principalOf(p: ProfileSpec): Principal {
  return {
    subject: `profile:${p.role || 'no-role'}@${p.clearance || 'no-clearance'}`,
    agency: p.agency,
    issuer: 'pactum-policy-access',
    roles: new Set(p.role ? [p.role] : []),
    clearance: p.clearance,
    purposes: new Set([p.purpose]),
    cases: new Set(),
  };
}

/**
 * The purpose a profile declares: with a named case and a justification, so that what a derogation
 * (LED art. 38, docs/transfers.md) may release to a third-country profile shows — on rows of that
 * case only, so as conditional. Inside the Union the case and justification change no decision.
 */
export function declaredPurposeOf(p: ProfileSpec): DeclaredPurpose {
  return { code: p.purpose, caseRef: 'the case the request names', justification: 'the request\'s justification' };
}

/** Evaluates one profile over `fields`, in their order. */
export function evaluateProfile(policy: InspectablePolicy, spec: ProfileSpec, fields: readonly AccessField[], at: Date): AccessCell[] {
  const principal = principalOf(spec);
  const purpose = declaredPurposeOf(spec);
  const profile = policy.profileFor(principal, purpose, at);
  const byId = new Map(policy.model.grants.map((g) => [grantId(g), g]));
  const ownerOnly = [...policy.model.ownerOnlyHandling];
  return fields.map((f): AccessCell => {
    const d = profile.field(f.type, f.field);
    if (d.effect === 'deny') return { effect: 'denied', reason: d.reason, grants: [], conditions: [] };
    if (d.effect === 'allow') return { effect: 'allowed', grants: [grantId({ ref: d.grant })], conditions: [] };
    // Row-dependent: the engine's own story names the grants that passed for this profile.
    const e = policy.explain(principal, purpose, at, f.type, f.field);
    const grants: string[] = [];
    const conditions: string[] = [];
    for (const s of e.steps) {
      if (s.outcome !== 'allowed' || s.grant === undefined || s.agreement.startsWith('pactum:')) continue;
      const id = `${s.agreement}/${s.grant}`;
      if (grants.includes(id)) continue;
      const g = byId.get(id);
      const rows = describeRowConditions(g?.rows);
      const rowOwner = policy.facts.owningAgency(f.type);
      if (g && rowOwner !== undefined && g.provider !== rowOwner) {
        // Another agency's field on this row: it shows only where the row's owner shows the row.
        rows.push(`the ${f.type} row is one ${rowOwner} releases to this profile`);
      } else if (rowOwner !== undefined && rowOwner !== spec.agency && ownerOnly.length > 0 && !rows.some((r) => r.startsWith('H3 rows pass'))) {
        rows.push(`rows carrying ${ownerOnly.join(', ')} are for their owner only`);
      }
      if (rows.length === 0) rows.push(`rows of ${f.type} its owner releases to this profile`);
      grants.push(id);
      conditions.push(rows.join('; '));
    }
    return { effect: 'conditional', grants, conditions };
  });
}

/** Cells equal in everything a reader sees. */
export function sameCell(a: AccessCell, b: AccessCell): boolean {
  return a.effect === b.effect && a.reason === b.reason && a.grants.join('\n') === b.grants.join('\n') && a.conditions.join('\n') === b.conditions.join('\n');
}

/**
 * Cells granting the same access, whichever grant names it: same effect and, on rows, the same
 * set of conditions. A denial's reason is not access (both deny).
 */
export function sameCellAccess(a: AccessCell, b: AccessCell): boolean {
  if (a.effect !== b.effect) return false;
  if (a.effect !== 'conditional') return true;
  const set = (c: AccessCell) => [...new Set(c.conditions)].sort().join('\n');
  return set(a) === set(b);
}
