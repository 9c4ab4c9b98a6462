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
import { PRUNE_PAGE_RECORDS } from '../chain/page-size';
import type { EntityRow } from '../chain/record-content';
import { HOUR_MS, MINUTE_MS, StatTally, type StatRow } from '../chain/stat-rows';
import type { AuditStore, ChainHead, PreparedRecord, StatTable, StoreLocation, StoredCheckpoint, StoredRow } from './audit-store';
import { CHECKPOINT_COLUMNS, checkpointParams, toCheckpoint } from './checkpoint-rows';
import { chainPageColumns, edgeRecordsSql, entityIdsSql, entityPage, layoutTables, runEntityPage, queryPageSql, RECORD_COLUMNS, recordRowOf, secondOfSql, SECOND_MS, statSumSql, toStatRow, type Bind, type LinkedEntity } from './filter-sql';
import { computeStats, ShapeBook, toStoredRow, untallyRecords } from './layout-rows';
import { statParams, upsertStatSql } from './sqlite-append';
import { describeFailure, openSqliteDatabase, POS_STRIDE, TrailLayoutError } from './sqlite-schema';
import { SqliteWriter } from './sqlite-writer';
import { pinTrailFiles, TrailFaultError, TrailFiles, unwritableBeforeOpen } from './trail-files';

const T = layoutTables();

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
    if (error instanceof TrailLayoutError) throw new AuditUnavailableError('trail_layout', error.message, { cause: error });
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
  readonly reopen: StoreLocation;
  private statements = new Map<string, Database.Statement>();
  private names: Map<number, string> | null = null;
  /** Entity rows by eid (`linkedEntities`), and the data version they were read at. */
  private readonly entityRows = new Map<number, EntityRow>();
  private entityVersion: unknown = null;
  private readonly shapes = new ShapeBook(() => this.stmt(this.connection(), `SELECT shape, text FROM ${T.shape}`).all() as Record<string, unknown>[]);

  constructor(
    readonly location: string,
    private readonly busyTimeoutMs: number,
    readonly writer: SqliteWriter,
    private readonly files: TrailFiles,
    private db: Database.Database | null,
  ) {
    this.reopen = { kind: 'sqlite', file: location, busyTimeoutMs };
  }

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

  /** `sql` prepared once per connection; `raw` (rows as arrays) is a property of the statement, so raw ones are kept apart. */
  private stmt(db: Database.Database, sql: string, raw = false): Database.Statement {
    const key = raw ? `raw:${sql}` : sql;
    let st = this.statements.get(key);
    if (!st) {
      if (this.statements.size >= STATEMENT_CACHE_SIZE) this.statements.clear();
      st = raw ? db.prepare(sql).raw(true) : db.prepare(sql);
      this.statements.set(key, st);
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
    this.names = null;
    this.shapes.clear();
    this.entityRows.clear();
  }

  /**
   * Groups raw link rows by record position, each with its entity (type, key, owner) and whether
   * the entity index holds its second (false for every link of a record in `unindexed`). Entities
   * come from a cache by eid, valid while no other connection committed (`PRAGMA data_version`:
   * an edit, or retention deleting entities whose eid a new one may take) and cleared by this
   * connection's own prune. A link to an eid that is gone gets an entity with empty fields, which
   * verify names.
   */
  private linkedEntities(db: Database.Database, links: readonly LinkRow[], unindexed: ReadonlySet<number>): Map<number, LinkedEntity[]> {
    const version = this.stmt(db, 'PRAGMA data_version').pluck().get();
    if (version !== this.entityVersion || this.entityRows.size > ENTITY_CACHE_SIZE) {
      this.entityRows.clear();
      this.entityVersion = version;
    }
    const missing = new Set<number>();
    for (const link of links) if (!this.entityRows.has(link[2])) missing.add(link[2]);
    if (missing.size > 0) {
      const found = this.stmt(db, `SELECT eid, type, key, owner FROM ${T.entity} WHERE eid IN (SELECT value FROM json_each(?))`, true).all(JSON.stringify([...missing])) as Array<[number, string, string, string]>;
      for (const [eid, type, key, owner] of found) this.entityRows.set(eid, { type, key, owner });
    }
    const out = new Map<number, LinkedEntity[]>();
    for (const [pos, timeMs, eid] of links) {
      const e = this.entityRows.get(eid) ?? GONE;
      const row = { type: e.type, key: e.key, owner: e.owner, linkTimeMs: timeMs, indexed: !unindexed.has(pos) };
      const list = out.get(pos);
      if (list) list.push(row);
      else out.set(pos, [row]);
    }
    return out;
  }

  /** When a lone record may be committed on the calling thread (see `SqliteWriter.appendInline`). */
  private inlineWhen: () => boolean = () => false;

  setInlineHint(hint: () => boolean): void {
    this.inlineWhen = hint;
  }

  async appendBatch(chain: string, records: readonly PreparedRecord[]): Promise<Array<AuditReceipt | Error>> {
    // A failed write leaves the read connection alone: reads check the files themselves.
    const inline = records.length === 1 && this.inlineWhen() ? this.writer.appendInline(chain, records) : null;
    const outcomes = inline ?? (await this.writer.append(chain, records));
    return outcomes.map((o) => ('duplicate' in o ? duplicate(o.duplicate) : o));
  }

  async ping(): Promise<void> {
    await this.writer.ping();
  }

  async heads(): Promise<ChainHead[]> {
    return this.run('read heads', (db) =>
      this.stmt(db, `SELECT c.chain, h.seq, h.hash, h.id FROM ${T.head} h JOIN ${T.chain} c ON c.chain_no = h.chain_no ORDER BY c.chain`).all() as ChainHead[],
    );
  }

  async chains(): Promise<string[]> {
    return this.run('read chains', (db) => {
      const names = this.chainNames(db, true);
      // Records of a chain number with no name left (its chain row deleted) are still walked, under `#n`.
      const next = this.stmt(db, `SELECT MIN(pos) FROM ${T.record} WHERE pos >= ?`).pluck();
      const out = new Set(names.values());
      for (let at = POS_STRIDE; ; ) {
        const pos = next.get(at) as number | null;
        if (pos === null || pos === undefined) break;
        const no = Math.floor(pos / POS_STRIDE);
        out.add(names.get(no) ?? `#${no}`);
        at = (no + 1) * POS_STRIDE;
      }
      return [...out].sort();
    });
  }

  async readChain(chain: string, afterSeq: number, limit: number, unpack = true): Promise<StoredRow[]> {
    return this.run('read chain', (db) => {
      const no = this.chainNo(db, chain);
      if (no === null) return [];
      const base = no * POS_STRIDE;
      const raw = this.stmt(db, `SELECT ${CHAIN_PAGE_COLUMNS} FROM ${T.record} r WHERE r.pos > ? AND r.pos < ? ORDER BY r.pos LIMIT ?`, true).all(base + afterSeq, base + POS_STRIDE, limit) as unknown[][];
      return this.toStored(db, raw.map(recordRowOf), true, unpack);
    });
  }

  async seqOfHash(chain: string, hash: string): Promise<number | null> {
    return this.run('find hash', (db) => {
      const no = this.chainNo(db, chain);
      if (no === null || !/^[0-9a-f]{64}$/.test(hash)) return null;
      const pos = this.stmt(db, `SELECT pos FROM ${T.record} WHERE pos > ? AND pos < ? AND hash = ? LIMIT 1`).pluck().get(no * POS_STRIDE, (no + 1) * POS_STRIDE, Buffer.from(hash, 'hex'));
      return typeof pos === 'number' ? pos - no * POS_STRIDE : null;
    });
  }

  async queryPage(filter: AuditFilter, after: { timeMs: number; pos: number } | null, limit: number): Promise<StoredRow[]> {
    if (filter.entity === undefined) {
      return this.run('query', (db) => {
        const { bind, params } = positional();
        return this.toStored(db, this.stmt(db, queryPageSql(filter, after, limit, bind, T)).all(...params) as Record<string, unknown>[]);
      });
    }
    const entity = filter.entity;
    // One run: the trail's files are checked once for the page, not once per second of the entity.
    return this.run('query', (db) => {
      const q = positional();
      const ids = this.stmt(db, entityIdsSql(entity.type, entity.key, q.bind, T)).pluck().all(...q.params) as number[];
      if (ids.length === 0) return [];
      const rows = runEntityPage(entityPage(positional, filter, after, limit, T, ids), (s) => this.stmt(db, s.sql).all(...s.params) as Record<string, unknown>[]);
      return this.toStored(db, rows);
    });
  }

  async stats(filter: AuditStatsFilter): Promise<AuditStats> {
    try {
      return await computeStats(filter, {
        sums: async (table, range) =>
          this.run('stats', (db) => {
            const { bind, params } = positional();
            return this.stmt(db, statSumSql(table === 'hour' ? T.statHour : T.statMinute, range, filter, bind)).all(...params) as Record<string, unknown>[];
          }),
        records: async (range) =>
          this.run('stats', (db) => {
            const { bind, params } = positional();
            return this.toStored(db, this.stmt(db, edgeRecordsSql(range, filter, bind, T)).all(...params) as Record<string, unknown>[], false);
          }),
      });
    } catch (error) {
      if (error instanceof AuditUnavailableError) throw error;
      throw unavailable(`audit database ${this.location}: stats failed`, error);
    }
  }

  async aggregates(table: StatTable): Promise<StatRow[]> {
    return this.run('read aggregates', (db) => (this.stmt(db, `SELECT * FROM ${table === 'hour' ? T.statHour : T.statMinute}`).all() as Record<string, unknown>[]).map(toStatRow));
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
      const no = this.chainNo(db, chain);
      if (no === null) return 0;
      const lo = no * POS_STRIDE;
      const hi = lo + POS_STRIDE;
      const young = this.stmt(db, `SELECT MIN(pos) FROM ${T.record} WHERE pos > ? AND pos < ? AND time_ms >= ?`).pluck().get(lo, hi, cutoffMs) as number | null;
      if (young !== null) return young - lo - 1;
      const last = this.stmt(db, `SELECT MAX(pos) FROM ${T.record} WHERE pos > ? AND pos < ?`).pluck().get(lo, hi) as number | null;
      return last === null ? 0 : last - lo;
    });
  }

  async prune(chain: string, throughSeq: number, cp: StoredCheckpoint): Promise<number> {
    // It deletes entities no record links any more; a later one may take a freed eid.
    this.entityRows.clear();
    return this.run('prune', (db) =>
      db
        .transaction(() => {
          const no = this.chainNo(db, chain);
          if (no === null) throw new Error(`no chain ${chain}`);
          const lo = no * POS_STRIDE;
          const hi = lo + throughSeq;
          // The aggregates lose what the deleted records added, tallied from their hashed content.
          const hours = new StatTally(HOUR_MS);
          const minutes = new StatTally(MINUTE_MS);
          const page = this.stmt(db, `SELECT ${RECORD_COLUMNS} FROM ${T.record} r WHERE r.pos > ? AND r.pos <= ? ORDER BY r.pos LIMIT ${PRUNE_PAGE_RECORDS}`);
          for (let at = lo; ; ) {
            const rows = this.toStored(db, page.all(at, hi) as Record<string, unknown>[], false);
            untallyRecords(rows, hours, minutes);
            const last = rows[rows.length - 1];
            if (!last) break;
            at = last.pos;
          }
          for (const [tally, table] of [[hours, T.statHour], [minutes, T.statMinute]] as const) {
            const upsert = this.stmt(db, upsertStatSql(table));
            for (const row of tally.rows.values()) upsert.run(...statParams(row));
            this.stmt(db, `DELETE FROM ${table} WHERE n <= 0`).run();
          }
          // The entity index loses the seconds no remaining record links the entity in; entity keys are
          // personal data too, so one no longer linked to any record goes with the last record that named it.
          const seconds = this.stmt(db, `SELECT DISTINCT eid, ${secondOfSql('time_ms')} AS sec FROM ${T.link} WHERE pos > ? AND pos <= ?`).all(lo, hi) as Array<{ eid: number; sec: number }>;
          this.stmt(db, `DELETE FROM ${T.link} WHERE pos > ? AND pos <= ?`).run(lo, hi);
          const deleted = this.stmt(db, `DELETE FROM ${T.record} WHERE pos > ? AND pos <= ?`).run(lo, hi).changes;
          const unindex = this.stmt(db, UNINDEX_SECOND);
          for (const { eid, sec } of seconds) unindex.run(eid, sec, sec * SECOND_MS, (sec + 1) * SECOND_MS, eid);
          const orphan = this.stmt(db, `DELETE FROM ${T.entity} WHERE eid = ? AND NOT EXISTS (SELECT 1 FROM ${T.entitySecond} WHERE eid = ?)`);
          for (const eid of new Set(seconds.map((s) => s.eid))) orphan.run(eid, eid);
          this.stmt(db, INSERT_CHECKPOINT).run(...checkpointParams(cp));
          return deleted;
        })
        .immediate(),
    );
  }

  async adoptChainStart(chain: string, seq: number, hash: string, id: string): Promise<void> {
    this.run('start chain', (db) =>
      db
        .transaction(() => {
          if (this.chainNo(db, chain) !== null) throw new Error(`chain ${chain} already exists`);
          const no = Number(this.stmt(db, `INSERT INTO ${T.chain} (chain_no, chain) VALUES ((SELECT COALESCE(MAX(chain_no), 0) + 1 FROM ${T.chain}), ?) RETURNING chain_no`).pluck().get(chain));
          this.stmt(db, `INSERT INTO ${T.head} (chain_no, seq, hash, id) VALUES (?, ?, ?, ?)`).run(no, seq, hash, id);
          this.names = null;
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

  /** Chain number → name (reloaded when `fresh` or on a miss). */
  private chainNames(db: Database.Database, fresh = false): Map<number, string> {
    if (fresh || !this.names) {
      const rows = this.stmt(db, `SELECT chain_no, chain FROM ${T.chain}`).all() as Array<{ chain_no: number; chain: string }>;
      this.names = new Map(rows.map((r) => [r.chain_no, r.chain]));
    }
    return this.names;
  }

  private chainNo(db: Database.Database, chain: string): number | null {
    const unnamed = /^#([1-9]\d{0,3})$/.exec(chain);
    if (unnamed) return Number(unnamed[1]);
    for (const fresh of [false, true]) {
      for (const [no, name] of this.chainNames(db, fresh)) if (name === chain) return no;
    }
    return null;
  }

  /** Record rows as stored rows: chain named, content unpacked (see `toStoredRow`'s `unpack`), entity rows attached (unless `withEntities` is false). */
  private toStored(db: Database.Database, rows: Record<string, unknown>[], withEntities = true, unpack = true): StoredRow[] {
    if (rows.length === 0) return [];
    let entities = new Map<number, LinkedEntity[]>();
    if (withEntities) {
      const positions = rows.map((r) => Number(r.pos));
      // A range only for a run of neighbours (a chain page); a query's records lie all over the trail.
      const sorted = rows.length > 1 && positions.every((p, i) => i === 0 || p > (positions[i - 1] ?? 0)) && (positions[positions.length - 1] ?? 0) - (positions[0] ?? 0) < 2 * rows.length;
      const where = sorted ? 'l.pos >= ? AND l.pos <= ?' : `l.pos IN (${positions.map(() => '?').join(',')})`;
      const params = sorted ? [positions[0], positions[positions.length - 1]] : positions;
      // Rows as arrays (`raw`): a page of links is thousands of rows, and named objects cost more to build than these are read.
      const links = this.stmt(db, `SELECT l.pos, l.time_ms, l.eid FROM ${T.link} l WHERE ${where}`, true).all(...params) as LinkRow[];
      // The records with a link whose second the entity index lacks (usually none): checked in SQL, no row per link.
      const unindexed = new Set(
        this.stmt(db, `SELECT DISTINCT l.pos FROM ${T.link} l WHERE ${where} AND NOT EXISTS (SELECT 1 FROM ${T.entitySecond} s WHERE s.eid = l.eid AND s.sec = ${secondOfSql('l.time_ms')})`)
          .pluck()
          .all(...params) as number[],
      );
      entities = this.linkedEntities(db, links, unindexed);
    }
    let names = this.chainNames(db);
    return rows.map((r) => {
      const pos = Number(r.pos);
      const no = Math.floor(pos / POS_STRIDE);
      if (!names.has(no)) names = this.chainNames(db, true);
      return toStoredRow(r, names.get(no) ?? `#${no}`, pos - no * POS_STRIDE, entities.get(pos) ?? [], this.shapes.shape(Number(r.shape)), unpack);
    });
  }
}

/** The record columns of a chain page, its hashes as SQLite's hex. */
const CHAIN_PAGE_COLUMNS = chainPageColumns((column) => `lower(hex(${column}))`);

/** A link row read raw: pos, time_ms, eid. */
type LinkRow = [number, number, number];

/** What a link to a deleted entity row reads as. */
const GONE: EntityRow = { type: '', key: '', owner: '' };

/** Entity rows kept by eid between reads (`SqliteStore.entityRows`). */
const ENTITY_CACHE_SIZE = 200_000;

/** Deletes an (eid, sec) row of the entity index unless a record of that second still links the entity. */
const UNINDEX_SECOND = `DELETE FROM ${T.entitySecond} WHERE eid = ? AND sec = ? AND NOT EXISTS (
  SELECT 1 FROM ${T.record} r WHERE r.time_ms >= ? AND r.time_ms < ? AND EXISTS (SELECT 1 FROM ${T.link} l WHERE l.pos = r.pos AND l.eid = ?))`;

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
