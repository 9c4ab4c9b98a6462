/**
 * The decision half of the transfer rules (Directive (EU) 2016/680, Chapter V), as parts of the
 * one decision function — not a filter after it — so the gateway, `policy test`, `explain` and the
 * need-to-know oracle all see the same answer:
 *
 * - a grant releasing personal data to a third-country (or international-organisation) principal
 *   applies only while its basis is in force and covers the purpose (art. 36, 37);
 * - a derogation grant applies only to a request naming a case (`x-case-ref`) with a
 *   justification, and only to rows of that case (art. 38);
 * - a row another Member State provided (its label's `origin`) goes to a third-country principal
 *   only with that state's recorded authorisation (art. 35(1)(c)).
 */
import { isTransferRecipient } from '../auth';
import type { GrantRef } from './grant-ref';
import type { CompiledGrant, CompiledTransferAuthorisation, CompiledTransferTerms, PolicyModel } from './policy-model';
import type { DenyReason, RowLabel, TransferDescription } from './types';

/** The subject attributes the transfer rules read (part of `Subject`, so of the profile key). */
export interface TransferSubject {
  readonly agency: string;
  readonly purpose: string;
  readonly at: number;
  /** Country of the principal's agency when sharing with it is a transfer; '' inside the Union. */
  readonly transferTo: string;
  /** The case a derogation may serve: the request's `x-case-ref` when it also carries a justification; '' otherwise. */
  readonly derogationCase: string;
}

/** `transferTo` of an agency: its country when it is a third-country authority or international organisation. */
export function transferCountry(model: PolicyModel, agency: string): string {
  const s = model.standings.get(agency);
  return s !== undefined && isTransferRecipient(s.standing) ? s.country : '';
}

/**
 * `derogationCase` of a request: only a transfer recipient's request can need one, so inside the
 * Union it is always '' (principals there keep sharing one profile whatever case they name).
 */
export function derogationCaseOf(transferTo: string, purpose: { readonly caseRef?: string; readonly justification?: string }): string {
  if (transferTo === '') return '';
  const caseRef = purpose.caseRef?.trim() ?? '';
  const justification = purpose.justification?.trim() ?? '';
  return caseRef !== '' && justification !== '' ? caseRef : '';
}

/** Why the grant's transfer terms do not let it apply to the subject, or undefined when they do (or it is no transfer). */
export function transferFailure(subject: TransferSubject, g: CompiledGrant): { reason: DenyReason; detail: string } | undefined {
  if (subject.transferTo === '' || g.ownData || g.provider === subject.agency) return undefined;
  const terms = g.transfers.get(subject.agency);
  if (!terms) return { reason: 'NO_TRANSFER_BASIS', detail: `${subject.agency} is a third-country recipient and the agreement names no transfer terms for it (LED art. 35(1)(d))` };
  if (terms.kind === 'derogation') {
    if (subject.derogationCase === '') {
      return { reason: 'DEROGATION_REQUIRES_CASE', detail: `a derogation (${terms.ground}, LED art. 38(1)) applies only to a request naming a case (x-case-ref) with a justification` };
    }
    return undefined;
  }
  if (g.personalCategories.size === 0) return undefined;
  if (terms.kind === 'no-personal-data') return { reason: 'NO_TRANSFER_BASIS', detail: 'the agreement transfers no personal data to this recipient' };
  const b = terms.basis;
  if (subject.at < b.validFrom || subject.at >= b.validUntil) {
    return { reason: 'NO_TRANSFER_BASIS', detail: `transfer basis ${b.id} (LED art. ${b.article}) is not in force (valid ${b.validityText.from} to ${b.validityText.to ?? 'open-ended'})` };
  }
  if (!b.purposes.has(subject.purpose)) return { reason: 'NO_TRANSFER_BASIS', detail: `transfer basis ${b.id} does not cover the purpose ${subject.purpose}` };
  for (const c of g.personalCategories) {
    if (!b.dataCategories.has(c)) return { reason: 'NO_TRANSFER_BASIS', detail: `transfer basis ${b.id} does not cover the data category ${c}` };
  }
  return undefined;
}

/** What the row checks of a transfer need for one candidate grant. */
export interface RowTransferCheck {
  /** Origins (row label `origin`) whose authorisation of a transfer of data given to this grant's provider covers the subject now. */
  readonly authorisedOrigins: ReadonlySet<string>;
  /** Rows must belong to this case (a derogation grant); undefined otherwise. */
  readonly derogationCase?: string;
}

function authorises(a: CompiledTransferAuthorisation, subject: TransferSubject, provider: string): boolean {
  return a.via.has(provider) && a.recipients.has(subject.agency) && a.purposes.has(subject.purpose) && subject.at >= a.validFrom && subject.at < a.validUntil;
}

/** The row-level transfer checks of grant `g` for the subject, or undefined when the subject is inside the Union. */
export function rowTransferCheck(model: PolicyModel, subject: TransferSubject, g: CompiledGrant): RowTransferCheck | undefined {
  if (subject.transferTo === '' || g.provider === subject.agency) return undefined;
  const authorisedOrigins = new Set(model.transferAuthorisations.filter((a) => authorises(a, subject, g.provider)).map((a) => a.origin));
  const terms = g.transfers.get(subject.agency);
  return { authorisedOrigins, ...(terms?.kind === 'derogation' ? { derogationCase: subject.derogationCase } : {}) };
}

/** Why a row fails the transfer checks, or undefined. */
export function rowTransferFailure(check: RowTransferCheck, subjectAgency: string, label: RowLabel): { reason: DenyReason; detail: string } | undefined {
  const origin = label.origin ?? null;
  if (origin !== null && origin !== label.owner && origin !== subjectAgency && !check.authorisedOrigins.has(origin)) {
    return { reason: 'TRANSFER_NOT_AUTHORISED', detail: `row was provided by ${origin}, which has not authorised its transfer to ${subjectAgency} (LED art. 35(1)(c))` };
  }
  if (check.derogationCase !== undefined && !label.caseRefs.includes(check.derogationCase)) {
    return { reason: 'NOT_A_CASE_MEMBER', detail: `a derogation covers only the case the request names (${check.derogationCase || 'none'}); the row is not part of it (LED art. 38(1))` };
  }
  return undefined;
}

const DEROGATION_ARTICLE: Readonly<Record<string, string>> = {
  'vital-interests': '38(1)(a)',
  'public-security-threat': '38(1)(c)',
  'individual-case': '38(1)(d)',
};

function termsText(t: CompiledTransferTerms | undefined): { terms: string; article: string } {
  if (!t) return { terms: 'none', article: '35(1)(d)' };
  if (t.kind === 'basis') return { terms: t.basis.id, article: t.basis.article };
  if (t.kind === 'derogation') return { terms: `derogation:${t.ground}`, article: DEROGATION_ARTICLE[t.ground] ?? '38(1)' };
  return { terms: 'no-personal-data', article: '35' };
}

/**
 * What the grants that released a response transferred to a third-country principal (see
 * {@link TransferDescription}); undefined inside the Union or when no agreement released anything.
 */
export function describeTransfer(model: PolicyModel, agency: string, purpose: string, used: readonly GrantRef[]): TransferDescription | undefined {
  const country = transferCountry(model, agency);
  if (country === '') return undefined;
  const grants = used
    .map((ref) => model.grants.find((g) => g.ref.agreement === ref.agreement && g.ref.grant === ref.grant))
    .filter((g): g is CompiledGrant => g !== undefined && g.provider !== agency);
  if (grants.length === 0) return undefined;
  const categories = new Set<string>();
  const bases = new Map<string, { agreement: string; terms: string; article: string }>();
  const providers = new Set<string>();
  for (const g of grants) {
    for (const c of g.personalCategories) categories.add(c);
    providers.add(g.provider);
    if (!bases.has(g.ref.agreement)) bases.set(g.ref.agreement, { agreement: g.ref.agreement, ...termsText(g.transfers.get(agency)) });
  }
  const authorisingAgencies = [...providers].sort();
  return {
    recipient: agency,
    country,
    personalData: categories.size > 0,
    dataCategories: [...categories].sort(),
    bases: [...bases.values()].sort((a, b) => a.agreement.localeCompare(b.agreement)),
    authorisingAgencies,
    onwardTransfer:
      `Transferred to ${agency} under Directive (EU) 2016/680, Chapter V, for ${purpose} only. ` +
      `No onward transfer to another third country or international organisation without the prior authorisation of ${authorisingAgencies.join(', ')} (art. 35(1)(e)).`,
  };
}
