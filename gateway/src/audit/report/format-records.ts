/**
 * Audit records for people and for export: a readable table, JSON Lines (everything,
 * one record per line) or CSV (one row per record, lists joined with `; `).
 */
import type { AuditRecord } from '../audit-event';

/** Output formats of `pactum audit query`. */
export type RecordFormat = 'table' | 'jsonl' | 'csv';

/** One record as a JSON Lines line (no trailing newline). */
export function recordToJsonLine(r: AuditRecord): string {
  return JSON.stringify({ ...r.event, time: r.event.time.toISOString(), chain: r.chain, seq: r.seq, hash: r.hash });
}

const CSV_COLUMNS = [
  'time', 'auditId', 'requestId', 'agency', 'subject', 'purpose', 'justification', 'caseRef', 'outcome', 'httpStatus',
  'operation', 'operationHash', 'fieldsRequested', 'released', 'fieldDenials', 'rowDenials', 'refusal', 'grants', 'policyVersion', 'chain', 'seq', 'hash',
] as const;

/** The CSV header line. */
export function csvHeader(): string {
  return CSV_COLUMNS.join(',');
}

/** One record as a CSV line. */
export function recordToCsvLine(r: AuditRecord): string {
  const e = r.event;
  const en = e.enforcement;
  const values: Record<(typeof CSV_COLUMNS)[number], string> = {
    time: e.time.toISOString(),
    auditId: e.id,
    requestId: e.requestId,
    agency: e.principal?.agency ?? '',
    subject: e.principal?.subject ?? '',
    purpose: e.purpose?.code ?? '',
    justification: e.purpose?.justification ?? '',
    caseRef: e.purpose?.caseRef ?? '',
    outcome: e.outcome,
    httpStatus: String(e.httpStatus),
    operation: e.operation?.name ?? '',
    operationHash: e.operation?.hash ?? '',
    fieldsRequested: (en?.fieldsRequested ?? []).join('; '),
    released: (en?.released ?? []).map((x) => `${x.type}:${x.key}@${x.owner}`).join('; '),
    fieldDenials: (en?.fieldDenials ?? []).map((d) => `${d.path}=${d.reason}`).join('; '),
    rowDenials: (en?.rowDenials ?? []).map((d) => `${d.type}:${d.key ?? '?'}@${d.owner} ${d.path}=${d.reason}`).join('; '),
    refusal: e.refusal ? `${e.refusal.code}/${e.refusal.reason}` : '',
    grants: (en?.grants ?? []).map((g) => `${g.agreement}/${g.grant}`).join('; '),
    policyVersion: e.policyVersion ?? '',
    chain: r.chain,
    seq: String(r.seq),
    hash: r.hash,
  };
  return CSV_COLUMNS.map((c) => csvCell(values[c])).join(',');
}

/**
 * RFC 4180 quoting, plus a leading `'` on text a spreadsheet would run as a formula
 * (free-text justifications come from users).
 */
export function csvCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** A readable table of records (who, when, why, what was released and denied). */
export function recordsToTable(records: readonly AuditRecord[]): string {
  const header = ['TIME (UTC)', 'AUDIT ID', 'AGENCY', 'SUBJECT', 'PURPOSE', 'JUSTIFICATION', 'CASE', 'OUTCOME', 'RELEASED', 'DENIED'];
  const rows = records.map((r) => {
    const e = r.event;
    const released = (e.enforcement?.released ?? []).map((x) => `${x.type}:${x.key}`);
    const denied = [
      ...(e.refusal ? [`${e.refusal.code}/${e.refusal.reason}`] : []),
      ...summarise((e.enforcement?.fieldDenials ?? []).map((d) => d.reason), 'field'),
      ...summarise((e.enforcement?.rowDenials ?? []).map((d) => d.reason), 'row'),
    ];
    return [
      e.time.toISOString().replace('T', ' ').replace(/\.\d{3}Z$/, ''),
      e.id,
      e.principal?.agency ?? '(none)',
      e.principal?.subject ?? '(none)',
      e.purpose?.code ?? '',
      clipText(e.purpose?.justification ?? '', 48),
      e.purpose?.caseRef ?? '',
      e.outcome,
      clip(released, 60),
      denied.join(', '),
    ];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] ?? '').length)));
  const line = (cells: readonly string[]) => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ').trimEnd();
  return [line(header), ...rows.map(line), `${records.length} record(s)`].join('\n');
}

function summarise(reasons: readonly string[], kind: string): string[] {
  const counts = new Map<string, number>();
  for (const r of reasons) counts.set(r, (counts.get(r) ?? 0) + 1);
  return [...counts].map(([reason, n]) => `${n} ${kind} ${reason}`);
}

/** Free text shortened to `max` characters (the full text is in `--format jsonl|csv`). */
function clipText(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}

function clip(items: readonly string[], max: number): string {
  let out = '';
  for (const [i, item] of items.entries()) {
    const next = out ? `${out}, ${item}` : item;
    if (next.length > max && out) return `${out} +${items.length - i} more`;
    out = next;
  }
  return out;
}
