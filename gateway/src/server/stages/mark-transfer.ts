/**
 * Between post-processing and audit, for a principal of a third country or an international
 * organisation: what the released answer transferred (the policy's `describeTransfer` over the
 * grants that released it). The answer carries the onward-transfer condition in
 * `extensions.transfer` (LED art. 35(1)(e)); when personal data left, the audit record marks the
 * response as a transfer with its basis (art. 37(3), 38(3)). Inside the Union nothing changes.
 */
import type { AuditTransfer } from '../../audit';
import type { DeclaredPurpose, Principal } from '../../auth';
import type { CompiledPolicy } from '../../policy';
import type { ReleasedAnswer } from './release-response';

/** The answer, and the transfer the audit record names (only when personal data was released). */
export interface MarkedAnswer {
  readonly released: ReleasedAnswer;
  readonly transfer?: AuditTransfer;
}

export function markTransfer(released: ReleasedAnswer, policy: CompiledPolicy, identity: { readonly principal: Principal; readonly purpose: DeclaredPurpose }): MarkedAnswer {
  const d = policy.describeTransfer(identity.principal, identity.purpose, released.report.grants);
  const body = released.answer.body;
  // Nothing released (no data, or a grant of no agreement): there is nothing to condition.
  if (!d || body.data === undefined || body.data === null) return { released };
  const extension = {
    recipient: d.recipient,
    country: d.country,
    personalData: d.personalData,
    ...(d.personalData ? { dataCategories: d.dataCategories } : {}),
    bases: d.bases,
    onwardTransfer: { requiresAuthorisationOf: d.authorisingAgencies, condition: d.onwardTransfer },
  };
  const answer = { ...released.answer, body: { ...body, extensions: { ...body.extensions, transfer: extension } } };
  const marked: MarkedAnswer['released'] = { ...released, answer };
  if (!d.personalData) return { released: marked };
  return {
    released: marked,
    transfer: { recipient: d.recipient, country: d.country, bases: d.bases, dataCategories: d.dataCategories, onwardTransfer: d.onwardTransfer },
  };
}
