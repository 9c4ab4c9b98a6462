/**
 * The audit trail the gateway talks to: validates each event, hashes its canonical
 * content, and hands it to the store through group commit. `append` resolves only once
 * the record is committed durably; otherwise it rejects with `AuditUnavailableError`
 * and the gateway answers 503 with no data.
 */
import { AuditUnavailableError } from '../errors';
import type { AuditEvent, AuditReceipt, AuditRecord } from './audit-event';
import { checkFilter, type AuditFilter, type AuditStats, type AuditStatsFilter } from './audit-filter';
import { contentHashOf } from './chain/chain-hash';
import { decodeContent, deriveIndexRows, encodeContent } from './chain/record-content';
import { verifyChains, type VerifyOptions, type VerifyReport } from './chain/verify-chain';
import { GroupCommit } from './group-commit';
import type { AuditStore, PreparedRecord } from './stores/audit-store';
import { describeTrailFault, TrailFaultError } from './stores/trail-files';
import { validateAuditEvent } from './validate-event';

/** The audit trail. */
export interface AuditTrail {
  /** Which store and where (`sqlite:/path` or a redacted postgres URL). */
  readonly location: string;
  /** This writer's chain (replica id). */
  readonly chain: string;
  /** Appends one record; resolves once durable, rejects with `AuditUnavailableError` otherwise. */
  append(event: AuditEvent): Promise<AuditReceipt>;
  /** Walks the hash chains and names the first bad record. */
  verify(options?: VerifyOptions): Promise<VerifyReport>;
  /** Records matching `filter`, ordered by time then id, read page by page. */
  query(filter?: AuditFilter): AsyncIterable<AuditRecord>;
  /** Requests, releases and denials per agency and reason. */
  stats(filter?: AuditStatsFilter): Promise<AuditStats>;
  /** True when the store answers now (for `/readyz`). */
  health(): Promise<boolean>;
  /**
   * Why the store cannot take a record now, in a few path-free words (`trail shm file
   * unwritable`, `store unavailable`), or null when it can: what `/readyz` shows.
   */
  healthProblem(): Promise<string | null>;
  /** Flushes what is queued, then closes the store. */
  close(): Promise<void>;
}

/** Options of `createAuditTrail`. */
export interface AuditTrailOptions {
  /** Chain this writer appends to; one per gateway replica. */
  readonly chain: string;
  /** Most records per group commit (default 500). */
  readonly maxBatch?: number;
  /** An append not durable within this many ms fails with `AuditUnavailableError('timeout')` (default 5000). */
  readonly appendTimeoutMs?: number;
}

/** Wraps an opened store in the trail API. */
export function createAuditTrail(store: AuditStore, options: AuditTrailOptions): AuditTrail {
  const { chain } = options;
  const queue = new GroupCommit<PreparedRecord, AuditReceipt>({
    flush: (records) => store.appendBatch(chain, records),
    ...(options.maxBatch !== undefined ? { maxBatch: options.maxBatch } : {}),
    ...(options.appendTimeoutMs !== undefined ? { timeoutMs: options.appendTimeoutMs } : {}),
  });
  let closed = false;

  async function healthProblem(): Promise<string | null> {
    try {
      await store.ping();
      return null;
    } catch (error) {
      return error instanceof TrailFaultError ? `trail ${describeTrailFault(error.fault)}` : 'store unavailable';
    }
  }

  return {
    location: `${store.kind}:${store.location}`,
    chain,

    async append(event) {
      const valid = validateAuditEvent(event);
      let content: string;
      try {
        content = encodeContent(valid);
      } catch (error) {
        throw new AuditUnavailableError('invalid_event', `audit event ${valid.id}: ${error instanceof Error ? error.message : String(error)}`);
      }
      return queue.submit({ id: valid.id, content, contentHash: contentHashOf(content), index: deriveIndexRows(valid) });
    },

    verify: (verifyOptions) => verifyChains(store, verifyOptions),

    query(filter = {}) {
      checkFilter(filter);
      return readAll(store, filter);
    },

    stats(filter = {}) {
      checkFilter(filter);
      return store.stats(filter);
    },

    healthProblem,

    async health() {
      return (await healthProblem()) === null;
    },

    async close() {
      if (closed) return;
      closed = true;
      await queue.close();
      await store.close();
    },
  };
}

async function* readAll(store: AuditStore, filter: AuditFilter): AsyncIterable<AuditRecord> {
  const pageSize = 500;
  let left = filter.limit ?? Number.POSITIVE_INFINITY;
  let after: { timeMs: number; id: string } | null = null;
  while (left > 0) {
    const page = await store.queryPage(filter, after, Math.min(pageSize, left));
    for (const row of page) {
      yield { id: row.id, chain: row.chain, seq: row.seq, hash: row.hash, prevHash: row.prevHash, contentHash: row.contentHash, event: decodeContent(row.content) };
    }
    left -= page.length;
    const last = page[page.length - 1];
    if (!last || page.length < Math.min(pageSize, left + page.length)) return;
    after = { timeMs: Number(last.columns[0]), id: last.id };
  }
}

/** Collects an async iterable (convenience for tests and small queries). */
export async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}
