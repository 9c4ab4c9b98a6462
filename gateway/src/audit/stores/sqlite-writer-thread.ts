/**
 * What runs inside the SQLite writer thread (started by `sqlite-writer.ts` through
 * `sqlite-writer-entry.js`): it owns its own connection and answers one request at a
 * time — append a batch, ping (take and release the write lock), close. Any database
 * failure closes the connection, so the next request reopens it: a store that comes
 * back is used again without restarting anything.
 *
 * Replies carry plain data only (structured clone drops Error subclasses); the main
 * thread turns failures into `AuditUnavailableError`.
 */
import type { MessagePort } from 'node:worker_threads';
import type Database from 'better-sqlite3';
import type { PreparedRecord } from './audit-store';
import { appendToSqliteChain, type SqliteAppendOutcome } from './sqlite-append';
import { describeFailure, openSqliteDatabase } from './sqlite-schema';

/** `workerData` of the writer thread. */
export interface SqliteWriterConfig {
  /** Absolute path of the database file. */
  readonly file: string;
  readonly busyTimeoutMs: number;
}

/** A request from the main thread. */
export type SqliteWriterRequest =
  | { readonly id: number; readonly op: 'append'; readonly chain: string; readonly records: readonly PreparedRecord[] }
  | { readonly id: number; readonly op: 'ping' }
  | { readonly id: number; readonly op: 'close' };

/** The writer thread's answer to request `id`. */
export type SqliteWriterReply =
  | { readonly id: number; readonly ok: true; readonly outcomes: SqliteAppendOutcome[] }
  | { readonly id: number; readonly ok: false; readonly message: string };

/** Serves requests arriving on `port` until a `close` request. */
export function serveSqliteWriter(port: MessagePort, config: SqliteWriterConfig): void {
  let db: Database.Database | null = null;

  const connection = (): Database.Database => {
    if (db) return db;
    try {
      db = openSqliteDatabase(config.file, config.busyTimeoutMs);
      return db;
    } catch (error) {
      throw new Error(describeFailure(`cannot open audit database ${config.file}`, error));
    }
  };
  const drop = (): void => {
    try {
      db?.close();
    } catch {
      // Already unusable; reopening is what matters.
    }
    db = null;
  };
  const run = (id: number, what: string, work: (db: Database.Database) => SqliteAppendOutcome[]): SqliteWriterReply => {
    let conn: Database.Database;
    try {
      conn = connection();
    } catch (error) {
      return { id, ok: false, message: error instanceof Error ? error.message : String(error) };
    }
    try {
      return { id, ok: true, outcomes: work(conn) };
    } catch (error) {
      drop();
      return { id, ok: false, message: describeFailure(`audit database ${config.file}: ${what} failed`, error) };
    }
  };

  port.on('message', (request: SqliteWriterRequest) => {
    switch (request.op) {
      case 'append':
        port.postMessage(run(request.id, 'append', (conn) => appendToSqliteChain(conn, request.chain, request.records)));
        return;
      case 'ping':
        // Take and release the write lock: a reader would succeed while writes are blocked.
        port.postMessage(
          run(request.id, 'ping', (conn) => {
            conn.exec('BEGIN IMMEDIATE');
            conn.exec('ROLLBACK');
            return [];
          }),
        );
        return;
      case 'close':
        drop();
        port.postMessage({ id: request.id, ok: true, outcomes: [] } satisfies SqliteWriterReply);
        port.close();
        return;
    }
  });
}
