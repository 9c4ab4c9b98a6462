/**
 * The SQLite trail's tables and how a connection to them is opened. Two connections use
 * this: the main thread's (reads: verify, query, stats) and the writer thread's (appends,
 * see `sqlite-writer.ts`). Both open the file the same way so either may create it.
 *
 * Layout 4 (`PRAGMA user_version = 4`) is built for a single-record commit to touch few pages
 * and for a record to be small: the record's row number (`pos` = chain number × 2^40 + seq) is
 * its primary key, so neither a (chain, seq) index nor the 26-character id is repeated in the
 * link table; entities are a dictionary (`audit_entity`) plus a WITHOUT ROWID link table keyed by
 * (pos, eid); the content is deflated against a per-operation dictionary
 * (`chain/content-codec.ts`); hashes are 32-byte blobs; and `stats` reads hour/minute aggregates
 * kept in the same transaction. The only secondary indexes are the id (duplicates, `--id`) and time
 * (every query's order). Layout 4 adds what a sealed record keeps beside its content: the content
 * hash and the denial tally, which its seal (`chain/record-seal.ts`) covers with the rest.
 *
 * `--entity` goes through `audit_entity_second`: one row per entity and second in which at least
 * one record released it. A query walks the entity's seconds in order and, in each, the records of
 * that second that link the entity. Layout 2 kept an exact (entity, time, pos) index instead; every
 * link of a record was then an insert at a different place in that index, so a record releasing
 * 2,000 entities dirtied about as many pages (7 ms and ~8 MB of WAL per commit, measured). The
 * (pos, eid) links of one record are neighbours, and an entity released again in the same second
 * writes no index row at all.
 *
 * A file of layout 2 or 3 is upgraded in place when opened (from 2 its entity index is rebuilt;
 * the seal's columns are added, empty; records, hashes and checkpoints are not touched). A file
 * of layout 1 is refused by name: `pactum audit migrate` copies it into this layout, hashes
 * unchanged.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { secondOfSql } from './filter-sql';

/** The layout this code reads and writes. */
export const SQLITE_LAYOUT = 4;

/** The layouts opened files are upgraded from in place (`upgradeInPlace`). */
const UPGRADABLE_LAYOUTS: readonly number[] = [2, 3];

/** Layout 3 → 4: the columns a sealed record adds (records of layout 3 keep them NULL, and verify as before). */
const SEAL_COLUMNS = [
  ['content_hash', 'BLOB'],
  ['denials', 'TEXT'],
] as const;

/** The first chain's number is 1; a record's pos is `chainNo * POS_STRIDE + seq`. */
export const POS_STRIDE = 2 ** 40;

const STAT_COLUMNS = `bucket INTEGER NOT NULL, agency TEXT NOT NULL, purpose TEXT NOT NULL, outcome TEXT NOT NULL, kind TEXT NOT NULL, reason TEXT NOT NULL,
  n INTEGER NOT NULL, entities INTEGER NOT NULL, field_denials INTEGER NOT NULL, row_denials INTEGER NOT NULL,
  PRIMARY KEY (bucket, agency, purpose, outcome, kind, reason)`;

const ENTITY_SECOND_TABLE = 'CREATE TABLE IF NOT EXISTS audit_entity_second (eid INTEGER NOT NULL, sec INTEGER NOT NULL, PRIMARY KEY (eid, sec)) WITHOUT ROWID;';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS audit_chain (chain_no INTEGER PRIMARY KEY, chain TEXT NOT NULL UNIQUE);
CREATE TABLE IF NOT EXISTS audit_record (
  pos INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  time_ms INTEGER NOT NULL,
  prev_hash BLOB NOT NULL,
  hash BLOB NOT NULL,
  agency TEXT, subject TEXT, purpose TEXT, case_ref TEXT,
  outcome TEXT NOT NULL,
  http_status INTEGER NOT NULL,
  has_denial INTEGER NOT NULL,
  shape INTEGER NOT NULL,
  content BLOB NOT NULL,
  content_hash BLOB,
  denials TEXT
);
CREATE INDEX IF NOT EXISTS audit_record_time ON audit_record (time_ms);
CREATE TABLE IF NOT EXISTS audit_shape (shape INTEGER PRIMARY KEY, text TEXT NOT NULL UNIQUE);
CREATE TABLE IF NOT EXISTS audit_entity (
  eid INTEGER PRIMARY KEY, type TEXT NOT NULL, key TEXT NOT NULL, owner TEXT NOT NULL, UNIQUE (type, key, owner)
);
CREATE TABLE IF NOT EXISTS audit_entity_link (pos INTEGER NOT NULL, eid INTEGER NOT NULL, time_ms INTEGER NOT NULL, PRIMARY KEY (pos, eid)) WITHOUT ROWID;
${ENTITY_SECOND_TABLE}
CREATE TABLE IF NOT EXISTS audit_stat_hour (${STAT_COLUMNS}) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS audit_stat_minute (${STAT_COLUMNS}) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS audit_head (
  chain_no INTEGER PRIMARY KEY, seq INTEGER NOT NULL, hash TEXT NOT NULL, id TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS audit_checkpoint (
  pos INTEGER PRIMARY KEY AUTOINCREMENT,
  chain TEXT NOT NULL, seq INTEGER NOT NULL, hash TEXT NOT NULL, id TEXT NOT NULL,
  kind TEXT NOT NULL, pruned_through INTEGER NOT NULL, signed_at_ms INTEGER NOT NULL,
  kid TEXT NOT NULL, jws TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS audit_checkpoint_chain ON audit_checkpoint (chain, seq);
PRAGMA user_version = ${SQLITE_LAYOUT};
`;

/** Thrown for a file of another layout: the message names what to run. */
export class TrailLayoutError extends Error {
  constructor(
    readonly file: string,
    readonly found: number,
  ) {
    super(
      found < SQLITE_LAYOUT
        ? `audit database ${file} uses trail layout ${found}; this gateway reads layout ${SQLITE_LAYOUT}. Copy it with \`pactum audit migrate --from ${file} --file <new file>\` (hashes, chains and checkpoints are kept) and point PACTUM_AUDIT_FILE at the new file`
        : `audit database ${file} uses trail layout ${found}, newer than this gateway's ${SQLITE_LAYOUT}: upgrade the gateway`,
    );
    this.name = 'TrailLayoutError';
  }
}

/** The layout of an open database: its user_version, or 1 for a file made before layouts were numbered (0 when empty). */
export function layoutOf(db: Database.Database): number {
  const version = Number(db.pragma('user_version', { simple: true }));
  if (version !== 0) return version;
  const tables = db.prepare("SELECT COUNT(*) AS n FROM sqlite_master WHERE type = 'table' AND name = 'audit_record'").get() as { n: number };
  return tables.n > 0 ? 1 : 0;
}

/**
 * Opens `file` (creating its directory and the tables if missing) in WAL mode with
 * `synchronous=FULL`: a commit returns only after the WAL is fsynced. `busyTimeoutMs`
 * bounds the wait for another connection's write lock. Throws `TrailLayoutError` for a file
 * of another layout (nothing in it is changed), otherwise what SQLite throws.
 */
export function openSqliteDatabase(file: string, busyTimeoutMs: number): Database.Database {
  mkdirSync(path.dirname(file), { recursive: true });
  const db = new Database(file, { timeout: busyTimeoutMs });
  try {
    // Before anything that writes (even switching to WAL rewrites the header): a file of another layout stays as it was.
    const layout = layoutOf(db);
    if (layout !== 0 && layout !== SQLITE_LAYOUT && !UPGRADABLE_LAYOUTS.includes(layout)) throw new TrailLayoutError(file, layout);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    if (layout === 0) db.exec(`BEGIN IMMEDIATE; ${SCHEMA} COMMIT;`);
    if (UPGRADABLE_LAYOUTS.includes(layout)) upgradeInPlace(db);
  } catch (error) {
    if (db.inTransaction) db.exec('ROLLBACK');
    db.close();
    throw error;
  }
  return db;
}

/**
 * Layout 2 or 3 → 4 in one IMMEDIATE transaction. From 2: the per-second entity index is built
 * from the links and the exact (eid, time, pos) index dropped. From 3: the seal's two columns are
 * added (records already written stay unsealed, chained and verified as before). Only derived
 * rows and empty columns change; a second connection that got the write lock first has done it
 * already (the version is read again under the lock).
 */
function upgradeInPlace(db: Database.Database): void {
  db.exec('BEGIN IMMEDIATE');
  try {
    const version = Number(db.pragma('user_version', { simple: true }));
    if (version === 2) {
      db.exec(
        `${ENTITY_SECOND_TABLE}
         INSERT OR IGNORE INTO audit_entity_second (eid, sec) SELECT eid, ${secondOfSql('time_ms')} FROM audit_entity_link;
         DROP INDEX IF EXISTS audit_entity_link_eid;`,
      );
    }
    if (UPGRADABLE_LAYOUTS.includes(version)) {
      const present = new Set((db.pragma('table_info(audit_record)') as Array<{ name: string }>).map((c) => c.name));
      for (const [name, type] of SEAL_COLUMNS) if (!present.has(name)) db.exec(`ALTER TABLE audit_record ADD COLUMN ${name} ${type}`);
      db.exec(`PRAGMA user_version = ${SQLITE_LAYOUT}`);
    }
    db.exec('COMMIT');
  } catch (error) {
    if (db.inTransaction) db.exec('ROLLBACK');
    throw error;
  }
}

/** `message: detail of cause` — the text every SQLite failure is reported with. */
export function describeFailure(message: string, cause: unknown): string {
  return `${message}: ${cause instanceof Error ? cause.message : String(cause)}`;
}
