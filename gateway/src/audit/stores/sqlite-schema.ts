/**
 * The SQLite trail's tables and how a connection to them is opened. Two connections use
 * this: the main thread's (reads: verify, query, stats) and the writer thread's (appends,
 * see `sqlite-writer.ts`). Both open the file the same way so either may create it.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { AuditTables } from './filter-sql';

/** Table names, for the SQL shared with PostgreSQL (`filter-sql.ts`). */
export const SQLITE_TABLES: AuditTables = { record: 'audit_record', entity: 'audit_entity', denial: 'audit_denial', head: 'audit_head' };

const SCHEMA = `
CREATE TABLE IF NOT EXISTS audit_record (
  pos INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,
  chain TEXT NOT NULL,
  seq INTEGER NOT NULL,
  prev_hash TEXT NOT NULL,
  content_hash TEXT NOT NULL,
  hash TEXT NOT NULL,
  time_ms INTEGER NOT NULL,
  agency TEXT, subject TEXT, purpose TEXT, case_ref TEXT,
  outcome TEXT NOT NULL,
  http_status INTEGER NOT NULL,
  has_denial INTEGER NOT NULL,
  content TEXT NOT NULL,
  UNIQUE (chain, seq)
);
CREATE INDEX IF NOT EXISTS audit_record_time ON audit_record (time_ms, id);
CREATE INDEX IF NOT EXISTS audit_record_agency ON audit_record (agency, time_ms);
CREATE INDEX IF NOT EXISTS audit_record_subject ON audit_record (subject, time_ms);
CREATE INDEX IF NOT EXISTS audit_record_hash ON audit_record (chain, hash);
CREATE TABLE IF NOT EXISTS audit_entity (
  record_id TEXT NOT NULL, type TEXT NOT NULL, key TEXT NOT NULL, owner TEXT NOT NULL,
  PRIMARY KEY (record_id, type, key, owner)
);
CREATE INDEX IF NOT EXISTS audit_entity_key ON audit_entity (type, key);
CREATE TABLE IF NOT EXISTS audit_denial (
  record_id TEXT NOT NULL, kind TEXT NOT NULL, reason TEXT NOT NULL, path TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS audit_denial_record ON audit_denial (record_id);
CREATE TABLE IF NOT EXISTS audit_head (
  chain TEXT PRIMARY KEY, seq INTEGER NOT NULL, hash TEXT NOT NULL, id TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS audit_checkpoint (
  pos INTEGER PRIMARY KEY AUTOINCREMENT,
  chain TEXT NOT NULL, seq INTEGER NOT NULL, hash TEXT NOT NULL, id TEXT NOT NULL,
  kind TEXT NOT NULL, pruned_through INTEGER NOT NULL, signed_at_ms INTEGER NOT NULL,
  kid TEXT NOT NULL, jws TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS audit_checkpoint_chain ON audit_checkpoint (chain, seq);
`;

/**
 * Opens `file` (creating its directory and the tables if missing) in WAL mode with
 * `synchronous=FULL`: a commit returns only after the WAL is fsynced. `busyTimeoutMs`
 * bounds the wait for another connection's write lock. Throws what SQLite throws.
 */
export function openSqliteDatabase(file: string, busyTimeoutMs: number): Database.Database {
  mkdirSync(path.dirname(file), { recursive: true });
  const db = new Database(file, { timeout: busyTimeoutMs });
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.exec(SCHEMA);
  } catch (error) {
    db.close();
    throw error;
  }
  return db;
}

/** `message: detail of cause` — the text every SQLite failure is reported with. */
export function describeFailure(message: string, cause: unknown): string {
  return `${message}: ${cause instanceof Error ? cause.message : String(cause)}`;
}
