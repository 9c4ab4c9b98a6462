/**
 * The access matrix (`pactum policy access`): for each agency × purpose, the distinct access
 * profiles the agreements tell apart — role/clearance combinations with identical decisions
 * merged into one class — and for each class every field of the API: allowed (by which grant),
 * conditional on the row (under which grants and conditions) or denied (and why). Every cell
 * comes from `evaluateProfile`, i.e. from the engine the gateway runs.
 */
import { describeGrant, type GrantInfo } from './describe-grant';
import { accessFields, enumerateProfiles, evaluateProfile, type AccessCell, type AccessField, type InspectablePolicy, type ProfileSpec } from './effective-access';

/** Role/clearance combinations with identical access, for one agency and purpose. */
export interface ProfileClass {
  readonly agency: string;
  readonly purpose: string;
  /** E.g. `investigator, clearance ≥ CONFIDENTIAL; prosecutor, any clearance`. */
  readonly label: string;
  readonly members: readonly { readonly role: string; readonly clearance: string }[];
  /** Aligned with {@link AccessMatrix.fields}. */
  readonly cells: readonly AccessCell[];
  readonly released: number;
  readonly conditional: number;
}

/** The whole matrix. */
export interface AccessMatrix {
  readonly policyVersion: string;
  /** Instant decided (ISO). */
  readonly at: string;
  readonly agencies: readonly string[];
  readonly purposes: readonly string[];
  readonly fields: readonly AccessField[];
  readonly fieldGroups: readonly string[];
  readonly classes: readonly ProfileClass[];
  /** Every grant a cell names, by `agreement/grant`. */
  readonly grants: Readonly<Record<string, GrantInfo>>;
}

/** Options of {@link computeAccessMatrix}. */
export interface AccessMatrixOptions {
  readonly at: Date;
  /** Only these agencies / purposes (names are checked by the caller). */
  readonly agencies?: readonly string[];
  readonly purposes?: readonly string[];
}

const NONE = { role: 'no role', clearance: 'no clearance' };

/** A short description of a set of (role, clearance) combinations out of all of them. */
export function describeMembers(members: readonly { role: string; clearance: string }[], roles: readonly string[], levels: readonly string[]): string {
  const allClearances = ['', ...levels];
  const byRole = new Map<string, Set<string>>();
  for (const m of members) byRole.set(m.role, (byRole.get(m.role) ?? new Set()).add(m.clearance));
  const clearanceText = (set: Set<string>): string => {
    if (set.size === allClearances.length) return 'any clearance';
    const idx = allClearances.map((c, i) => (set.has(c) ? i : -1)).filter((i) => i >= 0);
    const first = idx[0] ?? 0;
    const last = idx[idx.length - 1] ?? 0;
    const contiguous = last - first + 1 === idx.length;
    if (contiguous && last === allClearances.length - 1) return `clearance ≥ ${allClearances[first] || NONE.clearance}`;
    if (contiguous && first === 0) return `clearance below ${allClearances[last + 1]}`;
    return `clearance ${[...set].map((c) => c || NONE.clearance).join(' | ')}`;
  };
  const allRoles = ['', ...roles];
  const texts = [...byRole].map(([role, set]) => ({ role, text: clearanceText(set) }));
  if (texts.length === allRoles.length && texts.every((t) => t.text === texts[0]?.text)) return `any role, ${texts[0]?.text ?? ''}`;
  // Roles sharing the same clearance range read as one phrase.
  const byText = new Map<string, string[]>();
  for (const t of texts) byText.set(t.text, [...(byText.get(t.text) ?? []), t.role || NONE.role]);
  const roleList = (rs: string[]): string => {
    if (rs.length === allRoles.length) return 'any role';
    const missing = allRoles.filter((r) => !rs.includes(r || NONE.role)).map((r) => r || NONE.role);
    return rs.length > missing.length + 1 ? `any role but ${missing.join(' | ')}` : rs.join(' | ');
  };
  return [...byText].map(([text, rs]) => `${roleList(rs)}, ${text}`).join('; ');
}

/** Computes the matrix. */
export function computeAccessMatrix(policy: InspectablePolicy, options: AccessMatrixOptions): AccessMatrix {
  const { model } = policy;
  const fields = accessFields(model);
  const specs = enumerateProfiles(model, { ...(options.agencies ? { agencies: options.agencies } : {}), ...(options.purposes ? { purposes: options.purposes } : {}) });
  const groups = new Map<string, { spec: ProfileSpec; cells: AccessCell[]; members: { role: string; clearance: string }[] }>();
  for (const spec of specs) {
    const cells = evaluateProfile(policy, spec, fields, options.at);
    const key = JSON.stringify([spec.agency, spec.purpose, cells]);
    const g = groups.get(key);
    if (g) g.members.push({ role: spec.role, clearance: spec.clearance });
    else groups.set(key, { spec, cells, members: [{ role: spec.role, clearance: spec.clearance }] });
  }
  const grants: Record<string, GrantInfo> = {};
  const byId = new Map(model.grants.map((g) => [`${g.ref.agreement}/${g.ref.grant}`, g]));
  const classes: ProfileClass[] = [...groups.values()].map(({ spec, cells, members }) => {
    for (const c of cells) {
      for (const id of c.grants) {
        const g = byId.get(id);
        if (g && !grants[id]) grants[id] = describeGrant(g);
      }
    }
    return {
      agency: spec.agency,
      purpose: spec.purpose,
      label: describeMembers(members, model.catalogue.roles, model.catalogue.clearanceLevels),
      members,
      cells,
      released: cells.filter((c) => c.effect === 'allowed').length,
      conditional: cells.filter((c) => c.effect === 'conditional').length,
    };
  });
  return {
    policyVersion: policy.version,
    at: options.at.toISOString(),
    agencies: options.agencies ?? model.catalogue.agencies,
    purposes: options.purposes ?? model.catalogue.purposes,
    fields,
    fieldGroups: [...model.catalogue.fieldGroups.keys()],
    classes,
    grants,
  };
}
