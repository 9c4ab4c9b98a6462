/**
 * An {@link AccessProfile}: everything one (principal, purpose, time) may see, answering
 * each `Type.field` with a memoised decision, so after the first request of a profile
 * a field decision is two map lookups.
 */
import { fieldOwner } from './supergraph-model';
import { decideField, type InternalDecision, type Subject } from './decide-field';
import type { PolicyModel } from './policy-model';
import { buildRowRules } from './row-rules';
import type { AccessProfile, FieldDecision, RowRules } from './types';

const ALLOW_IF_ROW: FieldDecision = Object.freeze({ effect: 'allow-if-row' });

function toPublic(d: InternalDecision): FieldDecision {
  if (d.effect === 'allow-if-row') return ALLOW_IF_ROW;
  return d;
}

/** Row rules of a labelled object type for `subject` (see `row-rules.ts`), uncached; undefined for unlabelled types. */
export function typeRowRules(model: PolicyModel, subject: Subject, typeName: string): RowRules | undefined {
  const type = model.supergraph.types.get(typeName);
  if (!type || type.kind !== 'object' || !type.labelled) return undefined;
  const all = new Map<string, InternalDecision>();
  const governed = new Set<string>();
  const owner = model.agencyBySubgraph.get(type.owningGraph);
  for (const f of type.fields.keys()) {
    all.set(f, decideField(model, subject, typeName, f));
    if (owner !== undefined && fieldOwner(model.agencyBySubgraph, type, f) === owner) governed.add(f);
  }
  return buildRowRules(model.ownerOnlyHandling, subject, all, governed, model.labelHasOrigin);
}

/** Builds a profile; decisions are computed on first use and kept. */
export function createAccessProfile(model: PolicyModel, subject: Subject, key: string): AccessProfile {
  const decisions = new Map<string, Map<string, FieldDecision>>();
  const rowRulesByType = new Map<string, RowRules | undefined>();

  const rowRules = (typeName: string) => {
    if (rowRulesByType.has(typeName)) return rowRulesByType.get(typeName);
    const rules = typeRowRules(model, subject, typeName);
    rowRulesByType.set(typeName, rules);
    return rules;
  };

  return {
    key,
    policyVersion: model.version,
    field(typeName, fieldName) {
      let byField = decisions.get(typeName);
      if (!byField) {
        byField = new Map();
        decisions.set(typeName, byField);
      }
      let d = byField.get(fieldName);
      if (!d) {
        const internal = decideField(model, subject, typeName, fieldName);
        d = toPublic(internal);
        // A row its owner withholds hides every field on it: then even an unconditional
        // allow needs the row checked, so enforcement must read the label.
        if (d.effect === 'allow' && !fieldName.startsWith('__') && rowRules(typeName)?.canHideRows) d = ALLOW_IF_ROW;
        byField.set(fieldName, d);
      }
      return d;
    },
    rowRules,
  };
}
