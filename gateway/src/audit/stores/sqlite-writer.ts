/**
 * The main thread's handle on the SQLite writer thread. better-sqlite3 is synchronous:
 * run on the event loop, every group-commit flush (inserts plus the `synchronous=FULL`
 * fsync, or a wait for another process's write lock) would stop every request for its
 * duration and keep batches tiny. The writer thread owns its own connection and runs the
 * append transaction there; the main thread only posts the batch and awaits the reply, so
 * it keeps serving — and queueing the next batch — while the commit runs.
 *
 * Durability is unchanged: a batch's promise resolves only when the thread's commit has
 * returned. If the thread dies, or does not answer within `timeoutMs`, every pending
 * request rejects with `AuditUnavailableError` at once and the thread is dropped; the
 * next request starts a fresh one. The thread is started on first use (reads never need
 * it) and keeps the process alive only while requests are pending.
 *
 * The thread is never `terminate()`d: terminating a worker while better-sqlite3 is inside
 * a statement that then fails aborts the whole process (`v8::ToLocalChecked Empty
 * MaybeLocal` in `Database::ThrowSqliteError`, better-sqlite3 issue #842 — seen here with
 * a worker waiting for a busy lock). A thread that is late is retired instead: it gets a
 * `close` request queued behind its current one and ends by itself when that returns.
 */
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { AuditUnavailableError } from '../../errors';
import type { PreparedRecord } from './audit-store';
import type { SqliteAppendOutcome } from './sqlite-append';
import { createSqliteWriterCore, type SqliteWriterConfig, type SqliteWriterCore, type SqliteWriterReply, type SqliteWriterRequest } from './sqlite-writer-thread';
import { TrailFaultError } from './trail-files';

const ENTRY = path.join(__dirname, 'sqlite-writer-entry.js');

/** The writer thread's young generation, MiB. */
const WRITER_YOUNG_GENERATION_MB = 4;

/** Options of the writer. */
export interface SqliteWriterOptions extends SqliteWriterConfig {
  /** A request the thread has not answered within this many ms fails and the thread is replaced. */
  readonly timeoutMs: number;
}

interface Pending {
  readonly resolve: (outcomes: SqliteAppendOutcome[]) => void;
  readonly reject: (error: Error) => void;
  readonly timer: NodeJS.Timeout;
}

type Body = { op: 'append'; chain: string; records: readonly PreparedRecord[] } | { op: 'ping' } | { op: 'close' };

/** Runs SQLite writes on a worker thread; see the file comment. */
export class SqliteWriter {
  private worker: Worker | null = null;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private closed = false;
  /** This thread's own writer connection, for {@link appendInline} (opened on first use). */
  private inline: SqliteWriterCore | null = null;

  constructor(private readonly options: SqliteWriterOptions) {}

  /** The running writer thread, if any (for diagnostics and tests). */
  get thread(): Worker | null {
    return this.worker;
  }

  /** Appends `records` to `chain` in one transaction on the writer thread; resolves after its commit. */
  append(chain: string, records: readonly PreparedRecord[]): Promise<SqliteAppendOutcome[]> {
    return this.request({ op: 'append', chain, records });
  }

  /**
   * Appends on the calling thread, when the writer thread has nothing in hand: one commit and no
   * hand-off either way. With the gateway idle but for the request being audited, the hand-off
   * to the thread and back cost about as much CPU as the commit itself (~0.2 ms of ~0.6 ms at one
   * connection), while blocking the event loop for the commit delays nobody. Same files check,
   * same transaction (`sqlite-writer-thread.ts`'s core), on a connection that never waits for
   * the write lock. Returns null, having written nothing, when the thread is busy, the lock is
   * held by another process, or anything at all failed: the caller then hands the batch to the
   * thread, whose path reports every failure — inline is an optimisation, never a second way
   * to fail.
   */
  appendInline(chain: string, records: readonly PreparedRecord[]): SqliteAppendOutcome[] | null {
    if (this.closed || this.pending.size > 0) return null;
    this.inline ??= createSqliteWriterCore({ file: this.options.file, busyTimeoutMs: 0, identity: this.options.identity });
    const reply = this.inline.append(0, chain, records);
    return reply.ok ? reply.outcomes : null;
  }

  /** Takes and releases the write lock on the writer's connection. */
  async ping(): Promise<void> {
    await this.request({ op: 'ping' });
  }

  /** Lets the thread finish its current request and close its connection; it then ends by itself. */
  async close(): Promise<void> {
    this.closed = true;
    this.inline?.close();
    this.inline = null;
    const worker = this.worker;
    if (!worker) return;
    const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
    try {
      await this.send(worker, { op: 'close' });
    } catch {
      // Dead, or late and now retired: it ends (or has ended) on its own.
      return;
    }
    this.worker = null;
    // The thread closes its port right after answering; wait for it to be gone, holding
    // the process open meanwhile (unref'd, the process could exit under the caller's feet).
    worker.ref();
    await exited;
  }

  private request(body: Body): Promise<SqliteAppendOutcome[]> {
    if (this.closed) return Promise.reject(new AuditUnavailableError('closed', 'the audit trail is closed'));
    let worker: Worker;
    try {
      worker = this.worker ?? this.start();
    } catch (error) {
      return Promise.reject(new AuditUnavailableError('store_unavailable', `cannot start the audit writer thread: ${message(error)}`, { cause: error }));
    }
    return this.send(worker, body);
  }

  private send(worker: Worker, body: Body): Promise<SqliteAppendOutcome[]> {
    const id = this.nextId++;
    return new Promise<SqliteAppendOutcome[]>((resolve, reject) => {
      const timer = setTimeout(() => {
        // Everything queued behind a request that hangs would hang too: retire the thread.
        if (!this.fail(worker, new AuditUnavailableError('timeout', `the audit writer for ${this.options.file} did not answer within ${this.options.timeoutMs} ms`))) return;
        try {
          worker.postMessage({ id: 0, op: 'close' } satisfies SqliteWriterRequest);
        } catch {
          // Already gone.
        }
      }, this.options.timeoutMs);
      if (this.pending.size === 0) worker.ref();
      this.pending.set(id, { resolve, reject, timer });
      try {
        worker.postMessage({ id, ...body } as SqliteWriterRequest);
      } catch (error) {
        this.settle(worker, id)?.reject(new AuditUnavailableError('store_unavailable', `cannot reach the audit writer thread: ${message(error)}`, { cause: error }));
      }
    });
  }

  private start(): Worker {
    const config: SqliteWriterConfig = { file: this.options.file, busyTimeoutMs: this.options.busyTimeoutMs, identity: this.options.identity };
    // execArgv cleared: the entry loads its TypeScript through tsx's own API, and a second
    // copy of the parent's `--import tsx` loader would only slow the start.
    // A small young generation: what the writer allocates (the records it is handed, their rows)
    // dies within one commit, and V8's default (as large as the main thread's) is RSS for nothing.
    const worker = new Worker(ENTRY, { workerData: config, execArgv: [], name: 'pactum-audit-writer', resourceLimits: { maxYoungGenerationSizeMb: WRITER_YOUNG_GENERATION_MB } });
    worker.unref();
    worker.on('message', (reply: SqliteWriterReply) => {
      const p = this.settle(worker, reply.id);
      if (!p) return;
      if (reply.ok) p.resolve(reply.outcomes);
      else p.reject(reply.fault ? new TrailFaultError(reply.fault) : new AuditUnavailableError('store_unavailable', reply.message));
    });
    worker.on('error', (error) => this.fail(worker, new AuditUnavailableError('store_unavailable', `the audit writer thread failed: ${message(error)}`, { cause: error })));
    worker.on('exit', (code) => this.fail(worker, new AuditUnavailableError('store_unavailable', `the audit writer thread stopped (exit code ${code})`)));
    this.worker = worker;
    return worker;
  }

  /** Removes request `id` of `worker` from the pending set (null if it is not the current thread's or already settled). */
  private settle(worker: Worker, id: number): Pending | null {
    if (worker !== this.worker) return null;
    const p = this.pending.get(id);
    if (!p) return null;
    clearTimeout(p.timer);
    this.pending.delete(id);
    if (this.pending.size === 0) worker.unref();
    return p;
  }

  /** Drops `worker` (if still current; returns whether it was) and rejects everything pending on it. */
  private fail(worker: Worker, error: AuditUnavailableError): boolean {
    if (worker !== this.worker) return false;
    this.worker = null;
    worker.unref(); // a thread on its way out must not keep the process alive
    const all = [...this.pending.values()];
    this.pending.clear();
    for (const p of all) {
      clearTimeout(p.timer);
      p.reject(error);
    }
    return true;
  }
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
