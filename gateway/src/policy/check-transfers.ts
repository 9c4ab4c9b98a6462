/**
 * The policy-check half of the transfer rules (Directive (EU) 2016/680, Chapter V): the
 * registry of transfer bases, the transfer terms an agreement names per third-country
 * recipient, and Member States' authorisations. Every problem names the rule and its article,
 * so a compliance officer reading `pactum policy check` knows which provision a file breaks.
 * The run-time half (a basis that lapses, a derogation's case) is in `transfers.ts`.
 */
import { isTransferRecipient, type AgencyStanding } from '../auth';
import { didYouMean } from './nearest-name';
import type { AgreementFile, GrantSpec, TransferBasesFile } from './policy-file-schemas';
import type { CompiledTransferAuthorisation, CompiledTransferBasis, CompiledTransferTerms } from './policy-model';
import type { ProblemCollector } from './policy-validation-error';
import type { Parsed } from './read-policy-files';
import { validityRange } from './validity-range';

/** The rules, as the messages name them. */
export const TRANSFER_RULES = {
  termsRequired: '[transfer-terms-required, LED art. 35(1)(d), 36–38]',
  basisInForce: '[transfer-basis-in-force, LED art. 35(1)(d), 36, 37]',
  basisScope: '[transfer-basis-scope, LED art. 36, 37]',
  derogation: '[derogation-individual-case, LED art. 38]',
  authorisation: '[member-state-authorisation, LED art. 35(1)(c)]',
  basisRegistry: '[transfer-basis-registry, LED art. 36, 37]',
} as const;

/** The article each kind of basis rests on. */
const ARTICLE: Readonly<Record<CompiledTransferBasis['kind'], string>> = {
  adequacy: '36',
  'safeguards-instrument': '37(1)(a)',
  'safeguards-assessment': '37(1)(b)',
};

/** The terms an agreement may name for a recipient that transfers no personal data. */
export const NO_PERSONAL_DATA = 'no-personal-data';

/** What the transfer checks of one load share. */
export interface TransferCheckContext {
  readonly problems: ProblemCollector;
  readonly standings: ReadonlyMap<string, { readonly country: string; readonly standing: AgencyStanding }>;
  readonly agencyIds: readonly string[];
  readonly purposes: ReadonlySet<string>;
  /** Field-group names marked `personalData`. */
  readonly personalGroups: ReadonlySet<string>;
  /** Instant "in force" is checked for (the load's `now`). */
  readonly now: number;
}


/** Whether sharing with `agency` is a transfer (third country or international organisation). */
export function transfersTo(ctx: Pick<TransferCheckContext, 'standings'>, agency: string): boolean {
  const s = ctx.standings.get(agency);
  return s !== undefined && isTransferRecipient(s.standing);
}

/** Reads and checks `transfer-bases.yaml`. */
export function compileTransferBases(ctx: TransferCheckContext, parsed: Parsed<TransferBasesFile> | undefined): Map<string, CompiledTransferBasis> {
  const out = new Map<string, CompiledTransferBasis>();
  if (!parsed) return out;
  const { doc, value } = parsed;
  const rule = TRANSFER_RULES.basisRegistry;
  value.bases.forEach((b, i) => {
    const at = (...p: (string | number)[]) => doc.lineOf(['bases', i, ...p]);
    if (out.has(b.id)) ctx.problems.add(doc.file, at('id'), 'duplicate_id', `${rule} bases[${i}]: basis id "${b.id}" is used twice`);
    if (b.id === NO_PERSONAL_DATA) ctx.problems.add(doc.file, at('id'), 'reserved_id', `${rule} bases[${i}]: "${NO_PERSONAL_DATA}" is reserved for agreements that transfer no personal data`);
    b.scope.purposes.forEach((p, j) => {
      if (!ctx.purposes.has(p)) ctx.problems.add(doc.file, at('scope', 'purposes', j), 'unknown_purpose', `${rule} bases[${i}] (${b.id}): unknown purpose "${p}"${didYouMean(p, ctx.purposes)}`);
    });
    b.scope.dataCategories.forEach((g, j) => {
      if (!ctx.personalGroups.has(g)) {
        ctx.problems.add(doc.file, at('scope', 'dataCategories', j), 'unknown_data_category',
          `${rule} bases[${i}] (${b.id}): "${g}" is not a category of personal data (a field group with personalData: true in field-groups.yaml)${didYouMean(g, ctx.personalGroups)}`);
      }
    });
    b.scope.countries.forEach((country, j) => {
      const inside = [...ctx.standings.values()].some((s) => s.country === country && !isTransferRecipient(s.standing));
      if (inside) ctx.problems.add(doc.file, at('scope', 'countries', j), 'basis_inside_union', `${rule} bases[${i}] (${b.id}): ${country} is inside the Union; a transfer basis is for third countries`);
    });
    (b.scope.authorities ?? []).forEach((a, j) => {
      const s = ctx.standings.get(a);
      if (!s) {
        ctx.problems.add(doc.file, at('scope', 'authorities', j), 'unknown_agency', `${rule} bases[${i}] (${b.id}): unknown agency "${a}"${didYouMean(a, ctx.agencyIds)}`);
      } else if (!b.scope.countries.includes(s.country)) {
        ctx.problems.add(doc.file, at('scope', 'authorities', j), 'authority_outside_scope', `${rule} bases[${i}] (${b.id}): ${a} is an authority of ${s.country}, which the basis does not cover`);
      }
    });
    const { from, until } = validityRange(b.validity);
    if (Number.isNaN(from) || Number.isNaN(until)) ctx.problems.add(doc.file, at('validity'), 'bad_date', `${rule} bases[${i}] (${b.id}): validity is not a calendar date`);
    else if (until <= from) ctx.problems.add(doc.file, at('validity', 'to'), 'bad_validity', `${rule} bases[${i}] (${b.id}): validity ends before it starts`);
    out.set(b.id, {
      id: b.id,
      kind: b.kind,
      article: ARTICLE[b.kind],
      title: b.title,
      legalReference: b.legalReference,
      countries: new Set(b.scope.countries),
      ...(b.scope.authorities ? { authorities: new Set(b.scope.authorities) } : {}),
      dataCategories: new Set(b.scope.dataCategories),
      purposes: new Set(b.scope.purposes),
      validFrom: from,
      validUntil: until,
      validityText: b.validity,
    });
  });
  return out;
}

/**
 * The transfer terms of one agreement, recipient by recipient: every third-country or
 * international-organisation recipient must have terms, and only those may.
 */
export function compileAgreementTransfers(
  ctx: TransferCheckContext,
  a: Parsed<AgreementFile>,
  bases: ReadonlyMap<string, CompiledTransferBasis>,
): Map<string, CompiledTransferTerms> {
  const { doc, value } = a;
  const out = new Map<string, CompiledTransferTerms>();
  const rule = TRANSFER_RULES.termsRequired;
  const terms = value.transfers ?? {};
  value.recipients.forEach((r, i) => {
    if (!transfersTo(ctx, r) || r === value.provider) return;
    if (!Object.hasOwn(terms, r)) {
      const s = ctx.standings.get(r);
      ctx.problems.add(doc.file, doc.lineOf(['recipients', i]), 'transfer_terms_missing',
        `${rule} recipients[${i}]: ${r} is ${s?.standing === 'international-organisation' ? 'an international organisation' : `a third-country authority (${s?.country ?? '?'})`}; name its transfer basis under transfers: ${r}: { basis: <id of transfer-bases.yaml> | ${NO_PERSONAL_DATA} } or { derogation: individual-case }`);
    }
  });
  for (const [recipient, spec] of Object.entries(terms)) {
    const line = doc.lineOf(['transfers', recipient]);
    if (!value.recipients.includes(recipient)) {
      ctx.problems.add(doc.file, line, 'transfer_not_recipient', `${rule} transfers.${recipient}: ${recipient} is not among the agreement's recipients${didYouMean(recipient, value.recipients)}`);
      continue;
    }
    if (!transfersTo(ctx, recipient)) {
      ctx.problems.add(doc.file, line, 'transfer_inside_union', `${rule} transfers.${recipient}: ${recipient} is inside the Union; sharing with it is no transfer to a third country`);
      continue;
    }
    if ('derogation' in spec) {
      out.set(recipient, { kind: 'derogation', ground: spec.derogation });
    } else if (spec.basis === NO_PERSONAL_DATA) {
      out.set(recipient, { kind: 'no-personal-data' });
    } else {
      const basis = bases.get(spec.basis);
      if (!basis) {
        ctx.problems.add(doc.file, doc.lineOf(['transfers', recipient, 'basis']), 'unknown_transfer_basis',
          `${TRANSFER_RULES.basisInForce} transfers.${recipient}: no transfer basis "${spec.basis}" in transfer-bases.yaml${didYouMean(spec.basis, [...bases.keys(), NO_PERSONAL_DATA])}`);
        continue;
      }
      const country = ctx.standings.get(recipient)?.country ?? '?';
      if (!basis.countries.has(country) || (basis.authorities && !basis.authorities.has(recipient))) {
        ctx.problems.add(doc.file, doc.lineOf(['transfers', recipient, 'basis']), 'transfer_basis_scope',
          `${TRANSFER_RULES.basisScope} transfers.${recipient}: basis ${basis.id} does not cover ${basis.countries.has(country) ? `the authority ${recipient}` : `country ${country}`}`);
        continue;
      }
      out.set(recipient, { kind: 'basis', basis });
    }
  }
  return out;
}

/**
 * The checks of one grant against its agreement's transfer terms: a grant releasing personal
 * data to a third-country recipient needs a basis in force now that covers the agreement's
 * purposes and the grant's categories, or a derogation, whose grants may only release rows that
 * carry their case (the individual case the request names).
 */
export function checkGrantTransfers(
  ctx: TransferCheckContext,
  a: Parsed<AgreementFile>,
  gi: number,
  grant: GrantSpec,
  terms: ReadonlyMap<string, CompiledTransferTerms>,
  personalCategories: ReadonlySet<string>,
  /** Whether a field of the grant keeps to rows whose case can be checked: on a row labelled by the provider, or returning such rows. */
  reachesOnlyLabelledRows: (typeName: string, fieldName: string) => boolean,
  fieldsReleased: ReadonlyMap<string, ReadonlySet<string>>,
): void {
  const { doc, value } = a;
  const line = doc.lineOf(['grants', gi]);
  const categories = [...personalCategories];
  for (const [recipient, t] of terms) {
    const what = `grants[${gi}] (${grant.id})`;
    if (t.kind === 'derogation') {
      const loose = [...fieldsReleased].flatMap(([t, fs]) => [...fs].filter((f) => !reachesOnlyLabelledRows(t, f)).map((f) => `${t}.${f}`));
      if (loose.length > 0) {
        ctx.problems.add(doc.file, line, 'derogation_without_case',
          `${TRANSFER_RULES.derogation} ${what}: a derogation covers an individual case only, so its grants may release only rows labelled by ${value.provider} (whose case references are checked against the request's x-case-ref), or fields leading to them; ${loose.join(', ')} ${loose.length === 1 ? 'is' : 'are'} neither`);
      }
      continue;
    }
    if (categories.length === 0) continue;
    if (t.kind === 'no-personal-data') {
      ctx.problems.add(doc.file, line, 'transfer_basis_missing',
        `${TRANSFER_RULES.basisInForce} ${what}: releases personal data (${categories.join(', ')}) to the third-country recipient ${recipient}, but transfers.${recipient} says ${NO_PERSONAL_DATA}; name an adequacy decision or safeguard instrument, or a derogation`);
      continue;
    }
    const b = t.basis;
    if (ctx.now < b.validFrom || ctx.now >= b.validUntil) {
      ctx.problems.add(doc.file, line, 'transfer_basis_not_in_force',
        `${TRANSFER_RULES.basisInForce} ${what}: releases personal data to ${recipient} under basis ${b.id} (art. ${b.article}), which is not in force (valid ${b.validityText.from} to ${b.validityText.to ?? 'open-ended'})`);
    }
    const purposes = value.purposes.filter((p) => !b.purposes.has(p));
    if (purposes.length > 0) {
      ctx.problems.add(doc.file, line, 'transfer_purpose_not_covered',
        `${TRANSFER_RULES.basisScope} ${what}: basis ${b.id} (art. ${b.article}) does not cover the purpose${purposes.length === 1 ? '' : 's'} ${purposes.join(', ')} for ${recipient}`);
    }
    const uncovered = categories.filter((c) => !b.dataCategories.has(c));
    if (uncovered.length > 0) {
      ctx.problems.add(doc.file, line, 'transfer_category_not_covered',
        `${TRANSFER_RULES.basisScope} ${what}: basis ${b.id} (art. ${b.article}) does not cover the data categor${uncovered.length === 1 ? 'y' : 'ies'} ${uncovered.join(', ')} for ${recipient}`);
    }
  }
}

/** A Member State's authorisation agreement (`authorisesTransfer:`), checked. */
export function compileAuthorisation(ctx: TransferCheckContext, a: Parsed<AgreementFile>): CompiledTransferAuthorisation | undefined {
  const { doc, value } = a;
  const of = value.authorisesTransfer?.of;
  if (!of) return undefined;
  const rule = TRANSFER_RULES.authorisation;
  const provider = ctx.standings.get(value.provider);
  if (provider && provider.standing !== 'member-state') {
    ctx.problems.add(doc.file, doc.lineOf(['provider']), 'authorisation_not_member_state',
      `${rule} provider: ${value.provider} is ${provider.standing === 'eu-body' ? 'an EU body' : `a ${provider.standing}`}; only a Member State's authority authorises the transfer of data it provided`);
  }
  value.recipients.forEach((r, i) => {
    if (ctx.standings.has(r) && !transfersTo(ctx, r)) {
      ctx.problems.add(doc.file, doc.lineOf(['recipients', i]), 'authorisation_inside_union', `${rule} recipients[${i}]: ${r} is inside the Union; only transfers to third countries need this authorisation`);
    }
  });
  of.forEach((agency, i) => {
    if (!ctx.agencyIds.includes(agency)) {
      ctx.problems.add(doc.file, doc.lineOf(['authorisesTransfer', 'of', i]), 'unknown_agency', `${rule} authorisesTransfer.of[${i}]: unknown agency "${agency}"${didYouMean(agency, ctx.agencyIds)}`);
    }
  });
  const { from, until } = validityRange(value.validity);
  return {
    agreement: value.id,
    file: doc.file,
    origin: value.provider,
    via: new Set(of),
    recipients: new Set(value.recipients),
    purposes: new Set(value.purposes),
    validFrom: from,
    validUntil: until,
  };
}
