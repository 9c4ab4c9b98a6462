/**
 * SQL shared by both stores: the table layout's column list, filters as WHERE clauses
 * and the statistics queries. Only the placeholder syntax differs (`?` vs `$n`).
 */
import type { AuditFilter, AuditStats, AuditStatsFilter, AgencyStats, DenialStats } from '../audit-filter';
import type { DenialRow, EntityRow } from '../chain/record-content';
import type { StoredRow } from './audit-store';

/** Table names as the dialect spells them (schema-qualified for PostgreSQL). */
export interface AuditTables {
  readonly record: string;
  readonly entity: string;
  readonly denial: string;
  readonly head: string;
}

/** Collects parameters and returns the placeholder for each. */
export type Bind = (value: unknown) => string;

/** Columns `rowToStored` expects, in order. */
export const RECORD_COLUMNS =
  'r.id, r.chain, r.seq, r.prev_hash, r.content_hash, r.hash, r.content, r.time_ms, r.agency, r.subject, r.purpose, r.case_ref, r.outcome, r.http_status, r.has_denial';

/** WHERE conditions (joined with AND by the caller) for a query or stats filter on `r`. */
export function filterConditions(filter: AuditFilter, bind: Bind, t: AuditTables): string[] {
  const out: string[] = [];
  if (filter.id !== undefined) out.push(`r.id = ${bind(filter.id)}`);
  if (filter.agency !== undefined) out.push(`r.agency = ${bind(filter.agency)}`);
  if (filter.subject !== undefined) out.push(`r.subject = ${bind(filter.subject)}`);
  if (filter.purpose !== undefined) out.push(`r.purpose = ${bind(filter.purpose)}`);
  if (filter.caseRef !== undefined) out.push(`r.case_ref = ${bind(filter.caseRef)}`);
  if (filter.outcome !== undefined) out.push(`r.outcome = ${bind(filter.outcome)}`);
  if (filter.since !== undefined) out.push(`r.time_ms >= ${bind(filter.since.getTime())}`);
  if (filter.until !== undefined) out.push(`r.time_ms < ${bind(filter.until.getTime())}`);
  if (filter.deniedOnly) out.push('r.has_denial = 1');
  if (filter.entity !== undefined) {
    out.push(
      `EXISTS (SELECT 1 FROM ${t.entity} e WHERE e.record_id = r.id AND e.type = ${bind(filter.entity.type)} AND e.key = ${bind(filter.entity.key)})`,
    );
  }
  return out;
}

/** The SELECT for one page of `queryPage`, keyset-paginated on (time_ms, id). */
export function queryPageSql(
  filter: AuditFilter,
  after: { timeMs: number; id: string } | null,
  limit: number,
  bind: Bind,
  t: AuditTables,
): string {
  const where = filterConditions(filter, bind, t);
  if (after) where.push(`(r.time_ms > ${bind(after.timeMs)} OR (r.time_ms = ${bind(after.timeMs)} AND r.id > ${bind(after.id)}))`);
  return `SELECT ${RECORD_COLUMNS} FROM ${t.record} r ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY r.time_ms, r.id LIMIT ${bind(limit)}`;
}

/** A database row (either driver) as a `StoredRow`; index rows are attached by the caller. */
export function rowToStored(row: Record<string, unknown>, entities: readonly EntityRow[], denials: readonly DenialRow[]): StoredRow {
  return {
    id: String(row.id),
    chain: String(row.chain),
    seq: Number(row.seq),
    prevHash: String(row.prev_hash),
    contentHash: String(row.content_hash),
    hash: String(row.hash),
    content: String(row.content),
    columns: [
      Number(row.time_ms),
      row.agency ?? null,
      row.subject ?? null,
      row.purpose ?? null,
      row.case_ref ?? null,
      row.outcome,
      Number(row.http_status),
      Number(row.has_denial),
    ],
    entities,
    denials,
  };
}

/** Groups entity and denial rows by record id. */
export function groupIndexRows(
  entityRows: readonly Record<string, unknown>[],
  denialRows: readonly Record<string, unknown>[],
): { entities: Map<string, EntityRow[]>; denials: Map<string, DenialRow[]> } {
  const entities = new Map<string, EntityRow[]>();
  for (const e of entityRows) {
    const id = String(e.record_id);
    const list = entities.get(id) ?? [];
    list.push({ type: String(e.type), key: String(e.key), owner: String(e.owner) });
    entities.set(id, list);
  }
  const denials = new Map<string, DenialRow[]>();
  for (const d of denialRows) {
    const id = String(d.record_id);
    const list = denials.get(id) ?? [];
    list.push({ kind: String(d.kind) as DenialRow['kind'], reason: String(d.reason), path: String(d.path) });
    denials.set(id, list);
  }
  return { entities, denials };
}

/** The three statistics queries for `filter`; run each with its own params. */
export function statsSql(filter: AuditStatsFilter, newBind: () => { bind: Bind; params: unknown[] }, t: AuditTables) {
  const make = (build: (where: string, bind: Bind) => string) => {
    const { bind, params } = newBind();
    const cond = filterConditions(filter, bind, t);
    return { sql: build(cond.length ? `WHERE ${cond.join(' AND ')}` : '', bind), params };
  };
  const n = (outcome: string) => `SUM(CASE WHEN r.outcome = '${outcome}' THEN 1 ELSE 0 END)`;
  return {
    perAgency: make(
      (w) =>
        `SELECT r.agency AS agency, COUNT(*) AS requests, ${n('released')} AS released, ${n('partial')} AS partial, ` +
        `${n('denied')} AS denied, ${n('refused')} AS refused, ${n('error')} AS errors FROM ${t.record} r ${w} GROUP BY r.agency`,
    ),
    entities: make(
      (w) => `SELECT r.agency AS agency, COUNT(*) AS n FROM ${t.entity} e JOIN ${t.record} r ON r.id = e.record_id ${w} GROUP BY r.agency`,
    ),
    denials: make(
      (w) =>
        `SELECT r.agency AS agency, d.kind AS kind, d.reason AS reason, COUNT(*) AS n FROM ${t.denial} d JOIN ${t.record} r ON r.id = d.record_id ${w} GROUP BY r.agency, d.kind, d.reason`,
    ),
  };
}

/** Folds the three statistics result sets into `AuditStats`. */
export function foldStats(
  filter: AuditStatsFilter,
  perAgency: readonly Record<string, unknown>[],
  entities: readonly Record<string, unknown>[],
  denialRows: readonly Record<string, unknown>[],
): AuditStats {
  const key = (v: unknown) => (v === null || v === undefined ? null : String(v));
  const entityCount = new Map(entities.map((e) => [key(e.agency), Number(e.n)]));
  const denials: DenialStats[] = denialRows
    .map((d) => ({ agency: key(d.agency), kind: String(d.kind) as DenialStats['kind'], reason: String(d.reason), count: Number(d.n) }))
    .sort((a, b) => cmp(a.agency, b.agency) || a.kind.localeCompare(b.kind) || b.count - a.count || a.reason.localeCompare(b.reason));
  const sumDenials = (agency: string | null, kind: string) =>
    denials.filter((d) => d.agency === agency && d.kind === kind).reduce((s, d) => s + d.count, 0);
  const byAgency: AgencyStats[] = perAgency
    .map((r) => {
      const agency = key(r.agency);
      return {
        agency,
        requests: Number(r.requests),
        released: Number(r.released),
        partial: Number(r.partial),
        denied: Number(r.denied),
        refused: Number(r.refused),
        errors: Number(r.errors),
        entitiesReleased: entityCount.get(agency) ?? 0,
        fieldDenials: sumDenials(agency, 'field'),
        rowDenials: sumDenials(agency, 'row'),
      };
    })
    .sort((a, b) => cmp(a.agency, b.agency));
  return {
    since: filter.since ?? null,
    until: filter.until ?? null,
    requests: byAgency.reduce((s, a) => s + a.requests, 0),
    byAgency,
    denials,
  };
}

/** Orders agencies by name, unauthenticated (null) last. */
function cmp(a: string | null, b: string | null): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  return a < b ? -1 : 1;
}
