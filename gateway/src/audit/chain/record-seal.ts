/**
 * The seal of a record (layout 4): one digest over everything of a record that is stored
 * besides its hashes — the deflated content bytes, the text of the shape they are deflated
 * against, the id, the searchable columns, the denial tally and the entity rows — chained into
 * the record's link hash:
 *
 *   seal = sha256(sha256(shapeText) ‖ sha256(storedContent) ‖ indexText)
 *   hash = sha256(prevHash ‖ contentHash ‖ seal ‖ seq)
 *
 * so that `verify` proves a record unchanged since it was written from what is stored, without
 * inflating and parsing its content: an edit of any of those parts, or of the stored content
 * hash, breaks the link hash. That the stored parts were what the content implies is the
 * writer's work, checked again by `verify --deep` (which unpacks, hashes and re-derives every
 * record, as layout 3 always did). The content hash stays `sha256(canonical text)`, so an
 * exported record is still checked against its text by anyone; the seal is part of the export.
 *
 * `indexText` is JSON of `[id, time_ms, agency, subject, purpose, case_ref, outcome,
 * http_status, has_denial, denials, entities]`, where `entities` are the entity identities
 * (`entityIdentity`) sorted by code unit — the order a store keeps link rows in is its own —
 * and `denials` is {@link denialTallyText}. (A record's strings hold no lone UTF-16 surrogate:
 * `prepareRecord` writes them as U+FFFD, as every UTF-8 column would.)
 */
import { hash } from 'node:crypto';
import type { PreparedRecord, StoredRow, StoredSeal } from '../stores/audit-store';
import { linkHash, sealedLinkHash } from './chain-hash';
import { entityIdentity, indexColumns, type EntityColumns, type EntityRow, type IndexRows } from './record-content';
import { countsOf } from './stat-rows';

/**
 * A record's denials as stored beside its columns (what the aggregates count): `""` when there
 * are none, else JSON of `[kind, reason, count]` triples sorted by kind, then reason.
 */
export function denialTallyText(index: IndexRows): string {
  if (index.denials.length === 0) return '';
  return JSON.stringify([...countsOf(index).denials].sort((a, b) => compare(a[0], b[0]) || compare(a[1], b[1])));
}

/** Tallies read back, by text: most records share one of a few (verify reads every record's). */
const parsedTallies = new Map<string, ReadonlyArray<readonly [string, string, number]>>();

/** A denial tally text read back: `[kind, reason, count]` triples; throws on text that is not one. */
export function parseDenialTally(text: string): ReadonlyArray<readonly [string, string, number]> {
  if (text === '') return [];
  const known = parsedTallies.get(text);
  if (known) return known;
  const parsed = readDenialTally(text);
  if (parsedTallies.size >= 1024) parsedTallies.clear();
  parsedTallies.set(text, parsed);
  return parsed;
}

function readDenialTally(text: string): ReadonlyArray<readonly [string, string, number]> {
  const parsed: unknown = JSON.parse(text);
  if (!Array.isArray(parsed)) throw new Error('denial tally is not a list');
  return parsed.map((t: unknown) => {
    if (!Array.isArray(t) || t.length !== 3 || typeof t[0] !== 'string' || typeof t[1] !== 'string' || !Number.isSafeInteger(t[2]) || (t[2] as number) < 1) {
      throw new Error('denial tally entry is not [kind, reason, count]');
    }
    return [t[0], t[1], t[2] as number] as const;
  });
}

/** What a seal covers, as the store holds it. */
export interface SealParts {
  /** sha256 of the shape's text, hex. */
  readonly shapeDigest: string;
  /** sha256 of the content as stored (deflated), hex. */
  readonly storedDigest: string;
  readonly id: string;
  /** `indexColumns` order. */
  readonly columns: readonly unknown[];
  readonly denials: string;
  /** Entity identities, in any order (sorted here). */
  readonly identities: string[];
}

/** The seal of `parts`, hex. Sorts `parts.identities` in place. */
export function sealOf(parts: SealParts): string {
  const index = JSON.stringify([parts.id, ...parts.columns, parts.denials, parts.identities.sort()]);
  return hash('sha256', `${parts.shapeDigest}${parts.storedDigest}${index}`, 'hex');
}

/** The seal parts of a record about to be written: its index rows as the store will give them back. */
export function sealPartsOf(id: string, index: IndexRows, denials: string, shapeDigest: string, stored: Uint8Array): SealParts {
  return { shapeDigest, storedDigest: storedDigestOf(stored), id, columns: indexColumns(index), denials, identities: identitiesOfColumns(index.entities) };
}

/** The identities of stored entity rows. */
export function identitiesOfRows(rows: readonly EntityRow[]): string[] {
  const out = new Array<string>(rows.length);
  for (let i = 0; i < rows.length; i++) out[i] = entityIdentity(rows[i] as EntityRow);
  return out;
}

/** `entityIdentity` of each entity of `c`. */
function identitiesOfColumns(c: EntityColumns): string[] {
  return c.key.map((key, i) => entityIdentity({ type: c.types[c.type[i] as number] as string, key, owner: c.owners[c.owner[i] as number] as string }));
}

/** sha256 of a record's content as stored (deflated), hex. */
export function storedDigestOf(stored: Uint8Array): string {
  return hash('sha256', stored, 'hex');
}

/** sha256 of a shape's text (as UTF-8, which is what a column keeps), hex. */
export function shapeDigestOf(shapeText: string): string {
  return hash('sha256', shapeText, 'hex');
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** How a store writes a record's hashes: its link hash, and the content hash and denial columns (NULL when unsealed). */
export interface ChainedRecord {
  readonly hash: string;
  readonly contentHash: Buffer | null;
  readonly denials: string | null;
}

/** Links `r` (content stored as `stored`, against a shape of digest `shapeDigest`) after `prevHash` at `seq`. */
export function chainRecord(r: PreparedRecord, prevHash: string, seq: number, shapeDigest: string, stored: Uint8Array): ChainedRecord {
  if (r.unsealed) return { hash: linkHash(prevHash, r.contentHash, seq), contentHash: null, denials: null };
  const denials = denialTallyText(r.index);
  const seal = sealOf(sealPartsOf(r.id, r.index, denials, shapeDigest, stored));
  return { hash: sealedLinkHash(prevHash, r.contentHash, seal, seq), contentHash: Buffer.from(r.contentHash, 'hex'), denials };
}

/** The seal of a stored record, from what is stored. */
export function sealOfStored(row: StoredRow, seal: StoredSeal): string {
  return sealOf({ shapeDigest: seal.shapeDigest, storedDigest: seal.storedDigest, id: row.id, columns: row.columns, denials: seal.denials, identities: identitiesOfRows(row.entities) });
}
