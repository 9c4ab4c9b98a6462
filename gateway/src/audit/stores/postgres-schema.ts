/**
 * The PostgreSQL layout of the trail (layout 4, the same tables as SQLite's, see
 * `sqlite-schema.ts`), created on first open. Several replicas may start at once, and
 * concurrent `CREATE TABLE IF NOT EXISTS` can still collide in the catalog, so creation runs
 * under a transaction-scoped advisory lock. When every object of the layout already exists
 * nothing is created, so the gateway can run as a writer role that may only insert
 * (docs/operating.md, "A least-privilege audit writer"): such a role may not run DDL, not even
 * `CREATE … IF NOT EXISTS` on what exists. A schema holding layout 2 (no `audit_entity_second`)
 * is upgraded in place by the same statements: the entity index is built from the links and
 * layout 2's exact (eid, time, pos) index dropped; a schema holding layout 3 (no seal columns)
 * gets them added, empty; records, hashes and checkpoints are not touched. A schema holding
 * layout 1 (an `audit_record` table without `audit_chain`) is refused by name, not extended.
 */
import { layoutTables, secondOfSql, type AuditTables } from './filter-sql';

/** The columns layout 4 added to `audit_record`, with their types (a schema without them is upgraded on open). */
export const SEAL_COLUMNS = [
  ['content_hash', 'BYTEA'],
  ['denials', 'TEXT'],
] as const;

/** Schema names: lower-case identifiers, so they never need escaping beyond quotes. */
export const SCHEMA_NAME_PATTERN = /^[a-z_][a-z0-9_]{0,62}$/;

/** Schema-qualified table names. */
export function tablesIn(schema: string): AuditTables {
  return layoutTables(`"${schema}".`);
}

/** Every table and index of the layout, schema-qualified (for `to_regclass`). */
export function layoutObjects(schema: string): string[] {
  const tables = ['audit_chain', 'audit_record', 'audit_shape', 'audit_entity', 'audit_entity_link', 'audit_entity_second', 'audit_stat_hour', 'audit_stat_minute', 'audit_head', 'audit_checkpoint'];
  const indexes = ['audit_record_time', 'audit_checkpoint_chain'];
  return [...tables, ...indexes].map((name) => `"${schema}".${name}`);
}

/** The signed checkpoints' table (`checkpoints.ts`). */
export function checkpointTable(schema: string): string {
  return `"${schema}".audit_checkpoint`;
}

const STAT_COLUMNS = `bucket BIGINT NOT NULL, agency TEXT NOT NULL, purpose TEXT NOT NULL, outcome TEXT NOT NULL, kind TEXT NOT NULL, reason TEXT NOT NULL,
      n BIGINT NOT NULL, entities BIGINT NOT NULL, field_denials BIGINT NOT NULL, row_denials BIGINT NOT NULL,
      PRIMARY KEY (bucket, agency, purpose, outcome, kind, reason)`;

/** The statements that create the layout in `schema` (idempotent). */
export function schemaStatements(schema: string): string[] {
  const t = tablesIn(schema);
  return [
    `CREATE SCHEMA IF NOT EXISTS "${schema}"`,
    `CREATE TABLE IF NOT EXISTS ${t.chain} (chain_no INTEGER PRIMARY KEY, chain TEXT NOT NULL UNIQUE)`,
    `CREATE TABLE IF NOT EXISTS ${t.record} (
      pos BIGINT PRIMARY KEY,
      id TEXT NOT NULL UNIQUE,
      time_ms BIGINT NOT NULL,
      prev_hash BYTEA NOT NULL,
      hash BYTEA NOT NULL,
      agency TEXT, subject TEXT, purpose TEXT, case_ref TEXT,
      outcome TEXT NOT NULL,
      http_status SMALLINT NOT NULL,
      has_denial SMALLINT NOT NULL,
      shape INTEGER NOT NULL,
      content BYTEA NOT NULL,
      content_hash BYTEA,
      denials TEXT
    )`,
    // Layout 3 → 4: the seal's columns (records of layout 3 keep them NULL and verify as before).
    `ALTER TABLE ${t.record} ${SEAL_COLUMNS.map(([name, type]) => `ADD COLUMN IF NOT EXISTS ${name} ${type}`).join(', ')}`,
    // The deflated content is already small: no TOAST compression attempt on it.
    `ALTER TABLE ${t.record} ALTER COLUMN content SET STORAGE EXTERNAL`,
    `CREATE INDEX IF NOT EXISTS audit_record_time ON ${t.record} (time_ms, pos)`,
    `CREATE TABLE IF NOT EXISTS ${t.shape} (shape SERIAL PRIMARY KEY, digest TEXT NOT NULL UNIQUE, text TEXT NOT NULL)`,
    `CREATE TABLE IF NOT EXISTS ${t.entity} (eid BIGSERIAL PRIMARY KEY, type TEXT NOT NULL, key TEXT NOT NULL, owner TEXT NOT NULL, UNIQUE (type, key, owner))`,
    `CREATE TABLE IF NOT EXISTS ${t.link} (pos BIGINT NOT NULL, eid BIGINT NOT NULL REFERENCES ${t.entity} (eid), time_ms BIGINT NOT NULL, PRIMARY KEY (pos, eid))`,
    `CREATE TABLE IF NOT EXISTS ${t.entitySecond} (eid BIGINT NOT NULL, sec BIGINT NOT NULL, PRIMARY KEY (eid, sec))`,
    // Layout 2 → 3 (nothing to copy in a new schema): the index from the links, then without layout 2's.
    `INSERT INTO ${t.entitySecond} (eid, sec) SELECT DISTINCT eid, ${secondOfSql('time_ms')} FROM ${t.link} ON CONFLICT DO NOTHING`,
    `DROP INDEX IF EXISTS "${schema}".audit_entity_link_eid`,
    `CREATE TABLE IF NOT EXISTS ${t.statHour} (${STAT_COLUMNS})`,
    `CREATE TABLE IF NOT EXISTS ${t.statMinute} (${STAT_COLUMNS})`,
    `CREATE TABLE IF NOT EXISTS ${t.head} (chain_no INTEGER PRIMARY KEY, seq BIGINT NOT NULL, hash TEXT NOT NULL, id TEXT NOT NULL)`,
    `CREATE TABLE IF NOT EXISTS ${checkpointTable(schema)} (
      pos BIGSERIAL PRIMARY KEY,
      chain TEXT NOT NULL, seq BIGINT NOT NULL, hash TEXT NOT NULL, id TEXT NOT NULL,
      kind TEXT NOT NULL, pruned_through BIGINT NOT NULL, signed_at_ms BIGINT NOT NULL,
      kid TEXT NOT NULL, jws TEXT NOT NULL
    )`,
    `CREATE INDEX IF NOT EXISTS audit_checkpoint_chain ON ${checkpointTable(schema)} (chain, seq)`,
  ];
}
