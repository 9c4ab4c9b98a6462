/**
 * What runs inside the SQLite writer thread (started by `sqlite-writer.ts` through
 * `sqlite-writer-entry.js`): it owns its own connection and answers one request at a
 * time — append a batch, ping (take and release the write lock), close.
 *
 * Before every use of the connection — and before opening it — the trail's three files are
 * checked against the identities the store pinned (`trail-files.ts`): a file removed,
 * replaced, unwritable, truncated or with a broken header fails the request with that fault,
 * and SQLite is not touched at all (touching an unwritable or truncated `-shm` mapping is a
 * SIGBUS for the whole process, not an error). The connection is kept meanwhile: once the
 * files check out again they are the very files it has open, so it simply carries on.
 * Any other database failure closes the connection (when closing is safe), so the next
 * request reopens it: a store that comes back is used again without restarting anything.
 *
 * Replies carry plain data only (structured clone drops Error subclasses); the main
 * thread turns failures into `AuditUnavailableError` (`TrailFaultError` for a fault).
 * The same core (`createSqliteWriterCore`) also runs on the main thread, on a connection of
 * its own, for the inline commits of an idle gateway (`SqliteWriter.appendInline`).
 */
import type { MessagePort } from 'node:worker_threads';
import type Database from 'better-sqlite3';
import type { PreparedRecord } from './audit-store';
import { appendToSqliteChain, type SqliteAppendOutcome } from './sqlite-append';
import { describeFailure, openSqliteDatabase } from './sqlite-schema';
import { TrailFiles, type TrailFault, type TrailIdentity } from './trail-files';

/** `workerData` of the writer thread. */
export interface SqliteWriterConfig {
  /** Absolute path of the database file. */
  readonly file: string;
  readonly busyTimeoutMs: number;
  /** The trail's files as the store opened them; the thread refuses to write to any other. */
  readonly identity: TrailIdentity;
}

/** A request from the main thread. */
export type SqliteWriterRequest =
  | { readonly id: number; readonly op: 'append'; readonly chain: string; readonly records: readonly PreparedRecord[] }
  | { readonly id: number; readonly op: 'ping' }
  | { readonly id: number; readonly op: 'close' };

/** The writer thread's answer to request `id`. */
export type SqliteWriterReply =
  | { readonly id: number; readonly ok: true; readonly outcomes: SqliteAppendOutcome[] }
  | { readonly id: number; readonly ok: false; readonly message: string; readonly fault?: TrailFault };

/** SQLite result codes that mean the file's content is damaged, not merely unreachable. */
const CORRUPTION_CODES = new Set(['SQLITE_CORRUPT', 'SQLITE_NOTADB']);

/** A writer connection with the trail's fault checks: what the thread runs, usable on any thread. */
export interface SqliteWriterCore {
  /** Appends `records` to `chain` in one transaction; the reply says how it went (never throws). */
  append(id: number, chain: string, records: readonly PreparedRecord[]): SqliteWriterReply;
  /** Takes and releases the write lock (and, after a corruption, runs a quick check). */
  ping(id: number): SqliteWriterReply;
  /** Closes the connection (when closing is safe) and the file handles. */
  close(): void;
}

/** Opens nothing yet: the connection is made on first use and remade after a failure. */
export function createSqliteWriterCore(config: SqliteWriterConfig): SqliteWriterCore {
  const files = new TrailFiles(config.identity);
  let db: Database.Database | null = null;
  // Set when SQLite found the content damaged; a ping then reads the whole file before it
  // reports the trail healthy again, since taking the write lock reads almost nothing.
  let corrupted = false;

  const connection = (): Database.Database => {
    if (db) return db;
    try {
      db = openSqliteDatabase(config.file, config.busyTimeoutMs);
      // 8 MiB of page cache (SQLite's default is 2 MiB): the entity dictionary and the entity
      // index take inserts all over their pages (the index once per entity and second), and on
      // a trail of millions of records those pages would otherwise be read back from the file.
      // Layout 2's exact link index needed 32 MiB; it is gone, and so is that RSS.
      db.pragma('cache_size = -8192');
      return db;
    } catch (error) {
      throw new Error(describeFailure(`cannot open audit database ${config.file}`, error));
    }
  };
  const drop = (): void => {
    // Closing may checkpoint through the -shm mapping: with the WAL index unwritable or
    // truncated that is a SIGBUS, so the connection is left open for the process to release.
    if (!files.safeToClose()) return;
    try {
      db?.close();
    } catch {
      // Already unusable; reopening is what matters.
    }
    db = null;
  };
  const run = (id: number, what: string, work: (db: Database.Database) => SqliteAppendOutcome[]): SqliteWriterReply => {
    const fault = files.check();
    if (fault) return { id, ok: false, message: `audit database ${config.file}: ${what} refused: ${fault.file} file ${fault.kind} (${fault.detail})`, fault };
    let conn: Database.Database;
    try {
      conn = connection();
    } catch (error) {
      return { id, ok: false, message: error instanceof Error ? error.message : String(error) };
    }
    try {
      // A successful append does not clear `corrupted`: it may not have touched the damaged page.
      // Only the health ping's quick_check does.
      const outcomes = work(conn);
      return { id, ok: true, outcomes };
    } catch (error) {
      const code = (error as { code?: unknown } | null)?.code;
      const message = describeFailure(`audit database ${config.file}: ${what} failed`, error);
      drop();
      if (typeof code === 'string' && CORRUPTION_CODES.has(code)) {
        corrupted = true;
        return { id, ok: false, message, fault: { file: 'database', kind: 'corrupted', path: config.file, detail: code } };
      }
      return { id, ok: false, message };
    }
  };

  return {
    append: (id, chain, records) => run(id, 'append', (conn) => appendToSqliteChain(conn, chain, records)),
    // Take and release the write lock: a reader would succeed while writes are blocked.
    ping: (id) =>
      run(id, 'ping', (conn) => {
        conn.exec('BEGIN IMMEDIATE');
        conn.exec('ROLLBACK');
        if (corrupted) {
          const verdict = conn.pragma('quick_check(1)', { simple: true });
          if (verdict !== 'ok') throw Object.assign(new Error(`quick_check: ${String(verdict)}`), { code: 'SQLITE_CORRUPT' });
          corrupted = false;
        }
        return [];
      }),
    close() {
      drop();
      files.close();
    },
  };
}

/** Serves requests arriving on `port` until a `close` request. */
export function serveSqliteWriter(port: MessagePort, config: SqliteWriterConfig): void {
  const core = createSqliteWriterCore(config);
  port.on('message', (request: SqliteWriterRequest) => {
    switch (request.op) {
      case 'append':
        port.postMessage(core.append(request.id, request.chain, request.records));
        return;
      case 'ping':
        port.postMessage(core.ping(request.id));
        return;
      case 'close':
        core.close();
        port.postMessage({ id: request.id, ok: true, outcomes: [] } satisfies SqliteWriterReply);
        port.close();
        return;
    }
  });
}
