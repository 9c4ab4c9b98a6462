/**
 * Transfer documentation for the supervisory authority: a readable table, CSV (one row per
 * transfer, lists joined with `; `) or JSON Lines (one transfer per line).
 */
import type { TransferEntry } from '../transfers';
import { csvCell } from './format-records';

const COLUMNS = ['time', 'auditId', 'recipient', 'country', 'subject', 'purpose', 'basis', 'justification', 'caseRef', 'dataCategories', 'entities', 'onwardTransfer'] as const;

function cells(t: TransferEntry): Record<(typeof COLUMNS)[number], string> {
  return {
    time: t.time.toISOString(),
    auditId: t.auditId,
    recipient: t.recipient,
    country: t.country,
    subject: t.subject,
    purpose: t.purpose,
    basis: t.bases.join('; '),
    justification: t.justification,
    caseRef: t.caseRef,
    dataCategories: t.dataCategories.join('; '),
    entities: t.entities.join('; '),
    onwardTransfer: t.onwardTransfer,
  };
}

/** The CSV header line of transfers. */
export function transferCsvHeader(): string {
  return COLUMNS.join(',');
}

/** One transfer as a CSV line. */
export function transferToCsvLine(t: TransferEntry): string {
  const c = cells(t);
  return COLUMNS.map((k) => csvCell(c[k])).join(',');
}

/** One transfer as a JSON Lines line. */
export function transferToJsonLine(t: TransferEntry): string {
  return JSON.stringify({ ...t, time: t.time.toISOString() });
}

/** A readable table of transfers. */
export function transfersToTable(entries: readonly TransferEntry[]): string {
  const header = ['TIME (UTC)', 'AUDIT ID', 'RECIPIENT', 'COUNTRY', 'BASIS', 'JUSTIFICATION', 'CASE', 'DATA', 'ENTITIES'];
  const rows = entries.map((t) => [
    t.time.toISOString().replace('T', ' ').replace(/\.\d{3}Z$/, ''),
    t.auditId,
    t.recipient,
    t.country,
    t.bases.join('; '),
    t.justification,
    t.caseRef,
    t.dataCategories.join(', '),
    t.entities.join(', '),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] ?? '').length)));
  const line = (cs: readonly string[]) => cs.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ').trimEnd();
  return [line(header), ...rows.map(line), `${entries.length} transfer(s) of personal data`].join('\n');
}
