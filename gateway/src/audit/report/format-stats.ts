/** `pactum audit stats` output: per-agency counts and denial reasons as readable tables. */
import type { AuditStats } from '../audit-filter';

/** Renders statistics as two aligned tables. */
export function statsToTable(stats: AuditStats): string {
  const period = `${stats.since ? stats.since.toISOString() : 'start'} .. ${stats.until ? stats.until.toISOString() : 'now'}`;
  const agencies = table(
    ['AGENCY', 'REQUESTS', 'RELEASED', 'PARTIAL', 'DENIED', 'REFUSED', 'ERRORS', 'ENTITIES', 'FIELD DENIALS', 'ROW DENIALS'],
    stats.byAgency.map((a) => [
      a.agency ?? '(unauthenticated)',
      ...[a.requests, a.released, a.partial, a.denied, a.refused, a.errors, a.entitiesReleased, a.fieldDenials, a.rowDenials].map(String),
    ]),
  );
  const reasons = table(
    ['AGENCY', 'KIND', 'REASON', 'COUNT'],
    stats.denials.map((d) => [d.agency ?? '(unauthenticated)', d.kind, d.reason, String(d.count)]),
  );
  return [`period: ${period}`, `requests: ${stats.requests}`, '', agencies, '', 'denials by reason:', stats.denials.length ? reasons : '(none)'].join('\n');
}

function table(header: readonly string[], rows: readonly string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ').trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}
