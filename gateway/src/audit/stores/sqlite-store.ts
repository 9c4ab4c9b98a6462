/**
 * The embedded store: one SQLite file in WAL mode with `synchronous=FULL`, so a commit
 * returns only after the WAL is fsynced — the record survives a power cut, not only a
 * crash of the process (NORMAL would risk the last commits on power loss, which the
 * "durable before the response leaves" rule does not allow). Group commit upstream
 * keeps that cheap: one fsync per batch.
 *
 * Two connections, two threads. Appends (and `ping`, which takes the write lock) run on
 * a writer thread with its own connection (`sqlite-writer.ts`): better-sqlite3 is
 * synchronous, and on the event loop each batch's inserts and fsync — or a wait of up to
 * `busyTimeoutMs` for another process's write lock — would stall every request. Here the
 * main thread keeps serving and queueing the next batch while the writer commits, and an
 * append still resolves only after the writer's commit returned. Reads (verify, query,
 * stats, heads) stay on the main thread's connection: WAL lets them run beside the writer.
 * After any failure the failing connection is closed and reopened on next use (a dead or
 * hung writer thread is replaced), so a store that comes back is used again without a
 * restart.
 *
 * File identity, not just a handle: at open the database, `-wal` and `-shm` files are
 * pinned (device + inode, `trail-files.ts`) and both threads check them before every use
 * of a connection. A trail removed, replaced, unwritable, truncated or corrupted fails with
 * `TrailFaultError` (503) and nothing is written; when the very same files are back, the
 * store carries on. A different file at the path is never adopted: a chain does not
 * silently restart in an empty file. The read connection is also the one that keeps the
 * writer's connection from being the process's last (whose close would checkpoint through
 * a possibly unwritable `-shm` mapping), so it is closed only with the store.
 */
import path from 'node:path';
import type Database from 'better-sqlite3';
import { AuditUnavailableError } from '../../errors';
import type { AuditReceipt } from '../audit-event';
import type { AuditFilter, AuditStats, AuditStatsFilter } from '../audit-filter';
import type { AuditStore, ChainHead, PreparedRecord, StoredCheckpoint, StoredRow } from './audit-store';
import { CHECKPOINT_COLUMNS, checkpointParams, toCheckpoint } from './checkpoint-rows';
import { foldStats, groupIndexRows, queryPageSql, RECORD_COLUMNS, rowToStored, statsSql, type Bind } from './filter-sql';
import { describeFailure, openSqliteDatabase, SQLITE_TABLES as T } from './sqlite-schema';
import { SqliteWriter } from './sqlite-writer';
import { pinTrailFiles, TrailFaultError, TrailFiles, unwritableBeforeOpen } from './trail-files';

/** Most distinct read statements kept prepared per connection (query SQL varies with the filter). */
const STATEMENT_CACHE_SIZE = 200;

/** Options of the SQLite store. */
export interface SqliteStoreOptions {
  /** Database file; its directory is created if missing. */
  readonly file: string;
  /** How long a write waits for another connection's lock before failing (ms, default 1000). */
  readonly busyTimeoutMs?: number;
  /** A writer-thread request not answered within this many ms fails and the thread is replaced (default 5000). */
  readonly writeTimeoutMs?: number;
}

/** The SQLite store, with a handle on its writer thread. */
export interface SqliteAuditStore extends AuditStore {
  /** The thread appends run on (started on first write; for diagnostics and tests). */
  readonly writer: SqliteWriter;
}

/** Opens (creating if needed) the SQLite audit store; rejects with `AuditUnavailableError` if it cannot. */
export async function openSqliteStore(options: SqliteStoreOptions): Promise<SqliteAuditStore> {
  const file = path.resolve(options.file);
  const busyTimeoutMs = options.busyTimeoutMs ?? 1000;
  const early = unwritableBeforeOpen(file);
  if (early) throw new TrailFaultError(early);
  let db: Database.Database;
  try {
    db = openSqliteDatabase(file, busyTimeoutMs);
  } catch (error) {
    throw unavailable(`cannot open audit database ${file}`, error);
  }
  let files: TrailFiles;
  try {
    files = new TrailFiles(pinTrailFiles(file));
  } catch (error) {
    db.close();
    throw unavailable(`cannot pin the files of audit database ${file}`, error);
  }
  const writer = new SqliteWriter({ file, busyTimeoutMs, identity: files.identity, timeoutMs: options.writeTimeoutMs ?? 5000 });
  return new SqliteStore(file, busyTimeoutMs, writer, files, db);
}

class SqliteStore implements SqliteAuditStore {
  readonly kind = 'sqlite';
  private statements = new Map<string, Database.Statement>();

  constructor(
    readonly location: string,
    private readonly busyTimeoutMs: number,
    readonly writer: SqliteWriter,
    private readonly files: TrailFiles,
    private db: Database.Database | null,
  ) {}

  /** The main thread's (read) connection, reopening after a failure. */
  private connection(): Database.Database {
    if (this.db) return this.db;
    try {
      this.db = openSqliteDatabase(this.location, this.busyTimeoutMs);
      return this.db;
    } catch (error) {
      throw unavailable(`cannot open audit database ${this.location}`, error);
    }
  }

  /** `sql` prepared once per connection. */
  private stmt(db: Database.Database, sql: string): Database.Statement {
    let st = this.statements.get(sql);
    if (!st) {
      if (this.statements.size >= STATEMENT_CACHE_SIZE) this.statements.clear();
      st = db.prepare(sql);
      this.statements.set(sql, st);
    }
    return st;
  }

  /**
   * Runs `work` once the trail's files check out (a read of a replaced file would answer
   * from another trail; one of an unwritable `-shm` would be a SIGBUS); on a database error
   * drops the connection so the next call reopens it.
   */
  private run<R>(what: string, work: (db: Database.Database) => R): R {
    const fault = this.files.check();
    if (fault) throw new TrailFaultError(fault);
    const db = this.connection();
    try {
      return work(db);
    } catch (error) {
      this.drop();
      throw unavailable(`audit database ${this.location}: ${what} failed`, error);
    }
  }

  private drop(): void {
    // See the file comment: never close through an unwritable or truncated -shm mapping.
    if (!this.files.safeToClose()) return;
    try {
      this.db?.close();
    } catch {
      // The connection is already unusable; reopening is what matters.
    }
    this.db = null;
    this.statements = new Map();
  }

  async appendBatch(chain: string, records: readonly PreparedRecord[]): Promise<Array<AuditReceipt | Error>> {
    // A failed write leaves the read connection alone: reads check the files themselves.
    const outcomes = await this.writer.append(chain, records);
    return outcomes.map((o) => ('duplicate' in o ? duplicate(o.duplicate) : o));
  }

  async ping(): Promise<void> {
    await this.writer.ping();
  }

  async heads(): Promise<ChainHead[]> {
    return this.run('read heads', (db) => this.stmt(db, 'SELECT chain, seq, hash, id FROM audit_head ORDER BY chain').all() as ChainHead[]);
  }

  async chains(): Promise<string[]> {
    return this.run('read chains', (db) => {
      const rows = this.stmt(db, 'SELECT chain FROM audit_head UNION SELECT DISTINCT chain FROM audit_record ORDER BY 1').all() as Array<{ chain: string }>;
      return rows.map((r) => r.chain);
    });
  }

  async readChain(chain: string, afterSeq: number, limit: number): Promise<StoredRow[]> {
    return this.run('read chain', (db) => {
      const rows = this.stmt(db, `SELECT ${RECORD_COLUMNS} FROM audit_record r WHERE r.chain = ? AND r.seq > ? ORDER BY r.seq LIMIT ?`).all(chain, afterSeq, limit) as Record<
        string,
        unknown
      >[];
      return this.attachIndex(db, rows);
    });
  }

  async seqOfHash(chain: string, hash: string): Promise<number | null> {
    return this.run('find hash', (db) => {
      const row = this.stmt(db, 'SELECT seq FROM audit_record WHERE chain = ? AND hash = ? LIMIT 1').get(chain, hash) as { seq: unknown } | undefined;
      return typeof row?.seq === 'number' ? row.seq : null;
    });
  }

  async queryPage(filter: AuditFilter, after: { timeMs: number; id: string } | null, limit: number): Promise<StoredRow[]> {
    return this.run('query', (db) => {
      const { bind, params } = positional();
      const sql = queryPageSql(filter, after, limit, bind, T);
      return this.attachIndex(db, this.stmt(db, sql).all(...params) as Record<string, unknown>[]);
    });
  }

  async stats(filter: AuditStatsFilter): Promise<AuditStats> {
    return this.run('stats', (db) => {
      const q = statsSql(filter, positional, T);
      const all = (x: { sql: string; params: unknown[] }) => this.stmt(db, x.sql).all(...x.params) as Record<string, unknown>[];
      return foldStats(filter, all(q.perAgency), all(q.entities), all(q.denials));
    });
  }

  async checkpoints(): Promise<StoredCheckpoint[]> {
    return this.run('read checkpoints', (db) =>
      (this.stmt(db, `SELECT ${CHECKPOINT_COLUMNS} FROM audit_checkpoint ORDER BY chain, seq, pos`).all() as Record<string, unknown>[]).map(toCheckpoint),
    );
  }

  async saveCheckpoint(cp: StoredCheckpoint): Promise<void> {
    this.run('save checkpoint', (db) => {
      this.stmt(db, INSERT_CHECKPOINT).run(...checkpointParams(cp));
    });
  }

  async prunableThrough(chain: string, cutoffMs: number): Promise<number> {
    return this.run('find prunable records', (db) => {
      const young = this.stmt(db, 'SELECT MIN(seq) AS seq FROM audit_record WHERE chain = ? AND time_ms >= ?').get(chain, cutoffMs) as { seq: number | null };
      if (young.seq !== null) return young.seq - 1;
      const last = this.stmt(db, 'SELECT MAX(seq) AS seq FROM audit_record WHERE chain = ?').get(chain) as { seq: number | null };
      return last.seq ?? 0;
    });
  }

  async prune(chain: string, throughSeq: number, cp: StoredCheckpoint): Promise<number> {
    return this.run('prune', (db) =>
      db
        .transaction(() => {
          const ids = `SELECT id FROM audit_record WHERE chain = ? AND seq <= ?`;
          this.stmt(db, `DELETE FROM audit_entity WHERE record_id IN (${ids})`).run(chain, throughSeq);
          this.stmt(db, `DELETE FROM audit_denial WHERE record_id IN (${ids})`).run(chain, throughSeq);
          const deleted = this.stmt(db, 'DELETE FROM audit_record WHERE chain = ? AND seq <= ?').run(chain, throughSeq).changes;
          this.stmt(db, INSERT_CHECKPOINT).run(...checkpointParams(cp));
          return deleted;
        })
        .immediate(),
    );
  }

  async close(): Promise<void> {
    // Writer first: while the read connection is open, the writer's is never the last.
    await this.writer.close();
    this.drop();
    this.files.close();
  }

  private attachIndex(db: Database.Database, rows: Record<string, unknown>[]): StoredRow[] {
    if (rows.length === 0) return [];
    const ids = rows.map((r) => String(r.id));
    const marks = ids.map(() => '?').join(',');
    const grouped = groupIndexRows(
      this.stmt(db, `SELECT record_id, type, key, owner FROM audit_entity WHERE record_id IN (${marks})`).all(...ids) as Record<string, unknown>[],
      this.stmt(db, `SELECT record_id, kind, reason, path FROM audit_denial WHERE record_id IN (${marks})`).all(...ids) as Record<string, unknown>[],
    );
    return rows.map((r) => rowToStored(r, grouped.entities.get(String(r.id)) ?? [], grouped.denials.get(String(r.id)) ?? []));
  }
}

const INSERT_CHECKPOINT = `INSERT INTO audit_checkpoint (${CHECKPOINT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`;

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
  return new AuditUnavailableError('store_unavailable', describeFailure(message, cause), { cause });
}
