/**
 * The transfer documentation LED art. 37(3) and 38(3) require, read from the trail: every record
 * that released personal data to a third-country (or international-organisation) principal —
 * date and time, the receiving authority, the basis, the justification, the categories of data
 * and the keys of the entities released, never a value. `pactum audit transfers` prints it, so
 * "every personal-data transfer to Colombia last quarter, and on what basis" is one command.
 */
import { BadUserInputError } from '../errors';
import type { AuditRecord } from './audit-event';
import type { AuditTrail } from './audit-trail';

/** Which transfers to list: a period (since inclusive, until exclusive), optionally one country. */
export interface TransferFilter {
  readonly since: Date;
  readonly until: Date;
  /** ISO 3166 alpha-2 code of the receiving country (`CO`). */
  readonly country?: string;
}

/** One documented transfer. */
export interface TransferEntry {
  readonly time: Date;
  readonly auditId: string;
  /** The receiving authority and the person who asked there (pseudonymous id). */
  readonly recipient: string;
  readonly subject: string;
  readonly country: string;
  readonly purpose: string;
  readonly justification: string;
  readonly caseRef: string;
  /** `agreement: terms (art. N)` per agreement. */
  readonly bases: readonly string[];
  readonly dataCategories: readonly string[];
  /** `Type:key@owner` of every entity the response released. */
  readonly entities: readonly string[];
  readonly onwardTransfer: string;
}

/** The transfer entry of a record, or undefined when the record is no transfer of personal data. */
export function transferEntryOf(r: AuditRecord): TransferEntry | undefined {
  const e = r.event;
  const t = e.transfer;
  if (!t) return undefined;
  return {
    time: e.time,
    auditId: e.id,
    recipient: t.recipient,
    subject: e.principal?.subject ?? '',
    country: t.country,
    purpose: e.purpose?.code ?? '',
    justification: e.purpose?.justification ?? '',
    caseRef: e.purpose?.caseRef ?? '',
    bases: t.bases.map((b) => `${b.agreement}: ${b.terms} (art. ${b.article})`),
    dataCategories: t.dataCategories,
    entities: (e.enforcement?.released ?? []).map((x) => `${x.type}:${x.key}@${x.owner}`),
    onwardTransfer: t.onwardTransfer,
  };
}

/** Checks a filter; a bad one is a `BadUserInputError` naming the option. */
export function checkTransferFilter(filter: TransferFilter): TransferFilter {
  if (Number.isNaN(filter.since.getTime()) || Number.isNaN(filter.until.getTime())) throw new BadUserInputError('bad_time', 'transfers: since and until must be valid times');
  if (filter.since >= filter.until) throw new BadUserInputError('bad_time', 'transfers: since must be before until');
  if (filter.country !== undefined && !/^[A-Z]{2}$/.test(filter.country)) {
    throw new BadUserInputError('bad_country', `transfers: country must be a two-letter ISO 3166 code (CO, GB), not ${JSON.stringify(filter.country.slice(0, 20))}`);
  }
  return filter;
}

/** The transfers of a period, in the trail's order (request time, then id). Works on every store. */
export async function* listTransfers(trail: AuditTrail, filter: TransferFilter): AsyncIterable<TransferEntry> {
  const { since, until, country } = checkTransferFilter(filter);
  for await (const r of trail.query({ since, until })) {
    const entry = transferEntryOf(r);
    if (entry && (country === undefined || entry.country === country)) yield entry;
  }
}
