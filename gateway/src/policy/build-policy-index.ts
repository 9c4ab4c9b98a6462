/**
 * Indexes checked grants for decisions: recipient → type → field → candidate grants
 * (own data first, then by agreement id, so the grant an allow names is stable), the
 * hit-only grants per recipient and type, and the instants where validity changes.
 */
import type { CompiledGrant, PolicyModel } from './policy-model';

/** Everything of a {@link PolicyModel} but its indexes. */
export type PolicyModelInput = Omit<PolicyModel, 'index' | 'hitIndex' | 'validityBoundaries' | 'grants'> & { readonly grants: readonly CompiledGrant[] };

/** Builds the decision indexes over `input.grants`. */
export function buildPolicyIndex(input: PolicyModelInput): PolicyModel {
  const ordered = [...input.grants].sort(
    (x, y) => Number(y.ownData) - Number(x.ownData) || x.ref.agreement.localeCompare(y.ref.agreement),
  );
  const index = new Map<string, Map<string, Map<string, CompiledGrant[]>>>();
  const hitIndex = new Map<string, Map<string, CompiledGrant[]>>();
  for (const g of ordered) {
    for (const recipient of g.recipients) {
      const byType = index.get(recipient) ?? new Map<string, Map<string, CompiledGrant[]>>();
      index.set(recipient, byType);
      for (const [type, fields] of g.fields) {
        const byField = byType.get(type) ?? new Map<string, CompiledGrant[]>();
        byType.set(type, byField);
        for (const f of fields) byField.set(f, [...(byField.get(f) ?? []), g]);
        if (g.hitOnly) {
          const hits = hitIndex.get(recipient) ?? new Map<string, CompiledGrant[]>();
          hitIndex.set(recipient, hits);
          hits.set(type, [...(hits.get(type) ?? []), g]);
        }
      }
    }
  }
  const boundaries = new Set<number>();
  for (const g of ordered) {
    boundaries.add(g.validFrom);
    if (Number.isFinite(g.validUntil)) boundaries.add(g.validUntil);
  }
  // A transfer basis or a Member State's authorisation that starts or ends changes decisions too.
  for (const t of [...input.transferBases.values(), ...input.transferAuthorisations]) {
    boundaries.add(t.validFrom);
    if (Number.isFinite(t.validUntil)) boundaries.add(t.validUntil);
  }
  return { ...input, grants: ordered, index, hitIndex, validityBoundaries: [...boundaries].sort((a, b) => a - b) };
}
