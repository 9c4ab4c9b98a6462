/**
 * The PostgreSQL layout of the trail, created on first open. Several replicas may start
 * at once, and concurrent `CREATE TABLE IF NOT EXISTS` can still collide in the catalog,
 * so creation runs under a transaction-scoped advisory lock. When every object of the layout
 * already exists nothing is created, so the gateway can run as a writer role that may only
 * insert (docs/operating.md, "A least-privilege audit writer"): such a role may not run DDL,
 * not even `CREATE … IF NOT EXISTS` on what exists.
 */
import type { AuditTables } from './filter-sql';

/** Schema names: lower-case identifiers, so they never need escaping beyond quotes. */
export const SCHEMA_NAME_PATTERN = /^[a-z_][a-z0-9_]{0,62}$/;

/** Schema-qualified table names. */
export function tablesIn(schema: string): AuditTables {
  return {
    record: `"${schema}".audit_record`,
    entity: `"${schema}".audit_entity`,
    denial: `"${schema}".audit_denial`,
    head: `"${schema}".audit_head`,
  };
}

/** Every table and index of the layout, schema-qualified (for `to_regclass`). */
export function layoutObjects(schema: string): string[] {
  const tables = ['audit_record', 'audit_entity', 'audit_denial', 'audit_head', 'audit_checkpoint'];
  const indexes = ['audit_record_time', 'audit_record_agency', 'audit_record_subject', 'audit_record_hash', 'audit_entity_key', 'audit_denial_record', 'audit_checkpoint_chain'];
  return [...tables, ...indexes].map((name) => `"${schema}".${name}`);
}

/** The signed checkpoints' table (`checkpoints.ts`). */
export function checkpointTable(schema: string): string {
  return `"${schema}".audit_checkpoint`;
}

/** The statements that create the layout in `schema` (idempotent). */
export function schemaStatements(schema: string): string[] {
  const t = tablesIn(schema);
  return [
    `CREATE SCHEMA IF NOT EXISTS "${schema}"`,
    `CREATE TABLE IF NOT EXISTS ${t.record} (
      pos BIGSERIAL PRIMARY KEY,
      id TEXT NOT NULL UNIQUE,
      chain TEXT NOT NULL,
      seq BIGINT NOT NULL,
      prev_hash TEXT NOT NULL,
      content_hash TEXT NOT NULL,
      hash TEXT NOT NULL,
      time_ms BIGINT NOT NULL,
      agency TEXT, subject TEXT, purpose TEXT, case_ref TEXT,
      outcome TEXT NOT NULL,
      http_status INTEGER NOT NULL,
      has_denial SMALLINT NOT NULL,
      content TEXT NOT NULL,
      UNIQUE (chain, seq)
    )`,
    `CREATE INDEX IF NOT EXISTS audit_record_time ON ${t.record} (time_ms, id)`,
    `CREATE INDEX IF NOT EXISTS audit_record_agency ON ${t.record} (agency, time_ms)`,
    `CREATE INDEX IF NOT EXISTS audit_record_subject ON ${t.record} (subject, time_ms)`,
    `CREATE INDEX IF NOT EXISTS audit_record_hash ON ${t.record} (chain, hash)`,
    `CREATE TABLE IF NOT EXISTS ${t.entity} (
      record_id TEXT NOT NULL, type TEXT NOT NULL, key TEXT NOT NULL, owner TEXT NOT NULL,
      PRIMARY KEY (record_id, type, key, owner)
    )`,
    `CREATE INDEX IF NOT EXISTS audit_entity_key ON ${t.entity} (type, key)`,
    `CREATE TABLE IF NOT EXISTS ${t.denial} (record_id TEXT NOT NULL, kind TEXT NOT NULL, reason TEXT NOT NULL, path TEXT NOT NULL)`,
    `CREATE INDEX IF NOT EXISTS audit_denial_record ON ${t.denial} (record_id)`,
    `CREATE TABLE IF NOT EXISTS ${t.head} (chain TEXT PRIMARY KEY, seq BIGINT NOT NULL, hash TEXT NOT NULL, id TEXT NOT NULL)`,
    `CREATE TABLE IF NOT EXISTS ${checkpointTable(schema)} (
      pos BIGSERIAL PRIMARY KEY,
      chain TEXT NOT NULL, seq BIGINT NOT NULL, hash TEXT NOT NULL, id TEXT NOT NULL,
      kind TEXT NOT NULL, pruned_through BIGINT NOT NULL, signed_at_ms BIGINT NOT NULL,
      kid TEXT NOT NULL, jws TEXT NOT NULL
    )`,
    `CREATE INDEX IF NOT EXISTS audit_checkpoint_chain ON ${checkpointTable(schema)} (chain, seq)`,
  ];
}
