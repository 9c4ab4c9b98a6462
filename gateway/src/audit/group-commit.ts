/**
 * Group commit: appends that arrive while a flush is running wait in a queue and go
 * together in the next flush, which starts as soon as the previous one finishes (or
 * holds `maxBatch` records). One transaction, one fsync, many records: durability costs
 * per batch, not per request. With no load a record is flushed on its own at once.
 */
import { AuditUnavailableError } from '../errors';

interface Waiter<T, R> {
  readonly item: T;
  settled: boolean;
  taken: boolean;
  readonly resolve: (r: R) => void;
  readonly reject: (e: Error) => void;
  timer?: NodeJS.Timeout;
}

/** Options of the queue. */
export interface GroupCommitOptions<T, R> {
  /** Writes a batch durably; per item its result or an Error. Rejecting fails the whole batch. */
  readonly flush: (items: readonly T[]) => Promise<Array<R | Error>>;
  /** Most items per flush (default 500). */
  readonly maxBatch?: number;
  /** An item not acknowledged within this many ms is rejected with `AuditUnavailableError('timeout')` (default 5000). */
  readonly timeoutMs?: number;
}

/** A group-commit queue; `submit` resolves once the item's batch is durable. */
export class GroupCommit<T, R> {
  private readonly queue: Waiter<T, R>[] = [];
  private flushing = false;
  private scheduled = false;
  private closed = false;
  private idle: Array<() => void> = [];
  private readonly maxBatch: number;
  private readonly timeoutMs: number;

  constructor(private readonly options: GroupCommitOptions<T, R>) {
    this.maxBatch = options.maxBatch ?? 500;
    this.timeoutMs = options.timeoutMs ?? 5000;
  }

  /** Queues `item`; resolves with its result once durable, rejects if its batch fails or times out. */
  submit(item: T): Promise<R> {
    if (this.closed) return Promise.reject(new AuditUnavailableError('closed', 'the audit trail is closed'));
    return new Promise<R>((resolve, reject) => {
      const waiter: Waiter<T, R> = { item, settled: false, taken: false, resolve, reject };
      waiter.timer = setTimeout(() => {
        if (waiter.settled) return;
        waiter.settled = true;
        // Still queued: drop it so it is never written after the caller was told 503.
        // Already in a running batch: it may still be written — an audited refusal is
        // the safe side of the rule.
        const at = this.queue.indexOf(waiter);
        if (!waiter.taken && at >= 0) this.queue.splice(at, 1);
        reject(new AuditUnavailableError('timeout', `the audit record was not durable within ${this.timeoutMs} ms`));
      }, this.timeoutMs);
      this.queue.push(waiter);
      this.schedule();
    });
  }

  /** Rejects new items and resolves once everything queued has been flushed. */
  async close(): Promise<void> {
    this.closed = true;
    if (!this.flushing && this.queue.length === 0) return;
    await new Promise<void>((resolve) => this.idle.push(resolve));
  }

  private schedule(): void {
    if (this.flushing || this.scheduled) return;
    this.scheduled = true;
    // setImmediate, not a microtask: appends issued in the same turn of the event loop
    // join the first batch instead of each taking its own.
    setImmediate(() => {
      this.scheduled = false;
      void this.run();
    });
  }

  private async run(): Promise<void> {
    if (this.flushing) return;
    this.flushing = true;
    try {
      while (this.queue.length > 0) {
        const batch = this.queue.splice(0, this.maxBatch);
        for (const w of batch) w.taken = true;
        await this.flushBatch(batch);
      }
    } finally {
      this.flushing = false;
      if (this.queue.length > 0) this.schedule();
      else this.idle.splice(0).forEach((f) => f());
    }
  }

  private async flushBatch(batch: Waiter<T, R>[]): Promise<void> {
    let results: Array<R | Error>;
    try {
      results = await this.options.flush(batch.map((w) => w.item));
    } catch (error) {
      const e = error instanceof Error ? error : new AuditUnavailableError('store_unavailable', String(error));
      for (const w of batch) settle(w, () => w.reject(e));
      return;
    }
    batch.forEach((w, i) => {
      const r = results[i];
      if (r === undefined) settle(w, () => w.reject(new AuditUnavailableError('store_unavailable', 'the store returned no result for the record')));
      else if (r instanceof Error) settle(w, () => w.reject(r));
      else settle(w, () => w.resolve(r));
    });
  }
}

function settle<T, R>(w: Waiter<T, R>, act: () => void): void {
  if (w.timer) clearTimeout(w.timer);
  if (w.settled) return;
  w.settled = true;
  act();
}
