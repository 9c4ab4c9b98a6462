/**
 * Row conditions: a grant's conditions checked against the label the owner put on a
 * row at read time, and the per-type {@link RowRules} enforcement applies to each row.
 * The row belongs to its owner (the agency labelling it): it stays visible when at least
 * one of the owner's fields is released on it, and then its other fields are withheld one
 * by one. When none is, the row is dropped whole — fields other agencies contribute to it
 * (police `Container.investigations`) must not reveal that a withheld row exists.
 */
import type { CompiledRowConditions } from './policy-model';
import { META_GRANT, type InternalDecision, type RowCandidate, type Subject } from './decide-field';
import type { DenyReason, RowFieldVerdict, RowLabel, RowRules, RowVerdict } from './types';
import { LABEL_FIELD } from './supergraph-model';
import { rowTransferFailure } from './transfers';

/** Why a candidate fails on a label, or undefined when it passes. */
export function rowFailure(
  ownerOnlyHandling: ReadonlySet<string>,
  subject: Subject,
  candidate: RowCandidate,
  label: RowLabel,
): { reason: DenyReason; detail: string } | undefined {
  const rows: CompiledRowConditions | undefined = candidate.grant.rows;
  if (candidate.ownerOnlyCheck && label.owner !== subject.agency) {
    for (const code of label.handling) {
      if (ownerOnlyHandling.has(code) && !(label.handlingNote && rows?.allowRestrictedNotes.has(label.handlingNote))) {
        return { reason: 'HANDLING_RESTRICTED', detail: `${code} restricts the row to its owner ${label.owner} and no rule covers its note` };
      }
    }
  }
  if (candidate.transfer) {
    const failure = rowTransferFailure(candidate.transfer, subject.agency, label);
    if (failure) return failure;
  }
  if (!rows) return undefined;
  for (const code of rows.excludeHandling) {
    if (label.handling.includes(code)) return { reason: 'HANDLING_RESTRICTED', detail: `row carries ${code}, which this grant excludes` };
  }
  if (rows.releasableToRecipient && !label.releasableTo.includes(subject.agency)) {
    return { reason: 'NOT_RELEASABLE', detail: `row is not releasable to ${subject.agency}` };
  }
  if (rows.europolSupport && !label.europolSupport) {
    return { reason: 'NOT_RELEASABLE', detail: 'row is not flagged for Europol support' };
  }
  if (rows.linkedCase && !label.caseRefs.some((ref) => rows.linkedCase?.test(ref))) {
    return { reason: 'NOT_A_CASE_MEMBER', detail: `row belongs to no case matching ${rows.linkedCase.source}` };
  }
  if (rows.caseMember) {
    const pattern = rows.caseMember.refPattern;
    if (!label.caseRefs.some((ref) => subject.cases.has(ref) && (!pattern || pattern.test(ref)))) {
      return { reason: 'NOT_A_CASE_MEMBER', detail: `principal is a member of none of the row's cases${pattern ? ` matching ${pattern.source}` : ''}` };
    }
  }
  return undefined;
}

/** Label subfields the candidates' checks read (owner and handling always). */
function subfieldsFor(candidates: readonly RowCandidate[], labelHasOrigin: boolean): string[] {
  const need = new Set(['owner', 'handling']);
  for (const { grant, transfer } of candidates) {
    if (transfer && labelHasOrigin) need.add('origin');
    if (transfer?.derogationCase !== undefined) need.add('caseRefs');
    const r = grant.rows;
    if (!r) {
      need.add('handlingNote');
      continue;
    }
    if (r.allowRestrictedNotes.size > 0) need.add('handlingNote');
    if (r.releasableToRecipient) need.add('releasableTo');
    if (r.europolSupport) need.add('europolSupport');
    if (r.caseMember || r.linkedCase) need.add('caseRefs');
  }
  return ['owner', 'handling', 'handlingNote', 'releasableTo', 'caseRefs', 'europolSupport', 'origin'].filter((f) => need.has(f));
}

/**
 * Row rules for one labelled type given the subject's decision on each of its fields. Built for
 * every labelled type whatever the grants, so that whether a row is checked never depends on
 * which grants happen to exist: a row is visible only when at least one field its owner
 * resolves (`governed`) is released on it. When the owner grants nothing at all, every row is
 * withheld, and silently (`secret`): no agreement says its existence may be known.
 */
export function buildRowRules(
  ownerOnlyHandling: ReadonlySet<string>,
  subject: Subject,
  decisions: ReadonlyMap<string, InternalDecision>,
  governed: ReadonlySet<string>,
  /** Whether the supergraph's RecordLabel has `origin` (read for the transfer rules). */
  labelHasOrigin = false,
): RowRules {
  // Distinct candidates, each evaluated once per label however many fields share it.
  const candidates: RowCandidate[] = [];
  const slot = new Map<RowCandidate['grant'], number>();
  const fieldSlots = new Map<string, number[]>();
  const fixed = new Map<string, RowFieldVerdict>();
  /** Slots of candidates on the owner's fields: only these can make a row visible. */
  const governedSlots = new Set<number>();
  // Fields of the row's owner released whatever the label: then the row is always visible.
  let unconditionalGoverned = 0;
  /** Why the owner releases nothing whatever the label (the first governed static denial). */
  let ownerDenial: DenyReason | undefined;
  for (const [field, d] of decisions) {
    if (d.effect === 'allow') {
      fixed.set(field, { allowed: true, grant: d.grant });
      if (governed.has(field)) unconditionalGoverned++;
    } else if (d.effect === 'deny') {
      fixed.set(field, { allowed: false, reason: d.reason });
      if (governed.has(field)) ownerDenial ??= d.reason;
    } else {
      const slots = d.candidates.map((c) => {
        let i = slot.get(c.grant);
        if (i === undefined) {
          i = candidates.length;
          candidates.push(c);
          slot.set(c.grant, i);
        }
        return i;
      });
      fieldSlots.set(field, slots);
      if (governed.has(field)) for (const i of slots) governedSlots.add(i);
    }
  }
  const notInPolicy: RowFieldVerdict = { allowed: false, reason: 'NOT_IN_POLICY' };
  const metaAllowed: RowFieldVerdict = { allowed: true, grant: META_GRANT };
  const alwaysVisible = unconditionalGoverned > 0;
  const ownerSlots = [...governedSlots];
  // No grant of the owner can apply to this subject: nothing may say the row exists.
  const noAgreement = !alwaysVisible && ownerSlots.length === 0;
  const secretCandidates = ownerSlots.some((i) => candidates[i]?.grant.rows?.existenceSecret === true);
  const withheldAlways: RowVerdict = { visible: false, reason: ownerDenial ?? 'NO_AGREEMENT', secret: true };

  return {
    canHideRows: !alwaysVisible,
    labelField: LABEL_FIELD,
    labelSubfields: subfieldsFor(candidates, labelHasOrigin),
    evaluate(label: RowLabel): RowVerdict {
      if (noAgreement) return withheldAlways;
      const failures = candidates.map((c) => rowFailure(ownerOnlyHandling, subject, c, label));
      if (!alwaysVisible && !ownerSlots.some((i) => failures[i] === undefined)) {
        const first = ownerSlots[0] === undefined ? undefined : failures[ownerSlots[0]];
        return {
          visible: false,
          reason: secretCandidates ? 'ROW_SECRET' : (first?.reason ?? 'NO_AGREEMENT'),
          secret: secretCandidates,
        };
      }
      return {
        visible: true,
        field(fieldName: string): RowFieldVerdict {
          const own = fixed.get(fieldName);
          if (own) return own;
          if (fieldName.startsWith('__')) return metaAllowed;
          const slots = fieldSlots.get(fieldName);
          if (!slots) return notInPolicy;
          for (const i of slots) {
            if (failures[i] === undefined) {
              const c = candidates[i];
              if (c) return { allowed: true, grant: c.grant.ref };
            }
          }
          const first = slots[0] === undefined ? undefined : failures[slots[0]];
          return { allowed: false, reason: first?.reason ?? 'NO_AGREEMENT' };
        },
      };
    },
  };
}
