/**
 * The contract between the trail (validation, group commit, verification) and a storage
 * engine. A store owns durability and the chain's continuity: `appendBatch` reads the
 * chain head inside its transaction, so whatever happened before (a failed batch, another
 * writer on the same chain) the chain continues from what is actually stored.
 */
import type { AuditReceipt } from '../audit-event';
import type { AuditFilter, AuditStats, AuditStatsFilter } from '../audit-filter';
import type { EntityRow, IndexRows } from '../chain/record-content';
import type { StatRow } from '../chain/stat-rows';

/** A record ready to be chained: canonical content, its hash, its operation shape, its index projection. */
export interface PreparedRecord {
  readonly id: string;
  readonly content: string;
  readonly contentHash: string;
  /** `shapeTextOf(event)`: the dictionary tail the content is compressed with. */
  readonly shape: string;
  readonly index: IndexRows;
  /**
   * Chained without a seal, as layouts 1–3 did (`hash = sha256(prevHash || contentHash || seq)`):
   * only for a record `pactum audit migrate` copies from an older trail, whose hash it keeps.
   */
  readonly unsealed?: true;
}

/** What a sealed record (layout 4) keeps besides its content, as stored: what its seal covers with the index. */
export interface StoredSeal {
  /** The stored content hash, hex (empty when the column is empty). */
  readonly contentHash: string;
  /** sha256 of the content as stored (deflated), hex: what the seal covers of it. */
  readonly storedDigest: string;
  /** sha256 of its shape's text (empty when the shape is missing). */
  readonly shapeDigest: string;
  /** The denial tally (`denialTallyText`). */
  readonly denials: string;
}

/** A record as stored, content unpacked, with its entity rows (what `verify` checks). */
export interface StoredRow {
  /** The record's row number: chain number × 2^40 + seq (its identity in the link tables, and the query cursor). */
  readonly pos: number;
  readonly id: string;
  readonly chain: string;
  readonly seq: number;
  readonly prevHash: string;
  readonly hash: string;
  /** The canonical text (what the content hash covers); empty when `unreadable`. */
  readonly content: string;
  /** Why the stored content could not be unpacked, if it could not. */
  readonly unreadable?: string;
  /** Index columns in `indexColumns` order. */
  readonly columns: readonly unknown[];
  readonly entities: readonly EntityRow[];
  /** Set when an entity link repeats another time than the record's, or its second is missing from the entity index (`--entity` would not find the record). */
  readonly linkIndexBroken?: true;
  /** Present for a sealed record (written by layout 4); absent for one written before, chained without a seal. */
  readonly seal?: StoredSeal;
}

/** Where a store is, as plain data another thread can open it from. */
export type StoreLocation =
  | { readonly kind: 'sqlite'; readonly file: string; readonly busyTimeoutMs: number }
  | { readonly kind: 'postgres'; readonly url: string; readonly schema: string; readonly connectTimeoutMs: number; readonly queryTimeoutMs: number };

/** Which aggregate table. */
export type StatTable = 'hour' | 'minute';

/** The anchor written in the same transaction as a chain's newest record. */
export interface ChainHead {
  readonly chain: string;
  readonly seq: number;
  readonly hash: string;
  readonly id: string;
}

/** A signed checkpoint as stored (see `chain/checkpoint-statement.ts`); the columns repeat the signed payload for lookups. */
export interface StoredCheckpoint {
  readonly chain: string;
  readonly seq: number;
  readonly hash: string;
  readonly id: string;
  readonly kind: string;
  readonly prunedThrough: number;
  readonly signedAtMs: number;
  readonly kid: string;
  readonly jws: string;
}

/** Entity rows by id, kept by a store through one pass over a chain (`readChain`'s `walk`). */
export type ChainWalkMemo = Map<string, readonly [eid: string, type: string, key: string, owner: string]>;

/** A storage engine for the trail. */
export interface AuditStore {
  readonly kind: 'sqlite' | 'postgres';
  /** Where the trail lives, for messages (file path or URL without password). */
  readonly location: string;
  /** How another thread opens the same store (for verify's workers). */
  readonly reopen: StoreLocation;
  /**
   * Appends `records` to `chain` in ONE transaction and resolves once it is committed
   * durably. Per item: its receipt, or an Error when that id is already stored (the
   * others are still written). Rejects (`AuditUnavailableError`) when nothing was written.
   */
  appendBatch(chain: string, records: readonly PreparedRecord[]): Promise<Array<AuditReceipt | Error>>;
  /** Every chain's anchor. */
  heads(): Promise<ChainHead[]>;
  /** Every chain that has records or an anchor. */
  chains(): Promise<string[]>;
  /**
   * Up to `limit` records of `chain` with `seq > afterSeq`, in seq order. `unpack` false leaves a
   * sealed record's content packed (`content` empty; what verify's seal check reads). `walk`, a
   * map the caller keeps for one pass over the chain and then drops, is where the store may keep
   * entity rows it has read, so that each is read once a pass (they change only by an edit, which
   * the next pass then reads).
   */
  readChain(chain: string, afterSeq: number, limit: number, unpack?: boolean, walk?: ChainWalkMemo): Promise<StoredRow[]>;
  /** Seq of the record of `chain` whose link hash is `hash`, if any. */
  seqOfHash(chain: string, hash: string): Promise<number | null>;
  /** A page of records matching `filter`, ordered by (time, pos), strictly after `after`. */
  queryPage(filter: AuditFilter, after: { timeMs: number; pos: number } | null, limit: number): Promise<StoredRow[]>;
  /** Exact counts over the filter, from the aggregate tables (plus the records of partial minutes). */
  stats(filter: AuditStatsFilter): Promise<AuditStats>;
  /** Every row of an aggregate table (for `verify`, which re-tallies them from the records). */
  aggregates(table: StatTable): Promise<StatRow[]>;
  /** Every stored checkpoint, by chain then seq. */
  checkpoints(): Promise<StoredCheckpoint[]>;
  /** Stores a signed checkpoint. */
  saveCheckpoint(checkpoint: StoredCheckpoint): Promise<void>;
  /** The largest seq N of `chain` such that every stored record with seq ≤ N is older than `cutoffMs` (0: none). */
  prunableThrough(chain: string, cutoffMs: number): Promise<number>;
  /**
   * In ONE transaction: deletes the records of `chain` with seq ≤ `throughSeq` and their index
   * rows, and stores `checkpoint` (the signed retention checkpoint of record `throughSeq`).
   * Resolves with the number of records deleted.
   */
  prune(chain: string, throughSeq: number, checkpoint: StoredCheckpoint): Promise<number>;
  /**
   * Starts `chain` after record `seq` whose hash is `hash` (id `id`): the head a chain copied from
   * another trail has when retention had pruned its first records (`pactum audit migrate`).
   * Refuses a chain that already has a head or records.
   */
  adoptChainStart(chain: string, seq: number, hash: string, id: string): Promise<void>;
  /**
   * SQLite: `hint()` true means nothing else is going on in the process, so a lone record may be
   * committed on the calling thread instead of being handed to the writer thread. Absent: no such
   * shortcut (PostgreSQL's commit is a network round trip either way).
   */
  setInlineHint?(hint: () => boolean): void;
  /** Resolves when the store answers; rejects otherwise. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
