/**
 * SQL shared by both stores over layout 4 (see `sqlite-schema.ts` / `postgres-schema.ts`):
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
  readonly entitySecond: string;
  readonly statHour: string;
  readonly statMinute: string;
  readonly checkpoint: string;
}

/** The tables of layout 4 named plainly, with an optional qualifier (`"schema".`). */
export function layoutTables(prefix = ''): AuditTables {
  return {
    record: `${prefix}audit_record`,
    chain: `${prefix}audit_chain`,
    head: `${prefix}audit_head`,
    shape: `${prefix}audit_shape`,
    entity: `${prefix}audit_entity`,
    link: `${prefix}audit_entity_link`,
    entitySecond: `${prefix}audit_entity_second`,
    statHour: `${prefix}audit_stat_hour`,
    statMinute: `${prefix}audit_stat_minute`,
    checkpoint: `${prefix}audit_checkpoint`,
  };
}

/** Collects parameters and returns the placeholder for each. */
export type Bind = (value: unknown) => string;

/** Columns `recordColumns` of a stored row expects, in order. */
export const RECORD_COLUMNS =
  'r.pos, r.id, r.time_ms, r.prev_hash, r.hash, r.agency, r.subject, r.purpose, r.case_ref, r.outcome, r.http_status, r.has_denial, r.shape, r.content, r.content_hash, r.denials';

/**
 * The record columns of a chain page (what verify reads, every record), in
 * {@link RECORD_COLUMNS} order, with the hashes as lower-case hex text made by the database
 * (`hexSql` of a column), not a buffer each that is then turned into hex. A content hash that is
 * NULL (a record written before layout 4) reads as NULL or ''.
 */
export function chainPageColumns(hexSql: (column: string) => string): string {
  return RECORD_COLUMNS.replace(/r\.(prev_hash|hash|content_hash)\b/g, (column, name: string) => `${hexSql(column)} AS ${name}`);
}

/**
 * A record row read raw (an array in {@link RECORD_COLUMNS} order, and a digest of the stored
 * content where the page asked the database for one: `stored_digest`) as the named row the rest
 * reads. Both drivers build a named row by adding its sixteen properties one at a time; an array
 * and this one literal (a single object shape) cost less, which a verify that reads every record
 * notices.
 */
export function recordRowOf(r: readonly unknown[]): Record<string, unknown> {
  return {
    pos: r[0], id: r[1], time_ms: r[2], prev_hash: r[3], hash: r[4], agency: r[5], subject: r[6], purpose: r[7], case_ref: r[8],
    outcome: r[9], http_status: r[10], has_denial: r[11], shape: r[12], content: r[13], content_hash: r[14], denials: r[15], stored_digest: r[16],
  };
}

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

/** Milliseconds in one bucket of the entity index (`audit_entity_second`). */
export const SECOND_MS = 1000;

/** The entity-index bucket of a record time (floor, also before 1970). */
export function secondOf(timeMs: number): number {
  return Math.floor(timeMs / SECOND_MS);
}

/** `secondOf` in SQL, for an integer column (both engines truncate integer division towards zero). */
export function secondOfSql(column: string): string {
  return `((${column} - ((${column} % ${SECOND_MS}) + ${SECOND_MS}) % ${SECOND_MS}) / ${SECOND_MS})`;
}

/** The SELECT for one page of `queryPage` without an entity filter, keyset-paginated on (time_ms, pos). */
export function queryPageSql(filter: AuditFilter, after: { timeMs: number; pos: number } | null, limit: number, bind: Bind, t: AuditTables): string {
  const where = filterConditions(filter, bind);
  // A row value, not `a > x OR (a = x AND b > y)`: both engines seek the index to it, where the OR made PostgreSQL fetch every match on each page.
  if (after) where.push(`(r.time_ms, r.pos) > (${bind(after.timeMs)}, ${bind(after.pos)})`);
  return `SELECT ${RECORD_COLUMNS} FROM ${t.record} r ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY r.time_ms, r.pos LIMIT ${bind(limit)}`;
}

/** One statement the entity query asks a store to run. */
export interface Statement {
  readonly sql: string;
  readonly params: unknown[];
}

/** Rows of a statement. */
export type Rows = readonly Record<string, unknown>[];

/** Seconds fetched from the entity index per round. */
const SECONDS_PER_ROUND = 64;

/**
 * One page of `queryPage` with an entity filter, given the entity's ids (`entityIdsSql`; one key
 * may have several owners): the entity's seconds are read from `audit_entity_second` in order, 64
 * at a time, and in each second the records that link one of the ids and match the rest of the
 * filter, in (time, pos) order, until the page is full. A page costs its own seconds, whatever
 * the entity's count; a record linked under two of the ids comes once.
 *
 * Written as the statements to run, each yielded and answered with its rows, so that SQLite runs
 * the whole page in one synchronous pass (one check of the trail's files) and PostgreSQL awaits
 * each answer (`runEntityPage`, `runEntityPageAsync`). `params` makes a fresh binder for the dialect.
 *
 * `perRound` (PostgreSQL) asks for the records of a whole round's seconds in one statement, a
 * lateral join of the seconds with the same per-second scan: each statement there is a round trip
 * and a plan, ~4 ms on a loaded machine, so an entity seen in 400 seconds took 400 of them (2 s at
 * 10^7 records); SQLite's statements are in-process calls and stay one per second.
 */
export function* entityPage(
  params: () => { bind: Bind; params: unknown[] },
  filter: AuditFilter,
  after: { timeMs: number; pos: number } | null,
  limit: number,
  t: AuditTables,
  entityIds: readonly number[],
  perRound = false,
): Generator<Statement, Record<string, unknown>[], Rows> {
  if (entityIds.length === 0) throw new Error('entityPage: an entity filter needs the entity ids (none: no record)');
  const starts = [filter.since, after ? new Date(after.timeMs) : undefined].filter((d): d is Date => d !== undefined).map((d) => secondOf(d.getTime()));
  let from = starts.length ? Math.max(...starts) : null;
  const until = filter.until !== undefined ? secondOf(filter.until.getTime() - 1) + 1 : null;
  const rows: Record<string, unknown>[] = [];
  // The records of one second (`start`, `end`: its first millisecond and the next second's, as
  // columns or already bound — bound first, since SQLite's placeholders are positional) that link
  // one of the ids and match the filter. A scalar subquery, not EXISTS: PostgreSQL turned EXISTS into
  // a parallel bitmap scan of the record table for each second (it misjudges one second's rows);
  // this form is an index scan of the second and a primary-key probe of the link per record, on
  // both engines.
  const inSecond = (p: { bind: Bind }, start: string, end: string): string => {
    const conditions = [`r.time_ms >= ${start}`, `r.time_ms < ${end}`, ...filterConditions(filter, p.bind)];
    if (after) conditions.push(`(r.time_ms, r.pos) > (${p.bind(after.timeMs)}, ${p.bind(after.pos)})`);
    conditions.push(`(SELECT 1 FROM ${t.link} l WHERE l.pos = r.pos AND l.eid IN (${entityIds.map((id) => p.bind(id)).join(', ')}) LIMIT 1) IS NOT NULL`);
    return `FROM ${t.record} r WHERE ${conditions.join(' AND ')} ORDER BY r.time_ms, r.pos LIMIT ${p.bind(limit - rows.length)}`;
  };
  for (;;) {
    const q = params();
    const where = [entityIds.length === 1 ? `eid = ${q.bind(entityIds[0])}` : `eid IN (${entityIds.map((id) => q.bind(id)).join(', ')})`];
    if (from !== null) where.push(`sec >= ${q.bind(from)}`);
    if (until !== null) where.push(`sec < ${q.bind(until)}`);
    const seconds = (yield { sql: `SELECT DISTINCT sec FROM ${t.entitySecond} WHERE ${where.join(' AND ')} ORDER BY sec LIMIT ${q.bind(SECONDS_PER_ROUND)}`, params: q.params }).map((r) => Number(r.sec));
    if (perRound && seconds.length > 0) {
      // The seconds are disjoint, so each record comes once; each second's scan is cut at what the
      // page still needs, and the outer sort and limit put the round in (time, pos) order.
      const p = params();
      const secs = p.bind(seconds);
      const inner = inSecond(p, `s.sec * ${SECOND_MS}`, `s.sec * ${SECOND_MS} + ${SECOND_MS}`);
      rows.push(...(yield { sql: `SELECT ${RECORD_COLUMNS} FROM unnest(${secs}::bigint[]) AS s(sec) CROSS JOIN LATERAL (SELECT r.* ${inner}) r ORDER BY r.time_ms, r.pos LIMIT ${p.bind(limit - rows.length)}`, params: p.params }));
      if (rows.length >= limit) return rows;
    } else {
      for (const sec of seconds) {
        const p = params();
        rows.push(...(yield { sql: `SELECT ${RECORD_COLUMNS} ${inSecond(p, p.bind(sec * SECOND_MS), p.bind((sec + 1) * SECOND_MS))}`, params: p.params }));
        if (rows.length >= limit) return rows;
      }
    }
    const last = seconds[seconds.length - 1];
    if (seconds.length < SECONDS_PER_ROUND || last === undefined) return rows;
    from = last + 1;
  }
}

/** Runs the statements of `page` (`entityPage`) with a synchronous reader; returns the page's rows. */
export function runEntityPage(page: Generator<Statement, Record<string, unknown>[], Rows>, read: (s: Statement) => Rows): Record<string, unknown>[] {
  for (let step = page.next(); ; ) {
    if (step.done) return step.value;
    step = page.next(read(step.value));
  }
}

/** `runEntityPage` with a reader that answers asynchronously. */
export async function runEntityPageAsync(page: Generator<Statement, Record<string, unknown>[], Rows>, read: (s: Statement) => Promise<Rows>): Promise<Record<string, unknown>[]> {
  for (let step = page.next(); ; ) {
    if (step.done) return step.value;
    step = page.next(await read(step.value));
  }
}

/** An entity row as read from the link table: the entity, the record time repeated in the link, and whether the entity index has the link's second. */
export interface LinkedEntity extends EntityRow {
  readonly linkTimeMs: number;
  readonly indexed: boolean;
}

/**
 * The `indexed` column of a link read (PostgreSQL): whether `audit_entity_second` holds the link's
 * entity and second (`l` is the link). Fenced (OFFSET 0), so the planner keeps it one primary-key
 * probe per link: left free, it turns the EXISTS into a hashed subplan over the whole entity index
 * while that table is small enough to look cheap. On a trail of 10^5 records that meant hashing
 * 140,000 rows for every page (60 ms a page where the probes take 6 ms): verify ran at 17,000
 * records/s there against 70,000 at 2·10^5, where the planner already chose the probes.
 */
export function linkIndexedSql(t: AuditTables): string {
  return `EXISTS (SELECT 1 FROM ${t.entitySecond} s WHERE s.eid = l.eid AND s.sec = ${secondOfSql('l.time_ms')} OFFSET 0) AS indexed`;
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
