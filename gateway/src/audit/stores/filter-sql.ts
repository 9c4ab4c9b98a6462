/**
 * SQL shared by both stores over layout 2 (see `sqlite-schema.ts` / `postgres-schema.ts`):
 * the record columns, filters as WHERE clauses, the entity query and the aggregate reads.
 * Only the placeholder syntax differs (`?` vs `$n`).
 */
import type { AuditFilter, AuditStatsFilter } from '../audit-filter';
import type { EntityRow } from '../chain/record-content';
import type { StatRow } from '../chain/stat-rows';

/** Table names as the dialect spells them (schema-qualified for PostgreSQL). */
export interface AuditTables {
  readonly record: string;
  readonly chain: string;
  readonly head: string;
  readonly shape: string;
  readonly entity: string;
  readonly link: string;
  readonly statHour: string;
  readonly statMinute: string;
  readonly checkpoint: string;
}

/** The tables of layout 2 named plainly, with an optional qualifier (`"schema".`). */
export function layoutTables(prefix = ''): AuditTables {
  return {
    record: `${prefix}audit_record`,
    chain: `${prefix}audit_chain`,
    head: `${prefix}audit_head`,
    shape: `${prefix}audit_shape`,
    entity: `${prefix}audit_entity`,
    link: `${prefix}audit_entity_link`,
    statHour: `${prefix}audit_stat_hour`,
    statMinute: `${prefix}audit_stat_minute`,
    checkpoint: `${prefix}audit_checkpoint`,
  };
}

/** Collects parameters and returns the placeholder for each. */
export type Bind = (value: unknown) => string;

/** Columns `recordColumns` of a stored row expects, in order. */
export const RECORD_COLUMNS =
  'r.pos, r.id, r.time_ms, r.prev_hash, r.hash, r.agency, r.subject, r.purpose, r.case_ref, r.outcome, r.http_status, r.has_denial, r.shape, r.content';

/** The index columns of a database row, in `indexColumns` order. */
export function recordColumns(row: Record<string, unknown>): unknown[] {
  return [
    Number(row.time_ms),
    row.agency ?? null,
    row.subject ?? null,
    row.purpose ?? null,
    row.case_ref ?? null,
    row.outcome,
    Number(row.http_status),
    Number(row.has_denial),
  ];
}

/** WHERE conditions (joined with AND by the caller) on `r` for a query filter, entity aside. */
export function filterConditions(filter: AuditFilter, bind: Bind): string[] {
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
  return out;
}

/** The entity ids of a type and key (one per owner; usually one). */
export function entityIdsSql(type: string, key: string, bind: Bind, t: AuditTables): string {
  return `SELECT eid FROM ${t.entity} WHERE type = ${bind(type)} AND key = ${bind(key)} ORDER BY eid`;
}

/**
 * The SELECT for one page of `queryPage`, keyset-paginated on (time_ms, pos). An entity filter
 * comes with the entity's ids (`entityIdsSql`): with one id the link table's (eid, time_ms, pos)
 * index is walked from the entity, already in that order, and each record joined by its primary
 * key — a page costs its own rows, whatever the entity's count. With several ids (one key under
 * several owners) their links are merged and sorted, and a record linked under two of them is
 * returned once, from its first link.
 */
export function queryPageSql(
  filter: AuditFilter,
  after: { timeMs: number; pos: number } | null,
  limit: number,
  bind: Bind,
  t: AuditTables,
  entityIds: readonly number[] = [],
): string {
  if (filter.entity === undefined) {
    const where = filterConditions(filter, bind);
    // A row value, not `a > x OR (a = x AND b > y)`: both engines seek the index to it, where the OR made PostgreSQL fetch every match on each page.
    if (after) where.push(`(r.time_ms, r.pos) > (${bind(after.timeMs)}, ${bind(after.pos)})`);
    return `SELECT ${RECORD_COLUMNS} FROM ${t.record} r ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY r.time_ms, r.pos LIMIT ${bind(limit)}`;
  }
  if (entityIds.length === 0) throw new Error('queryPageSql: an entity filter needs the entity ids (none: no record)');
  const where =
    entityIds.length === 1
      ? [`l.eid = ${bind(entityIds[0])}`]
      : [
          `l.eid IN (${entityIds.map((id) => bind(id)).join(', ')})`,
          `NOT EXISTS (SELECT 1 FROM ${t.link} l2 WHERE l2.pos = l.pos AND l2.eid < l.eid AND l2.eid IN (${entityIds.map((id) => bind(id)).join(', ')}))`,
        ];
  if (filter.since !== undefined) where.push(`l.time_ms >= ${bind(filter.since.getTime())}`);
  if (filter.until !== undefined) where.push(`l.time_ms < ${bind(filter.until.getTime())}`);
  if (after) where.push(`(l.time_ms, l.pos) > (${bind(after.timeMs)}, ${bind(after.pos)})`);
  // Bound after the link conditions: SQLite's `?` takes parameters in the order they appear.
  const onRecord = filterConditions({ ...filter, since: undefined, until: undefined }, bind);
  if (onRecord.length === 0) {
    // Only the entity and time: the page's links first (LIMIT inside), then their records — a
    // planner that misjudges the entity's count (PostgreSQL on fresh statistics) cannot join all
    // of them before sorting.
    return (
      `SELECT ${RECORD_COLUMNS} FROM (SELECT l.pos, l.time_ms FROM ${t.link} l WHERE ${where.join(' AND ')} ORDER BY l.time_ms, l.pos LIMIT ${bind(limit)}) l ` +
      `CROSS JOIN ${t.record} r WHERE r.pos = l.pos ORDER BY l.time_ms, l.pos`
    );
  }
  // CROSS JOIN: SQLite keeps this join order (the links in index order, then the record); PostgreSQL plans it freely.
  return `SELECT ${RECORD_COLUMNS} FROM ${t.link} l CROSS JOIN ${t.record} r WHERE ${[...where, 'r.pos = l.pos', ...onRecord].join(' AND ')} ORDER BY l.time_ms, l.pos LIMIT ${bind(limit)}`;
}

/** An entity row as read from the link table: the entity and the record time repeated in the link. */
export interface LinkedEntity extends EntityRow {
  readonly linkTimeMs: number;
}

/** Groups entity rows (`pos, time_ms, type, key, owner`) by record position. */
export function groupEntities(rows: readonly Record<string, unknown>[]): Map<number, LinkedEntity[]> {
  const out = new Map<number, LinkedEntity[]>();
  for (const e of rows) {
    const pos = Number(e.pos);
    const list = out.get(pos);
    const row = { type: String(e.type), key: String(e.key), owner: String(e.owner), linkTimeMs: Number(e.time_ms) };
    if (list) list.push(row);
    else out.set(pos, [row]);
  }
  return out;
}

/** Sums of an aggregate table over bucket range [from, to) (either end may be infinite) and the filter's agency / purpose. */
export function statSumSql(table: string, range: readonly [number, number], filter: AuditStatsFilter, bind: Bind): string {
  const where: string[] = [];
  if (Number.isFinite(range[0])) where.push(`bucket >= ${bind(range[0])}`);
  if (Number.isFinite(range[1])) where.push(`bucket < ${bind(range[1])}`);
  if (filter.agency !== undefined) where.push(`agency = ${bind(filter.agency)}`);
  if (filter.purpose !== undefined) where.push(`purpose = ${bind(filter.purpose)}`);
  return (
    `SELECT agency, outcome, kind, reason, SUM(n) AS n, SUM(entities) AS entities, SUM(field_denials) AS field_denials, SUM(row_denials) AS row_denials ` +
    `FROM ${table} ${where.length ? `WHERE ${where.join(' AND ')}` : ''} GROUP BY agency, outcome, kind, reason`
  );
}

/** The records of ms range [from, to) matching the filter's agency / purpose (the ragged edges of a stats period). */
export function edgeRecordsSql(range: readonly [number, number], filter: AuditStatsFilter, bind: Bind, t: AuditTables): string {
  const where: string[] = [];
  if (Number.isFinite(range[0])) where.push(`r.time_ms >= ${bind(range[0])}`);
  if (Number.isFinite(range[1])) where.push(`r.time_ms < ${bind(range[1])}`);
  if (filter.agency !== undefined) where.push(`r.agency = ${bind(filter.agency)}`);
  if (filter.purpose !== undefined) where.push(`r.purpose = ${bind(filter.purpose)}`);
  return `SELECT ${RECORD_COLUMNS} FROM ${t.record} r ${where.length ? `WHERE ${where.join(' AND ')}` : ''}`;
}

/** An aggregate row read back (summed or whole). */
export function toStatRow(r: Record<string, unknown>): StatRow {
  return {
    bucket: r.bucket === undefined ? 0 : Number(r.bucket),
    agency: String(r.agency),
    purpose: r.purpose === undefined ? '' : String(r.purpose),
    outcome: String(r.outcome),
    kind: String(r.kind),
    reason: String(r.reason),
    n: Number(r.n),
    entities: Number(r.entities),
    fieldDenials: Number(r.field_denials),
    rowDenials: Number(r.row_denials),
  };
}
