/**
 * `pactum policy lint`: what is unusual though valid. Each finding that is about access is
 * established by asking the engine (`evaluateProfile`) over the profiles the registries allow,
 * not by reading the files: a grant "never applies" when no profile is ever released anything
 * under it, and is "shadowed" when a policy compiled without it decides every profile exactly as
 * before. "Never applies" is the engine's own grant check (`checkGrant`) failing for every
 * profile of its recipients, or a required role no recipient holds (`heldBy` in `roles.yaml`).
 */
import { compilePolicy, subjectOf } from './compile-policy';
import { checkGrant } from './decide-field';
import { buildPolicyIndex } from './build-policy-index';
import { grantId } from './describe-grant';
import { accessFields, declaredPurposeOf, evaluateProfile, principalOf, profileGrid, sameCellAccess, type AccessField, type InspectablePolicy } from './effective-access';
import type { CompiledGrant } from './policy-model';

/** Kinds of finding, each with a fixed severity. */
export type LintKind =
  | 'agreement-expired'
  | 'agreement-expiring'
  | 'agreement-not-yet-valid'
  | 'grant-never-applies'
  | 'grant-shadowed'
  | 'personal-data-without-clearance'
  | 'field-unmentioned'
  | 'h3-without-rule';

/** `warning`: something a reviewer must act on; `notice`: worth knowing. */
export type LintSeverity = 'warning' | 'notice';

export const LINT_SEVERITY: Readonly<Record<LintKind, LintSeverity>> = {
  'agreement-expired': 'warning',
  'agreement-expiring': 'warning',
  'agreement-not-yet-valid': 'notice',
  'grant-never-applies': 'warning',
  'grant-shadowed': 'warning',
  'personal-data-without-clearance': 'warning',
  'field-unmentioned': 'notice',
  'h3-without-rule': 'notice',
};

/** One finding. */
export interface LintFinding {
  readonly kind: LintKind;
  readonly severity: LintSeverity;
  /** `agreement`, `agreement/grant` or `Type.field`. */
  readonly subject: string;
  /** `agreements/x.yaml:12`, when the finding has a place in a file. */
  readonly source?: string;
  readonly message: string;
}

/** Options of {@link lintPolicy}. */
export interface LintOptions {
  readonly now: Date;
  /** Agreements ending within this many days are reported (default 90). */
  readonly expiringWithinDays?: number;
  /** `Type.field` of the API no grant names (from `listUnmentionedFields`). */
  readonly unmentionedFields: readonly string[];
}

const DAY_MS = 86_400_000;

function agreementsOf(grants: readonly CompiledGrant[]): CompiledGrant[] {
  const seen = new Set<string>();
  return grants.filter((g) => (seen.has(g.ref.agreement) ? false : (seen.add(g.ref.agreement), true)));
}

/** An instant at which the grant's agreement is in force: `now` when it is, else its first day. */
function instantFor(g: CompiledGrant, now: number): Date {
  return new Date(now >= g.validFrom && now < g.validUntil ? now : g.validFrom);
}

/** Fields whose decision a grant can affect: every field of the types it names (row visibility is per type). */
function fieldsTouched(g: CompiledGrant, all: readonly AccessField[]): AccessField[] {
  return all.filter((f) => g.fields.has(f.type));
}

/** Lints `policy`. */
export function lintPolicy(policy: InspectablePolicy, options: LintOptions): LintFinding[] {
  const { model } = policy;
  const now = options.now.getTime();
  const within = (options.expiringWithinDays ?? 90) * DAY_MS;
  const out: LintFinding[] = [];
  const add = (kind: LintKind, subject: string, message: string, source?: string) =>
    out.push({ kind, severity: LINT_SEVERITY[kind], subject, ...(source ? { source } : {}), message });

  for (const g of agreementsOf(model.grants)) {
    const to = g.validityText.to;
    if (now >= g.validUntil) add('agreement-expired', g.ref.agreement, `ended on ${to ?? ''}: it grants nothing; renew it or remove the file`, g.file);
    else if (g.validUntil - now <= within) add('agreement-expiring', g.ref.agreement, `ends on ${to ?? ''}, in ${Math.ceil((g.validUntil - now) / DAY_MS)} days`, g.file);
    else if (now < g.validFrom) add('agreement-not-yet-valid', g.ref.agreement, `starts on ${g.validityText.from}: it grants nothing yet`, g.file);
  }

  const fields = accessFields(model);
  const { roles, clearanceLevels } = model.catalogue;
  for (const g of model.grants) {
    if (now >= g.validUntil) continue; // an expired agreement is reported once, above
    const id = grantId(g);
    const at = instantFor(g, now);
    const touched = fieldsTouched(g, fields);
    const specs = profileGrid([...g.recipients], [...g.purposes], roles, clearanceLevels);
    // Which profiles meet the grant's own conditions, by the engine's check (purpose, validity, role, clearance).
    const meeting = specs.filter((s) => checkGrant(subjectOf(model, principalOf(s), declaredPurposeOf(s), at), g).ok);
    const holders = [...(g.requiredRoles ?? [])].map((r) => model.catalogue.roleHolders.get(r));
    const heldByRecipient = g.requiredRoles === undefined || holders.some((h) => h === undefined || [...g.recipients].some((a) => h.has(a)));
    if (!heldByRecipient) {
      add('grant-never-applies', id, `it needs one of the roles ${[...(g.requiredRoles ?? [])].join(', ')}, which no recipient (${[...g.recipients].join(', ')}) holds (roles.yaml heldBy)`, `${g.file}:${g.line}`);
      continue;
    }
    if (meeting.length === 0) {
      add('grant-never-applies', id, `no principal of ${[...g.recipients].join(', ')} can meet its conditions (roles, clearance) for ${[...g.purposes].join(', ')}`, `${g.file}:${g.line}`);
      continue;
    }
    const without = compilePolicy(buildPolicyIndex({ ...model, grants: model.grants.filter((x) => x !== g) }), { maxProfiles: 64 });
    const reduced: InspectablePolicy = { ...without, model };
    let same = true;
    const instead = new Set<string>();
    for (const s of specs) {
      const a = evaluateProfile(policy, s, touched, at);
      const b = evaluateProfile(reduced, s, touched, at);
      if (!a.every((c, i) => { const d = b[i]; return d !== undefined && sameCellAccess(c, d); })) {
        same = false;
        break;
      }
      a.forEach((c, i) => {
        if (c.grants.includes(id)) for (const other of b[i]?.grants ?? []) instead.add(other);
      });
    }
    if (same) add('grant-shadowed', id, `removing it changes no one's access: ${[...instead].join(', ') || 'other grants'} release${instead.size === 1 ? 's' : ''} the same`, `${g.file}:${g.line}`);
  }

  // Personal data reached by a principal holding no clearance at all.
  const personal = new Set<string>();
  for (const name of model.catalogue.personalDataGroups) for (const c of model.catalogue.fieldGroups.get(name) ?? []) personal.add(c);
  const personalFields = fields.filter((f) => personal.has(f.coordinate));
  if (personalFields.length > 0) {
    const reported = new Set<string>();
    for (const spec of profileGrid(model.catalogue.agencies, model.catalogue.purposes, roles, [])) {
      evaluateProfile(policy, spec, personalFields, options.now).forEach((c, i) => {
        const f = personalFields[i];
        if (!f || c.effect === 'denied') return;
        for (const gid of c.grants) {
          const key = `${gid} ${f.coordinate}`;
          if (reported.has(key)) continue;
          reported.add(key);
          add('personal-data-without-clearance', f.coordinate, `personal data released by ${gid} to ${spec.agency} without any clearance`);
        }
      });
    }
  }

  for (const c of options.unmentionedFields) add('field-unmentioned', c, 'no agreement mentions it: it is denied to everyone');

  if (model.ownerOnlyHandling.size > 0) {
    const codes = [...model.ownerOnlyHandling].join(', ');
    for (const type of model.supergraph.types.values()) {
      if (type.kind !== 'object' || !type.labelled) continue;
      const owner = model.agencyBySubgraph.get(type.owningGraph);
      const shared = model.grants.filter((g) => g.provider === owner && g.fields.has(type.name) && !g.ownData);
      if (shared.length === 0) continue;
      if (shared.some((g) => (g.rows?.allowRestrictedNotes.size ?? 0) > 0)) continue;
      add('h3-without-rule', type.name, `${type.name} rows carrying ${codes} are seen by ${owner ?? type.owningGraph} only: none of its ${shared.length} grants to others has a rule for a handling note (rows.allowRestrictedNotes)`);
    }
  }
  return out;
}
