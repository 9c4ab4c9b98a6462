/**
 * Turns a checked {@link PolicyModel} into a {@link CompiledPolicy}: profiles cached by
 * key in a bounded LRU, and `explain` telling the whole story of one decision.
 */
import type { DeclaredPurpose, Principal } from '../auth';
import { ByteLruCache, cacheLookups, defaultCacheBudget, estimateProfileBytes } from '../cache';
import { createAccessProfile, typeRowRules } from './access-profile';
import { decideField, type Subject } from './decide-field';
import type { PolicyModel } from './policy-model';
import { rowFailure } from './row-rules';
import { createSupergraphFacts } from './supergraph-facts';
import { derogationCaseOf, describeTransfer, transferCountry } from './transfers';
import { resolvingGraph } from './supergraph-model';
import type { AccessProfile, CompiledPolicy, Explanation, ExplanationStep, RowLabel } from './types';

/** Options of {@link compilePolicy}. */
export interface CompileOptions {
  /** Profiles kept (least recently used dropped first). Default 1000. */
  readonly maxProfiles?: number;
  /**
   * Most estimated bytes of profiles kept, each weighed at the most it can grow to (≈ 50 kB on
   * the committed supergraph). Default: the `profiles` share of the process's cache budget.
   */
  readonly maxProfileBytes?: number;
}

/** Index of the validity epoch `at` falls in: how many agreement start/end instants lie at or before it. */
function validityEpoch(boundaries: readonly number[], at: number): number {
  let lo = 0;
  let hi = boundaries.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((boundaries[mid] ?? 0) <= at) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The {@link Subject} decisions read for (principal, purpose, at). */
export function subjectOf(model: PolicyModel, principal: Principal, purpose: DeclaredPurpose, at: Date): Subject {
  const transferTo = transferCountry(model, principal.agency);
  return {
    transferTo,
    derogationCase: derogationCaseOf(transferTo, purpose),
    agency: principal.agency,
    roles: principal.roles,
    clearanceRank: model.clearanceRank.get(principal.clearance) ?? -1,
    clearanceName: principal.clearance,
    purpose: purpose.code,
    cases: principal.cases,
    at: at.getTime(),
  };
}

/** Length-prefixed, so no choice of characters in a part can make two inputs collide. */
const part = (s: string): string => `${s.length}:${s}`;

/** Members of a set in a stable order (most principals hold zero or one role / case: no sort then). */
function sorted(set: ReadonlySet<unknown>): string {
  if (set.size === 0) return '0;';
  const items = [...set].map((v) => part(String(v)));
  if (items.length > 1) items.sort();
  return `${set.size};${items.join('')}`;
}

/**
 * The profile key, derived from the very {@link Subject} the decisions read: every attribute of
 * it, by name, in name order — the instant `at` replaced by its validity epoch (decisions change
 * only at an agreement's start or end). A new attribute added to `Subject` joins the key by
 * construction, so two principals can never share a profile by an omission here.
 */
export function subjectKey(model: PolicyModel, subject: Subject): string {
  let key = `${part(model.version)}`;
  for (const name of Object.keys(subject).sort()) {
    const value: unknown = subject[name as keyof Subject];
    key += part(name);
    if (name === 'at') key += `e${validityEpoch(model.validityBoundaries, subject.at)};`;
    else if (typeof value === 'string') key += `s${part(value)}`;
    else if (typeof value === 'number') key += `n${part(String(value))}`;
    else if (value instanceof Set) key += `S${sorted(value)}`;
    else throw new Error(`policy: subject attribute ${name} has no key encoding`);
  }
  return key;
}

/** The profile key of (principal, purpose, at): equal keys ⇒ identical decisions. */
export function profileKey(model: PolicyModel, principal: Principal, purpose: DeclaredPurpose, at: Date): string {
  return subjectKey(model, subjectOf(model, principal, purpose, at));
}

/** Compiles a checked policy model. */
export function compilePolicy(model: PolicyModel, options: CompileOptions = {}): CompiledPolicy {
  // A profile memoises one decision per field it is asked about, and only the schema's fields
  // get that far: weighed as if every field were decided, an entry's estimate bounds its growth.
  const schemaFields = [...model.supergraph.types.values()].reduce((n, t) => n + t.fields.size, 0);
  const profiles = new ByteLruCache<string, AccessProfile>({
    maxEntries: options.maxProfiles ?? 1000,
    maxBytes: options.maxProfileBytes ?? defaultCacheBudget().profiles,
    sizeOf: (_profile, key) => estimateProfileBytes(schemaFields, key),
    lookups: cacheLookups('profiles'),
  });
  const facts = createSupergraphFacts(model.supergraph, model.agencyBySubgraph);

  return {
    version: model.version,
    facts,
    profileFor(principal, purpose, at) {
      const subject = subjectOf(model, principal, purpose, at);
      const key = subjectKey(model, subject);
      const cached = profiles.get(key);
      if (cached) return cached;
      const profile = createAccessProfile(model, subject, key);
      profiles.set(key, profile);
      return profile;
    },
    explainRow(principal, purpose, at, typeName, label) {
      const rules = typeRowRules(model, subjectOf(model, principal, purpose, at), typeName);
      const verdict = rules?.evaluate(label);
      if (!verdict || verdict.visible) return { visible: true };
      return { visible: false, reason: verdict.reason, secret: verdict.secret };
    },
    describeTransfer(principal, purpose, grants) {
      return describeTransfer(model, principal.agency, purpose.code, grants);
    },
    explain(principal, purpose, at, typeName, fieldName, label) {
      return explain(model, subjectOf(model, principal, purpose, at), typeName, fieldName, label);
    },
  };
}

function explain(model: PolicyModel, subject: Subject, typeName: string, fieldName: string, label?: RowLabel): Explanation {
  const steps: ExplanationStep[] = [];
  const d = decideField(model, subject, typeName, fieldName, steps);
  const type = model.supergraph.types.get(typeName);
  const f = type?.fields.get(fieldName);
  const ownerGraph = type && f ? resolvingGraph(type, f) : undefined;
  const owner = ownerGraph === undefined ? undefined : model.agencyBySubgraph.get(ownerGraph);
  const base = { coordinate: `${typeName}.${fieldName}`, policyVersion: model.version, ...(owner ? { owner } : {}) };
  if (d.effect === 'deny') return { ...base, effect: 'deny', reason: d.reason, steps };
  const rules = fieldName.startsWith('__') ? undefined : typeRowRules(model, subject, typeName);
  if (!label) {
    if (d.effect === 'allow' && !rules?.canHideRows) return { ...base, effect: 'allow', grant: d.grant, steps };
    if (d.effect === 'allow') {
      steps.push({ agreement: 'pactum:row', outcome: 'allowed', detail: `released on ${typeName} rows its owner does not withhold (give a label to decide)` });
    }
    return { ...base, effect: 'allow-if-row', steps };
  }

  // On a given label the type's rules decide whether the row is seen at all, and the field's own candidates decide the field.
  const verdict = rules?.evaluate(label);
  const rowVisible = verdict?.visible ?? true;
  const rowSecret = verdict && !verdict.visible ? verdict.secret : false;
  let fieldVerdict: { grant?: Explanation['grant']; reason?: Explanation['reason'] } = d.effect === 'allow' ? { grant: d.grant } : {};
  if (d.effect === 'allow-if-row') {
    for (const c of d.candidates) {
      const failure = rowFailure(model.ownerOnlyHandling, subject, c, label);
      steps.push({
        agreement: c.grant.ref.agreement,
        grant: c.grant.ref.grant,
        outcome: failure ? failure.reason : 'allowed',
        detail: failure ? `row: ${failure.detail}` : 'row: label passes',
      });
      if (!failure && !fieldVerdict.grant) fieldVerdict = { grant: c.grant.ref };
      if (failure && !fieldVerdict.grant && !fieldVerdict.reason) fieldVerdict = { reason: failure.reason };
    }
  }
  if (verdict && !verdict.visible) {
    steps.push({ agreement: 'pactum:row', outcome: verdict.reason, detail: `no field of the owner is released on this row: the row is withheld${verdict.secret ? ' and its existence is secret' : ''}` });
    return { ...base, effect: 'deny', reason: verdict.reason, rowVisible, rowSecret, steps };
  }
  if (fieldVerdict.grant) return { ...base, effect: 'allow', grant: fieldVerdict.grant, rowVisible, rowSecret, steps };
  return { ...base, effect: 'deny', reason: fieldVerdict.reason ?? 'NO_AGREEMENT', rowVisible, rowSecret, steps };
}
