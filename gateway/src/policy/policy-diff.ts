/**
 * What a change to the policy files does to effective access (`pactum policy diff <rev>`):
 * both policies are asked, profile by profile and field by field, through the same engine
 * (`evaluateProfile`), and every cell that differs is a change — gained, lost, row conditions
 * changed, or the same access under another grant. Changes shared by several role/clearance
 * combinations are merged, so a reviewer reads one line per (agency, purpose, profile, field).
 * Agreements whose validity changed, or that appeared or went, are listed beside.
 */
import { describeMembers } from './access-matrix';
import { accessFields, evaluateProfile, profileGrid, type AccessCell, type AccessField, type InspectablePolicy } from './effective-access';

/** How one cell changed. */
export type AccessChangeKind = 'gained' | 'lost' | 'conditions' | 'grant';

/** One change, for every role/clearance combination in `members`. */
export interface AccessChange {
  readonly kind: AccessChangeKind;
  readonly agency: string;
  readonly purpose: string;
  readonly coordinate: string;
  readonly owner: string;
  /** The combinations the change applies to, described (`any role, any clearance`). */
  readonly profile: string;
  readonly members: readonly { readonly role: string; readonly clearance: string }[];
  readonly before: AccessCell;
  readonly after: AccessCell;
}

/** An agreement added, removed, or whose validity window changed. */
export interface AgreementChange {
  readonly agreement: string;
  readonly kind: 'added' | 'removed' | 'validity';
  readonly before?: { readonly from: string; readonly to?: string };
  readonly after?: { readonly from: string; readonly to?: string };
}

/** The whole comparison. */
export interface PolicyDiff {
  readonly beforeVersion: string;
  readonly afterVersion: string;
  readonly at: string;
  readonly changes: readonly AccessChange[];
  readonly agreements: readonly AgreementChange[];
  readonly counts: Readonly<Record<AccessChangeKind, number>>;
}

const RANK = { denied: 0, conditional: 1, allowed: 2 } as const;

function kindOf(before: AccessCell, after: AccessCell): AccessChangeKind | undefined {
  if (RANK[after.effect] > RANK[before.effect]) return 'gained';
  if (RANK[after.effect] < RANK[before.effect]) return 'lost';
  if (after.effect === 'denied') return undefined; // still denied: a changed reason is no change of access
  if (after.effect === 'conditional' && after.conditions.join('\n') !== before.conditions.join('\n')) return 'conditions';
  if (after.grants.join('\n') !== before.grants.join('\n')) return 'grant';
  return undefined;
}

/** Names of both sides, the after side's order first. */
function union(a: readonly string[], b: readonly string[]): string[] {
  return [...new Set([...b, ...a])];
}

function validityOf(policy: InspectablePolicy): Map<string, { from: string; to?: string }> {
  const out = new Map<string, { from: string; to?: string }>();
  for (const g of policy.model.grants) {
    if (!out.has(g.ref.agreement)) out.set(g.ref.agreement, { from: g.validityText.from, ...(g.validityText.to !== undefined ? { to: g.validityText.to } : {}) });
  }
  return out;
}

/** Compares `before` and `after` at `at`, over the profiles either side's registries know. */
export function diffPolicies(before: InspectablePolicy, after: InspectablePolicy, at: Date): PolicyDiff {
  const b = before.model.catalogue;
  const a = after.model.catalogue;
  const roles = union(b.roles, a.roles);
  const levels = union(b.clearanceLevels, a.clearanceLevels);
  const fieldsByCoord = new Map<string, AccessField>();
  for (const f of [...accessFields(after.model), ...accessFields(before.model)]) if (!fieldsByCoord.has(f.coordinate)) fieldsByCoord.set(f.coordinate, f);
  const fields = [...fieldsByCoord.values()];
  const grouped = new Map<string, AccessChange & { members: { role: string; clearance: string }[] }>();
  // An (agency, purpose) no grant of either policy names — agency among its recipients, purpose
  // among its purposes — is denied everything on both sides: nothing to compare, so not asked.
  const named = new Set<string>();
  for (const g of [...before.model.grants, ...after.model.grants]) for (const r of g.recipients) for (const p of g.purposes) named.add(`${r}\u0000${p}`);
  const specs = profileGrid(union(b.agencies, a.agencies), union(b.purposes, a.purposes), roles, levels).filter((s) => named.has(`${s.agency}\u0000${s.purpose}`));
  for (const spec of specs) {
    const was = evaluateProfile(before, spec, fields, at);
    const now = evaluateProfile(after, spec, fields, at);
    fields.forEach((f, i) => {
      const x = was[i];
      const y = now[i];
      if (!x || !y) return;
      const kind = kindOf(x, y);
      if (!kind) return;
      const key = JSON.stringify([spec.agency, spec.purpose, f.coordinate, x, y]);
      const member = { role: spec.role, clearance: spec.clearance };
      const g = grouped.get(key);
      if (g) g.members.push(member);
      else grouped.set(key, { kind, agency: spec.agency, purpose: spec.purpose, coordinate: f.coordinate, owner: f.owner, profile: '', members: [member], before: x, after: y });
    });
  }
  const changes = [...grouped.values()].map((c) => ({ ...c, profile: describeMembers(c.members, roles, levels) }));
  const agreements: AgreementChange[] = [];
  const vb = validityOf(before);
  const va = validityOf(after);
  for (const [id, v] of va) {
    const old = vb.get(id);
    if (!old) agreements.push({ agreement: id, kind: 'added', after: v });
    else if (old.from !== v.from || old.to !== v.to) agreements.push({ agreement: id, kind: 'validity', before: old, after: v });
  }
  for (const [id, v] of vb) if (!va.has(id)) agreements.push({ agreement: id, kind: 'removed', before: v });
  const counts = { gained: 0, lost: 0, conditions: 0, grant: 0 };
  for (const c of changes) counts[c.kind]++;
  return { beforeVersion: before.version, afterVersion: after.version, at: at.toISOString(), changes, agreements, counts };
}
