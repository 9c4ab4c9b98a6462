/**
 * Turning layout-3 rows back into what the trail works with, the same for both stores: a stored
 * row with its content unpacked (against its shape's dictionary), and a stats answer assembled
 * from the aggregate tables and the records of the period's partial minutes.
 */
import type { AuditStats, AuditStatsFilter } from '../audit-filter';
import { dictionaryFor, unpackContent } from '../chain/content-codec';
import { shapeDigestOf, storedDigestOf } from '../chain/record-seal';
import { decodeContent, deriveIndexRows } from '../chain/record-content';
import { planStats, StatTally, statsFromRows, type StatRow } from '../chain/stat-rows';
import type { StatTable, StoredRow } from './audit-store';
import { recordColumns, toStatRow, type LinkedEntity } from './filter-sql';

/** What reading a record needs of its shape: the dictionary to unpack with, the digest its seal covers. */
export interface ShapeEntry {
  readonly dictionary: Buffer;
  readonly digest: string;
}

/** A shape as a writer knows it: its id besides what reading needs. */
export interface ShapeRef extends ShapeEntry {
  readonly id: number;
}

/** Shape id → dictionary and digest, filled from the shape table on a miss. */
export class ShapeBook {
  private readonly entries = new Map<number, ShapeEntry>();

  constructor(private readonly load: () => readonly Record<string, unknown>[]) {}

  shape(shape: number): ShapeEntry | undefined {
    let d = this.entries.get(shape);
    if (d) return d;
    for (const row of this.load()) {
      const text = String(row.text);
      this.entries.set(Number(row.shape), { dictionary: dictionaryFor(text), digest: shapeDigestOf(text) });
    }
    d = this.entries.get(shape);
    return d;
  }

  /** Forgets every shape (after a connection was dropped, or shapes were read from another source). */
  clear(): void {
    this.entries.clear();
  }
}

/** Hex of a hash column (a blob in layout 2). */
export function hex(value: unknown): string {
  if (Buffer.isBuffer(value)) return value.toString('hex');
  return value instanceof Uint8Array ? Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('hex') : String(value);
}

/**
 * A record row as a `StoredRow`; a content that cannot be unpacked is reported, not thrown. With
 * `unpack` false, a sealed record's content is left packed (`content` empty): its seal is checked
 * from the stored bytes.
 */
export function toStoredRow(row: Record<string, unknown>, chain: string, seq: number, entities: readonly LinkedEntity[], shape: ShapeEntry | undefined, unpack = true): StoredRow {
  let content = '';
  let unreadable: string | undefined;
  const sealed = row.denials !== null && row.denials !== undefined;
  if (!shape) unreadable = `its shape ${String(row.shape)} is not in the shape table`;
  else if (unpack || !sealed) {
    try {
      content = unpackContent(row.content as Uint8Array, shape.dictionary);
    } catch (error) {
      unreadable = `its stored content does not unpack (${error instanceof Error ? error.message : String(error)})`;
    }
  }
  return {
    pos: Number(row.pos),
    id: String(row.id),
    chain,
    seq,
    prevHash: hex(row.prev_hash),
    hash: hex(row.hash),
    content,
    ...(unreadable !== undefined ? { unreadable } : {}),
    columns: recordColumns(row),
    // The link rows themselves (their extra link fields unread): verify reads every record's.
    entities,
    ...(entities.some((e) => e.linkTimeMs !== Number(row.time_ms) || !e.indexed) ? { linkIndexBroken: true } : {}),
    ...(sealed ? { seal: { contentHash: row.content_hash === null ? '' : hex(row.content_hash), storedDigest: storedDigestOfRow(row), shapeDigest: shape?.digest ?? '', denials: String(row.denials) } } : {}),
  };
}

/**
 * sha256 of a row's stored content, hex: the database's own digest where the page asked for it
 * in place of the content (`stored_digest`, PostgreSQL's chain pages), else hashed here.
 */
function storedDigestOfRow(row: Record<string, unknown>): string {
  const digest = row.stored_digest;
  if (typeof digest === 'string') return digest;
  return row.content instanceof Uint8Array ? storedDigestOf(row.content) : '';
}

/** What a store gives `computeStats`. */
export interface StatSources {
  /** Summed rows of `table` over bucket range [from, to) and the filter's agency / purpose. */
  sums(table: StatTable, range: readonly [number, number]): Promise<readonly Record<string, unknown>[]>;
  /** The records (unpacked) of ms range [from, to) matching the filter's agency / purpose. */
  records(range: readonly [number, number]): Promise<readonly StoredRow[]>;
}

/**
 * Exact statistics over `filter`: whole hours and minutes from the aggregates, the partial
 * minutes at each end of the period tallied from their records. A record whose content cannot
 * be read fails the call (a count that silently skipped it would not be exact).
 */
export async function computeStats(filter: AuditStatsFilter, src: StatSources): Promise<AuditStats> {
  const plan = planStats(filter.since?.getTime(), filter.until?.getTime());
  const rows: Array<Omit<StatRow, 'bucket'>> = [];
  const reads: Array<Promise<readonly Record<string, unknown>[]>> = [];
  if (plan.hours) reads.push(src.sums('hour', plan.hours));
  for (const m of plan.minutes) reads.push(src.sums('minute', m));
  for (const batch of await Promise.all(reads)) for (const r of batch) rows.push({ ...sumRow(r) });
  const tally = new StatTally(1);
  for (const range of plan.records) {
    for (const row of await src.records(range)) {
      if (row.unreadable !== undefined) throw new Error(`record ${row.id}: ${row.unreadable}; run pactum audit verify`);
      tally.add(deriveIndexRows(decodeContent(row.content)));
    }
  }
  rows.push(...tally.rows.values());
  return statsFromRows(filter, rows);
}

/** A summed aggregate row (no bucket, purposes summed over): `toStatRow`'s reading of it. */
function sumRow(r: Record<string, unknown>): Omit<StatRow, 'bucket'> {
  const { bucket: _bucket, ...row } = toStatRow({ ...r, purpose: '' });
  return row;
}

/** Takes a page of records about to be pruned out of the hour and minute tallies (throws on a record it cannot read). */
export function untallyRecords(rows: readonly StoredRow[], hours: StatTally, minutes: StatTally): void {
  for (const row of rows) {
    if (row.unreadable !== undefined) throw new Error(`record ${row.id}: ${row.unreadable}`);
    const x = deriveIndexRows(decodeContent(row.content));
    hours.add(x, -1);
    minutes.add(x, -1);
  }
}
