/**
 * Cross-checks the shape-valid policy files against the supergraph and the registries
 * and turns them into a {@link PolicyModel}. Every unknown name is a problem naming file,
 * line and the nearest valid name; a grant may only release fields its provider owns.
 */
import { didYouMean } from './nearest-name';
import { ProblemCollector } from './policy-validation-error';
import type { CompiledGrant, CompiledRowConditions, PolicyModel } from './policy-model';
import type { AgreementFile, GrantSpec, RowConditionsSpec } from './policy-file-schemas';
import type { Parsed, PolicyFiles } from './read-policy-files';
import type { PolicyRegistries } from './registries';
import { buildPolicyIndex } from './build-policy-index';
import { validityRange } from './validity-range';
import { checkGrantTransfers, compileAgreementTransfers, compileAuthorisation, compileTransferBases, type TransferCheckContext } from './check-transfers';
import type { CompiledTransferAuthorisation } from './policy-model';
import { fieldOwners, HIT_TYPE, LABEL_TYPE, type SupergraphModel, type TypeModel } from './supergraph-model';


/** Context shared by the checks of one load. */
interface Checker {
  readonly files: PolicyFiles;
  readonly sg: SupergraphModel;
  readonly registries: PolicyRegistries;
  readonly agencyBySubgraph: ReadonlyMap<string, string>;
  readonly problems: ProblemCollector;
  /** `Type.field` → group names whose fields are granted only explicitly. */
  readonly explicitOnly: ReadonlyMap<string, string>;
}

/** Types a policy may name: object types of the API that are not shared value types. */
function grantableTypes(sg: SupergraphModel): string[] {
  return [...sg.types.values()].filter((t) => t.kind === 'object' && !t.sharedValueType).map((t) => t.name);
}

/** Whether `provider` answers for `type.field` (alone or with other agencies, see `fieldOwners`). */
function ownedBy(c: Checker, type: TypeModel, field: string, provider: string): boolean {
  return fieldOwners(c.agencyBySubgraph, type, field)?.includes(provider) === true;
}

/**
 * `fields: "*"`: every field the provider answers for, on every type a grant may name — what its
 * subgraph contributes to the supergraph, without listing types by hand. Left out: fields of
 * `explicitOnly` groups (as with `Type: "*"`), shared value types (they follow the field
 * returning them) and mutation fields (running an agency's mutations is never granted by a
 * wildcard: name them). Not with `rows:` (types without a label would be swept in) nor with
 * `hitOnly` (hit/no-hit fields are named one by one).
 */
function wholeContribution(c: Checker, a: Parsed<AgreementFile>, gi: number, grant: GrantSpec): (readonly [string, string])[] {
  const { doc, value } = a;
  const path = ['grants', gi, 'fields'];
  if (grant.rows || grant.hitOnly === true) {
    c.problems.add(doc.file, doc.lineOf(path), 'wildcard_grant',
      `grants[${gi}] (${grant.id}): fields: "*" cannot be combined with ${grant.rows ? 'rows' : 'hitOnly'}; name the types (Type: "*") instead`);
    return [];
  }
  const out: (readonly [string, string])[] = [];
  for (const type of c.sg.types.values()) {
    if (type.kind !== 'object' || type.sharedValueType) continue;
    if (c.sg.rootTypes.has(type.name) && type.name !== c.sg.queryType) continue;
    for (const f of type.fields.keys()) {
      if (f.startsWith('_') && c.sg.rootTypes.has(type.name)) continue; // federation plumbing
      if (ownedBy(c, type, f, value.provider) && !c.explicitOnly.has(`${type.name}.${f}`)) out.push([type.name, f]);
    }
  }
  if (out.length === 0) {
    c.problems.add(doc.file, doc.lineOf(path), 'not_owner', `grants[${gi}] (${grant.id}): ${value.provider} answers for no field of the supergraph`);
  }
  return out;
}

function checkFieldGroups(c: Checker): Map<string, Map<string, string[]>> {
  const groups = new Map<string, Map<string, string[]>>();
  const fg = c.files.fieldGroups;
  if (!fg) return groups;
  for (const [name, group] of Object.entries(fg.value.groups)) {
    const fields = new Map<string, string[]>();
    for (const [typeName, names] of Object.entries(group.fields)) {
      const type = c.sg.types.get(typeName);
      if (!type || type.sharedValueType) {
        c.problems.add(fg.doc.file, fg.doc.lineOf(['groups', name, 'fields', typeName]), 'unknown_type',
          `groups.${name}: unknown type "${typeName}"${didYouMean(typeName, grantableTypes(c.sg))}`);
        continue;
      }
      names.forEach((f, i) => {
        if (!type.fields.has(f)) {
          c.problems.add(fg.doc.file, fg.doc.lineOf(['groups', name, 'fields', typeName, i]), 'unknown_field',
            `groups.${name}: unknown field "${typeName}.${f}"${didYouMean(f, type.fields.keys())}`);
        }
      });
      fields.set(typeName, names.filter((f) => type.fields.has(f)));
    }
    groups.set(name, fields);
  }
  return groups;
}

function checkName(c: Checker, doc: Parsed<AgreementFile>['doc'], path: (string | number)[], kind: string, what: string, name: string, valid: Iterable<string>): boolean {
  const list = [...valid];
  if (list.includes(name)) return true;
  c.problems.add(doc.file, doc.lineOf(path), kind, `${path.join('.')}: unknown ${what} "${name}"${didYouMean(name, list)}`);
  return false;
}

function compileRows(c: Checker, a: Parsed<AgreementFile>, gi: number, rows: RowConditionsSpec): CompiledRowConditions {
  const doc = a.doc;
  const codes = Object.keys(c.files.classification.value.handlingCodes);
  (rows.excludeHandling ?? []).forEach((code, i) =>
    checkName(c, doc, ['grants', gi, 'rows', 'excludeHandling', i], 'unknown_handling_code', 'handling code', code, codes));
  const regex = (path: (string | number)[], source: string): RegExp | undefined => {
    try {
      return new RegExp(source);
    } catch (error) {
      c.problems.add(doc.file, doc.lineOf(path), 'bad_pattern', `${path.join('.')}: not a valid pattern: ${(error as Error).message}`);
      return undefined;
    }
  };
  const caseMember =
    rows.caseMember === undefined
      ? undefined
      : rows.caseMember === true
        ? {}
        : (() => {
            const refPattern = regex(['grants', gi, 'rows', 'caseMember', 'refPattern'], rows.caseMember.refPattern);
            return refPattern ? { refPattern } : {};
          })();
  const linkedCase = rows.linkedCase === undefined ? undefined : regex(['grants', gi, 'rows', 'linkedCase'], rows.linkedCase);
  return {
    excludeHandling: rows.excludeHandling ?? [],
    releasableToRecipient: rows.releasableToRecipient === true,
    europolSupport: rows.europolSupport === true,
    ...(caseMember ? { caseMember } : {}),
    ...(linkedCase ? { linkedCase } : {}),
    allowRestrictedNotes: new Set(rows.allowRestrictedNotes ?? []),
    existenceSecret: rows.existenceSecret === true,
  };
}

/** The fields one grant releases (type → fields), with every naming problem reported. */
function grantFields(c: Checker, a: Parsed<AgreementFile>, gi: number, grant: GrantSpec, groups: Map<string, Map<string, string[]>>): Map<string, Set<string>> {
  const doc = a.doc;
  const provider = a.value.provider;
  const out = new Map<string, Set<string>>();
  const add = (type: string, field: string) => {
    const set = out.get(type) ?? new Set<string>();
    set.add(field);
    out.set(type, set);
  };
  if (grant.fields === '*') {
    wholeContribution(c, a, gi, grant).forEach(([t, f]) => add(t, f));
  }
  for (const [typeName, spec] of Object.entries(grant.fields === '*' ? {} : (grant.fields ?? {}))) {
    const base = ['grants', gi, 'fields', typeName];
    const type = c.sg.types.get(typeName);
    if (!type || type.kind !== 'object') {
      c.problems.add(doc.file, doc.lineOf(base), 'unknown_type', `grants[${gi}] (${grant.id}): unknown type "${typeName}"${didYouMean(typeName, grantableTypes(c.sg))}`);
      continue;
    }
    if (type.sharedValueType) {
      c.problems.add(doc.file, doc.lineOf(base), 'value_type',
        `grants[${gi}] (${grant.id}): "${typeName}" is a value type shared by several subgraphs; its fields follow the field that returns it, grant that field instead`);
      continue;
    }
    const owned = [...type.fields.keys()].filter((f) => ownedBy(c, type, f, provider));
    if (spec === '*') {
      const fields = owned.filter((f) => !c.explicitOnly.has(`${typeName}.${f}`));
      if (fields.length === 0) {
        c.problems.add(doc.file, doc.lineOf(base), 'not_owner', `grants[${gi}] (${grant.id}): ${provider} owns no field of ${typeName}`);
      }
      fields.forEach((f) => add(typeName, f));
      continue;
    }
    spec.forEach((f, i) => {
      const path = [...base, i];
      if (!type.fields.has(f)) {
        c.problems.add(doc.file, doc.lineOf(path), 'unknown_field', `grants[${gi}] (${grant.id}): unknown field "${typeName}.${f}"${didYouMean(f, type.fields.keys())}`);
        return;
      }
      if (!ownedBy(c, type, f, provider)) {
        const owners = fieldOwners(c.agencyBySubgraph, type, f);
        c.problems.add(doc.file, doc.lineOf(path), 'not_owner',
          `grants[${gi}] (${grant.id}): ${typeName}.${f} is owned by ${owners?.join(', ') ?? 'no agency'}, not by the provider ${provider}`);
        return;
      }
      const group = c.explicitOnly.get(`${typeName}.${f}`);
      if (group !== undefined && grant.hitOnly !== true) {
        c.problems.add(doc.file, doc.lineOf(path), 'explicit_group',
          `grants[${gi}] (${grant.id}): ${typeName}.${f} belongs to field group "${group}"; grant it with fieldGroups: [${group}]`);
        return;
      }
      if (grant.hitOnly === true && type.fields.get(f)?.returnType !== HIT_TYPE) {
        c.problems.add(doc.file, doc.lineOf(path), 'hit_only_field',
          `grants[${gi}] (${grant.id}): a hitOnly grant may only name hit/no-hit fields (returning ${HIT_TYPE}); ${typeName}.${f} returns ${type.fields.get(f)?.returnType}`);
        return;
      }
      add(typeName, f);
    });
  }
  (grant.fieldGroups ?? []).forEach((name, i) => {
    const path = ['grants', gi, 'fieldGroups', i];
    if (!checkName(c, doc, path, 'unknown_field_group', 'field group', name, groups.keys())) return;
    const groupSpec = c.files.fieldGroups?.value.groups[name];
    if (groupSpec?.requiresRoleAndClearance && (!grant.requires?.roles || !grant.requires.clearance)) {
      c.problems.add(doc.file, doc.lineOf(path), 'missing_requirement',
        `grants[${gi}] (${grant.id}): field group "${name}" may only be granted with requires: { roles, clearance }`);
    }
    let count = 0;
    for (const [typeName, fields] of groups.get(name) ?? []) {
      const type = c.sg.types.get(typeName);
      if (!type) continue;
      for (const f of fields) {
        if (ownedBy(c, type, f, provider)) {
          add(typeName, f);
          count++;
        }
      }
    }
    if (count === 0) {
      c.problems.add(doc.file, doc.lineOf(path), 'not_owner', `grants[${gi}] (${grant.id}): field group "${name}" has no field owned by ${provider}`);
    }
  });
  if (grant.rows) {
    for (const typeName of out.keys()) {
      const type = c.sg.types.get(typeName);
      if (!type) continue;
      if (!type.labelled || c.agencyBySubgraph.get(type.owningGraph) !== provider) {
        c.problems.add(doc.file, doc.lineOf(['grants', gi, 'rows']), 'rows_without_label',
          `grants[${gi}] (${grant.id}): row conditions need rows labelled by ${provider}, but ${typeName} ${type.labelled ? `rows are labelled by ${c.agencyBySubgraph.get(type.owningGraph) ?? type.owningGraph}` : 'has no label'}; put its fields in a grant without rows`);
      }
    }
  }
  return out;
}

/**
 * Cross-checks `files` and compiles them. Throws {@link PolicyValidationError} with every
 * problem found.
 */
export function checkPolicy(
  files: PolicyFiles,
  sg: SupergraphModel,
  registries: PolicyRegistries,
  problems = new ProblemCollector(),
  /** Instant a transfer basis must be in force at (epoch ms); default now. */
  now = Date.now(),
): PolicyModel {
  const agencyBySubgraph = new Map<string, string>();
  for (const [agency, subgraph] of registries.agencies) if (subgraph) agencyBySubgraph.set(subgraph, agency);
  const explicitOnly = new Map<string, string>();
  for (const [name, g] of Object.entries(files.fieldGroups?.value.groups ?? {})) {
    if (!g.explicitOnly) continue;
    for (const [t, fs] of Object.entries(g.fields)) for (const f of fs) explicitOnly.set(`${t}.${f}`, name);
  }
  const c: Checker = { files, sg, registries, agencyBySubgraph, problems, explicitOnly };
  const groups = checkFieldGroups(c);
  const levels = files.classification.value.clearanceLevels;
  const clearanceRank = new Map(levels.map((l, i) => [l, i]));
  const roleNames = Object.keys(files.roles.value.roles);
  const agencyIds = [...registries.agencies.keys()];
  const grants: CompiledGrant[] = [];
  const agreementIds = new Map<string, string>();
  const standings = registries.standings ?? new Map();
  const personalGroups = new Set(Object.entries(files.fieldGroups?.value.groups ?? {}).filter(([, g]) => g.personalData === true).map(([n]) => n));
  const tc: TransferCheckContext = { problems, standings, agencyIds, purposes: registries.purposes, personalGroups, now };
  const transferBases = compileTransferBases(tc, files.transferBases);
  const transferAuthorisations: CompiledTransferAuthorisation[] = [];

  for (const a of files.agreements) {
    const { doc, value } = a;
    const seen = agreementIds.get(value.id);
    if (seen) problems.add(doc.file, doc.lineOf(['id']), 'duplicate_id', `id: agreement id "${value.id}" is already used by ${seen}`);
    agreementIds.set(value.id, doc.file);
    const authorisation = value.authorisesTransfer !== undefined;
    if (checkName(c, doc, ['provider'], 'unknown_agency', 'agency', value.provider, agencyIds) && !authorisation && !registries.agencies.get(value.provider)) {
      problems.add(doc.file, doc.lineOf(['provider']), 'provider_owns_nothing', `provider: ${value.provider} owns no subgraph, so it has nothing to provide`);
    }
    value.recipients.forEach((r, i) => checkName(c, doc, ['recipients', i], 'unknown_agency', 'agency', r, agencyIds));
    value.purposes.forEach((p, i) => checkName(c, doc, ['purposes', i], 'unknown_purpose', 'purpose', p, registries.purposes));
    const { from, until: to } = validityRange(value.validity);
    if (Number.isNaN(from) || Number.isNaN(to)) {
      problems.add(doc.file, doc.lineOf(['validity']), 'bad_date', 'validity: not a calendar date');
    } else if (to <= from) {
      problems.add(doc.file, doc.lineOf(['validity', 'to']), 'bad_validity', `validity: ends (${value.validity.to}) before it starts (${value.validity.from})`);
    }
    if (authorisation) {
      const compiled = compileAuthorisation(tc, a);
      if (compiled) transferAuthorisations.push(compiled);
      continue;
    }
    const transfers = compileAgreementTransfers(tc, a, transferBases);
    const grantIds = new Set<string>();
    (value.grants ?? []).forEach((grant, gi) => {
      if (grantIds.has(grant.id)) problems.add(doc.file, doc.lineOf(['grants', gi, 'id']), 'duplicate_id', `grants[${gi}]: grant id "${grant.id}" is used twice in this agreement`);
      grantIds.add(grant.id);
      (grant.requires?.roles ?? []).forEach((r, i) => checkName(c, doc, ['grants', gi, 'requires', 'roles', i], 'unknown_role', 'role', r, roleNames));
      const clearance = grant.requires?.clearance;
      if (clearance !== undefined) checkName(c, doc, ['grants', gi, 'requires', 'clearance'], 'unknown_clearance', 'clearance level', clearance, levels);
      const fields = grantFields(c, a, gi, grant, groups);
      const rows = grant.rows ? compileRows(c, a, gi, grant.rows) : undefined;
      const minClearance = clearance === undefined ? undefined : clearanceRank.get(clearance);
      const personalCategories = new Set<string>();
      for (const name of personalGroups) {
        for (const [t, fs] of groups.get(name) ?? []) if (fs.some((f) => fields.get(t)?.has(f) === true)) personalCategories.add(name);
      }
      const labelledByProvider = (typeName: string | undefined): boolean => {
        const type = typeName === undefined ? undefined : sg.types.get(typeName);
        return type !== undefined && type.labelled && agencyBySubgraph.get(type.owningGraph) === value.provider;
      };
      const reachesOnlyLabelledRows = (typeName: string, fieldName: string): boolean =>
        labelledByProvider(typeName) || labelledByProvider(sg.types.get(typeName)?.fields.get(fieldName)?.returnType);
      checkGrantTransfers(tc, a, gi, grant, transfers, personalCategories, reachesOnlyLabelledRows, fields);
      grants.push({
        ref: { agreement: value.id, grant: grant.id },
        intent: grant.intent,
        agreementTitle: value.title,
        legalBasis: value.legalBasis,
        file: doc.file,
        line: doc.lineOf(['grants', gi]),
        provider: value.provider,
        recipients: new Set(value.recipients),
        purposes: new Set(value.purposes),
        validFrom: from,
        validUntil: to,
        validityText: value.validity,
        fields,
        hitOnly: grant.hitOnly === true,
        ...(grant.requires?.roles ? { requiredRoles: new Set(grant.requires.roles) } : {}),
        ...(minClearance !== undefined ? { minClearance, minClearanceName: clearance } : {}),
        ...(rows ? { rows } : {}),
        ownData: value.recipients.length === 1 && value.recipients[0] === value.provider,
        transfers,
        personalCategories,
      });
    });
  }
  problems.throwIfAny();
  const ownerOnlyHandling = new Set(
    Object.entries(files.classification.value.handlingCodes).filter(([, h]) => h.ownerOnly === true).map(([code]) => code),
  );
  const roleHolders = new Map<string, Set<string>>();
  for (const [role, spec] of Object.entries(files.roles.value.roles)) {
    if (!spec.heldBy) continue;
    spec.heldBy.forEach((a, i) =>
      checkName(c, files.roles.doc, ['roles', role, 'heldBy', i], 'unknown_agency', 'agency', a, agencyIds));
    roleHolders.set(role, new Set(spec.heldBy));
  }
  problems.throwIfAny();
  const catalogue = {
    roleHolders,
    agencies: agencyIds,
    purposes: [...registries.purposes],
    roles: roleNames,
    clearanceLevels: levels,
    personalDataGroups: new Set(Object.entries(files.fieldGroups?.value.groups ?? {}).filter(([, g]) => g.requiresRoleAndClearance === true || g.explicitOnly === true).map(([name]) => name)),
    fieldGroups: new Map([...groups].map(([name, byType]) => [name, new Set([...byType].flatMap(([t, fs]) => fs.map((f) => `${t}.${f}`)))])),
  };
  return buildPolicyIndex({
    version: files.version,
    supergraph: sg,
    agencyBySubgraph,
    clearanceRank,
    ownerOnlyHandling,
    grants,
    catalogue,
    standings,
    transferBases,
    transferAuthorisations,
    labelHasOrigin: sg.types.get(LABEL_TYPE)?.fields.has('origin') === true,
  });
}
