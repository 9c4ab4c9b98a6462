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
import { firstPageSize, nextPageSize } from './chain/page-size';
import { sealOfStored } from './chain/record-seal';
import { prepareRecord } from './chain/prepare-record';
import { decodeContent } from './chain/record-content';
import type { VerifyOptions, VerifyReport } from './chain/verify-chain';
import type { CheckpointKind, CheckpointSigner, SignedCheckpoint } from './chain/checkpoint-statement';
import { pruneOlderThan, signHeads, verifyWithCheckpoints, type PruneResult } from './checkpoints';
import type { Retention } from './retention';
import type { JWK } from 'jose';
import { GroupCommit } from './group-commit';
import type { AuditStore, PreparedRecord } from './stores/audit-store';
import { describeTrailFault, TrailFaultError } from './stores/trail-files';

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
  /** Records matching `filter`, ordered by time, then by position in the trail, read page by page. */
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
  /**
   * Signs and stores the head of this writer's chain (`allChains`: of every chain), for
   * publishing elsewhere. Needs a `signer`; resolves with what was signed.
   */
  checkpoint(options?: { readonly kind?: CheckpointKind; readonly allChains?: boolean }): Promise<SignedCheckpoint[]>;
  /**
   * Deletes the records older than `cutoff` (default: the configured retention back from `now`)
   * behind a signed retention checkpoint; needs `signer` and `verifyKeys`.
   */
  prune(cutoff?: Date, now?: Date): Promise<PruneResult[]>;
  /** Flushes what is queued, signs a `shutdown` checkpoint (with a signer), then closes the store. */
  close(): Promise<void>;
  /**
   * Tells the trail when the process has nothing else in hand (the gateway: no request in flight
   * but the one being audited): a record appended then alone may be committed without the
   * writer thread's hand-off (SQLite; a no-op on PostgreSQL). Durability is the same either way.
   */
  inlineWhen(idle: () => boolean): void;
}

/** Options of `createAuditTrail`. */
export interface AuditTrailOptions {
  /** Chain this writer appends to; one per gateway replica. */
  readonly chain: string;
  /** Most records per group commit (default 500). */
  readonly maxBatch?: number;
  /** An append not durable within this many ms fails with `AuditUnavailableError('timeout')` (default 5000). */
  readonly appendTimeoutMs?: number;
  /** Signs checkpoints (the gateway's key); without it the trail signs nothing. */
  readonly signer?: CheckpointSigner;
  /** Public keys `verify` checks signed checkpoints with (unless `verify`'s options give others). */
  readonly verifyKeys?: readonly JWK[];
  /** With a signer: sign this chain's head every so many ms when it moved (0 or absent: only on close). */
  readonly checkpointIntervalMs?: number;
  /** With a signer: prune records older than this on every interval (and on `prune()`). */
  readonly retention?: Retention;
  /** Failures of the background work (interval checkpoints, retention): the gateway logs them. */
  readonly onBackgroundError?: (error: unknown) => void;
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
  const { signer, retention } = options;
  const verifyKeys = options.verifyKeys ?? [];
  /** Head seq of this chain last signed, so an idle gateway does not sign the same head again. */
  let lastSigned = -1;
  const needSigner = (what: string): CheckpointSigner => {
    if (!signer) throw new AuditUnavailableError('no_signer', `audit trail: ${what} needs the gateway's signing key`);
    return signer;
  };
  async function signOwnHead(kind: CheckpointKind): Promise<SignedCheckpoint[]> {
    const s = needSigner('a checkpoint');
    const head = (await store.heads()).find((h) => h.chain === chain);
    if (!head || (kind !== 'export' && head.seq === lastSigned)) return [];
    const signed = await signHeads(store, s, kind, new Date(), [chain]);
    lastSigned = head.seq;
    return signed;
  }
  async function prune(cutoff?: Date, now = new Date()): Promise<PruneResult[]> {
    const s = needSigner('retention');
    const until = cutoff ?? retention?.cutoff(now);
    if (!until) return [];
    return pruneOlderThan(store, s, verifyKeys, until, now);
  }
  // One background round at a time: a round slower than the interval (a slow store) must not
  // overlap the next one, or both would sign the same head.
  let round: Promise<void> | undefined;
  const timer =
    signer && options.checkpointIntervalMs
      ? setInterval(() => {
          if (round) return;
          round = (async () => {
            await signOwnHead('interval');
            if (retention) await prune();
          })()
            .catch((error: unknown) => options.onBackgroundError?.(error))
            .finally(() => {
              round = undefined;
            });
        }, options.checkpointIntervalMs)
      : undefined;
  timer?.unref();

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
      let record: PreparedRecord;
      try {
        record = prepareRecord(event);
      } catch (error) {
        if (error instanceof AuditUnavailableError) throw error;
        throw new AuditUnavailableError('invalid_event', `audit event ${event.id}: ${error instanceof Error ? error.message : String(error)}`);
      }
      return queue.submit(record);
    },

    verify: (verifyOptions = {}) => verifyWithCheckpoints(store, verifyOptions, verifyKeys),

    async checkpoint(opts = {}) {
      if (opts.allChains) return signHeads(store, needSigner('a checkpoint'), opts.kind ?? 'export', new Date());
      return signOwnHead(opts.kind ?? 'export');
    },

    prune,

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

    inlineWhen(idle) {
      store.setInlineHint?.(idle);
    },

    async close() {
      if (closed) return;
      closed = true;
      if (timer) clearInterval(timer);
      await round;
      await queue.close();
      // The last word of a stopping gateway: its head, signed, so a later truncation shows.
      if (signer) await signOwnHead('shutdown').catch((error: unknown) => options.onBackgroundError?.(error));
      await store.close();
    },
  };
}

async function* readAll(store: AuditStore, filter: AuditFilter): AsyncIterable<AuditRecord> {
  // At most 500 records a page, fewer where they released many entities (`page-size.ts`).
  const pageSize = 500;
  let size = firstPageSize(pageSize);
  let left = filter.limit ?? Number.POSITIVE_INFINITY;
  let after: { timeMs: number; pos: number } | null = null;
  while (left > 0) {
    const want = Math.min(size, left);
    const page = await store.queryPage(filter, after, want);
    size = nextPageSize(pageSize, page);
    for (const row of page) {
      if (row.unreadable !== undefined) throw new AuditUnavailableError('store_unavailable', `audit record ${row.id}: ${row.unreadable}; run pactum audit verify`);
      const seal = row.seal ? { seal: sealOfStored(row, row.seal) } : {};
      yield { id: row.id, chain: row.chain, seq: row.seq, hash: row.hash, prevHash: row.prevHash, contentHash: contentHashOf(row.content), ...seal, event: decodeContent(row.content) };
    }
    left -= page.length;
    const last = page[page.length - 1];
    if (!last || page.length < want) return;
    after = { timeMs: Number(last.columns[0]), pos: last.pos };
  }
}

/** Collects an async iterable (convenience for tests and small queries). */
export async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}
