/**
 * The embedded store: one SQLite file in WAL mode with `synchronous=FULL`, so a commit
 * returns only after the WAL is fsynced — the record survives a power cut, not only a
 * crash of the process (NORMAL would risk the last commits on power loss, which the
 * "durable before the response leaves" rule does not allow). Group commit upstream
 * keeps that cheap: one fsync per batch.
 *
 * better-sqlite3 is synchronous, so a batch blocks the event loop for its fsync (≈0.4 ms
 * here) and, when another process holds the write lock, for up to `busyTimeoutMs` —
 * keep that short. After any failure the connection is closed and reopened on the next
 * batch, so a store that comes back is used again without a restart.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { AuditUnavailableError } from '../../errors';
import type { AuditReceipt } from '../audit-event';
import type { AuditFilter, AuditStats, AuditStatsFilter } from '../audit-filter';
import { GENESIS_HASH, linkHash } from '../chain/chain-hash';
import type { AuditStore, ChainHead, PreparedRecord, StoredRow } from './audit-store';
import { foldStats, groupIndexRows, queryPageSql, RECORD_COLUMNS, rowToStored, statsSql, type AuditTables, type Bind } from './filter-sql';

const T: AuditTables = { record: 'audit_record', entity: 'audit_entity', denial: 'audit_denial', head: 'audit_head' };

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
`;

/** Options of the SQLite store. */
export interface SqliteStoreOptions {
  /** Database file; its directory is created if missing. */
  readonly file: string;
  /** How long a write waits for another connection's lock before failing (ms, default 1000). */
  readonly busyTimeoutMs?: number;
}

/** Opens (creating if needed) the SQLite audit store; rejects with `AuditUnavailableError` if it cannot. */
export async function openSqliteStore(options: SqliteStoreOptions): Promise<AuditStore> {
  const store = new SqliteStore(path.resolve(options.file), options.busyTimeoutMs ?? 1000);
  store.connection();
  return store;
}

class SqliteStore implements AuditStore {
  readonly kind = 'sqlite';
  private db: Database.Database | null = null;

  constructor(
    readonly location: string,
    private readonly busyTimeoutMs: number,
  ) {}

  /** The open connection, reopening after a failure. */
  connection(): Database.Database {
    if (this.db) return this.db;
    try {
      mkdirSync(path.dirname(this.location), { recursive: true });
      const db = new Database(this.location, { timeout: this.busyTimeoutMs });
      try {
        db.pragma('journal_mode = WAL');
        db.pragma('synchronous = FULL');
        db.exec(SCHEMA);
      } catch (error) {
        db.close();
        throw error;
      }
      this.db = db;
      return db;
    } catch (error) {
      throw unavailable(`cannot open audit database ${this.location}`, error);
    }
  }

  /** Runs `work`; on a database error drops the connection so the next call reopens it. */
  private run<R>(what: string, work: (db: Database.Database) => R): R {
    const db = this.connection();
    try {
      return work(db);
    } catch (error) {
      this.drop();
      throw unavailable(`audit database ${this.location}: ${what} failed`, error);
    }
  }

  private drop(): void {
    try {
      this.db?.close();
    } catch {
      // The connection is already unusable; reopening is what matters.
    }
    this.db = null;
  }

  async appendBatch(chain: string, records: readonly PreparedRecord[]): Promise<Array<AuditReceipt | Error>> {
    return this.run('append', (db) => {
      const insertRecord = db.prepare(
        `INSERT INTO audit_record (id, chain, seq, prev_hash, content_hash, hash, time_ms, agency, subject, purpose, case_ref, outcome, http_status, has_denial, content)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      );
      const insertEntity = db.prepare('INSERT INTO audit_entity (record_id, type, key, owner) VALUES (?, ?, ?, ?)');
      const insertDenial = db.prepare('INSERT INTO audit_denial (record_id, kind, reason, path) VALUES (?, ?, ?, ?)');
      const exists = db.prepare('SELECT 1 FROM audit_record WHERE id = ?').pluck();
      const head = db.prepare('SELECT seq, hash FROM audit_head WHERE chain = ?');
      const saveHead = db.prepare(
        'INSERT INTO audit_head (chain, seq, hash, id) VALUES (?, ?, ?, ?) ON CONFLICT (chain) DO UPDATE SET seq = excluded.seq, hash = excluded.hash, id = excluded.id',
      );
      // IMMEDIATE takes the write lock before reading the head, so a second process
      // writing the same file cannot read the same head and fork the chain.
      return db
        .transaction(() => {
          const h = head.get(chain) as { seq: number; hash: string } | undefined;
          let seq = h?.seq ?? 0;
          let prev = h?.hash ?? GENESIS_HASH;
          let last: AuditReceipt | null = null;
          const seen = new Set<string>();
          const out: Array<AuditReceipt | Error> = [];
          for (const r of records) {
            if (seen.has(r.id) || exists.get(r.id) !== undefined) {
              out.push(duplicate(r.id));
              continue;
            }
            seen.add(r.id);
            seq += 1;
            const hash = linkHash(prev, r.contentHash, seq);
            const x = r.index;
            insertRecord.run(r.id, chain, seq, prev, r.contentHash, hash, x.timeMs, x.agency, x.subject, x.purpose, x.caseRef, x.outcome, x.httpStatus, x.hasDenial, r.content);
            for (const e of x.entities) insertEntity.run(r.id, e.type, e.key, e.owner);
            for (const d of x.denials) insertDenial.run(r.id, d.kind, d.reason, d.path);
            prev = hash;
            last = { id: r.id, chain, seq, hash };
            out.push(last);
          }
          if (last) saveHead.run(chain, last.seq, last.hash, last.id);
          return out;
        })
        .immediate();
    });
  }

  async heads(): Promise<ChainHead[]> {
    return this.run('read heads', (db) => db.prepare('SELECT chain, seq, hash, id FROM audit_head ORDER BY chain').all() as ChainHead[]);
  }

  async chains(): Promise<string[]> {
    return this.run('read chains', (db) =>
      db.prepare('SELECT chain FROM audit_head UNION SELECT DISTINCT chain FROM audit_record ORDER BY 1').pluck().all() as string[],
    );
  }

  async readChain(chain: string, afterSeq: number, limit: number): Promise<StoredRow[]> {
    return this.run('read chain', (db) => {
      const rows = db
        .prepare(`SELECT ${RECORD_COLUMNS} FROM audit_record r WHERE r.chain = ? AND r.seq > ? ORDER BY r.seq LIMIT ?`)
        .all(chain, afterSeq, limit) as Record<string, unknown>[];
      return this.attachIndex(db, rows);
    });
  }

  async seqOfHash(chain: string, hash: string): Promise<number | null> {
    return this.run('find hash', (db) => {
      const seq = db.prepare('SELECT seq FROM audit_record WHERE chain = ? AND hash = ? LIMIT 1').pluck().get(chain, hash);
      return typeof seq === 'number' ? seq : null;
    });
  }

  async queryPage(filter: AuditFilter, after: { timeMs: number; id: string } | null, limit: number): Promise<StoredRow[]> {
    return this.run('query', (db) => {
      const { bind, params } = positional();
      const sql = queryPageSql(filter, after, limit, bind, T);
      return this.attachIndex(db, db.prepare(sql).all(...params) as Record<string, unknown>[]);
    });
  }

  async stats(filter: AuditStatsFilter): Promise<AuditStats> {
    return this.run('stats', (db) => {
      const q = statsSql(filter, positional, T);
      const all = (x: { sql: string; params: unknown[] }) => db.prepare(x.sql).all(...x.params) as Record<string, unknown>[];
      return foldStats(filter, all(q.perAgency), all(q.entities), all(q.denials));
    });
  }

  async ping(): Promise<void> {
    // Take and release the write lock: a reader would succeed while writes are blocked.
    this.run('ping', (db) => {
      db.exec('BEGIN IMMEDIATE');
      db.exec('ROLLBACK');
    });
  }

  async close(): Promise<void> {
    this.drop();
  }

  private attachIndex(db: Database.Database, rows: Record<string, unknown>[]): StoredRow[] {
    if (rows.length === 0) return [];
    const ids = rows.map((r) => String(r.id));
    const marks = ids.map(() => '?').join(',');
    const grouped = groupIndexRows(
      db.prepare(`SELECT record_id, type, key, owner FROM audit_entity WHERE record_id IN (${marks})`).all(...ids) as Record<string, unknown>[],
      db.prepare(`SELECT record_id, kind, reason, path FROM audit_denial WHERE record_id IN (${marks})`).all(...ids) as Record<string, unknown>[],
    );
    return rows.map((r) => rowToStored(r, grouped.entities.get(String(r.id)) ?? [], grouped.denials.get(String(r.id)) ?? []));
  }
}

function positional(): { bind: Bind; params: unknown[] } {
  const params: unknown[] = [];
  return {
    params,
    bind: (v) => {
      params.push(v);
      return '?';
    },
  };
}

function duplicate(id: string): Error {
  return new AuditUnavailableError('duplicate_id', `audit id ${id} is already in the trail; the gateway must assign unique ids`);
}

function unavailable(message: string, cause: unknown): AuditUnavailableError {
  const detail = cause instanceof Error ? cause.message : String(cause);
  return new AuditUnavailableError('store_unavailable', `${message}: ${detail}`, { cause });
}
