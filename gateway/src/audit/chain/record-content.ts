/**
 * The exact text a record's content hash covers, and the searchable rows derived from it.
 * The text is stored verbatim next to the hash so verification never depends on
 * re-serialising; the index columns and tables (agency, entity, denial reason…) are
 * projections of that text, and `verify` re-derives them to catch an edited index.
 */
import type { AuditEvent } from '../audit-event';
import { canonicalJson } from '../canonical-json';

/**
 * Versions of the content layout, part of the hashed text. Version 1 lists each released entity
 * as an object; version 2, written for a release of `COLUMNAR_FROM` entities or more, keeps the
 * released list in columns (`columnarReleased`), about a third of the text and encoded by the
 * engine's own JSON.stringify, a column at a time. Both are read back to the same event.
 */
export const CONTENT_VERSION = 1;
export const COLUMNAR_CONTENT_VERSION = 2;

/** Released entities from which a record is written in version 2. */
export const COLUMNAR_FROM = 16;

/**
 * A released list in columns, order kept: `key[i]` is entity i's key; its type is
 * `types[type[i]]` and its owner `owners[owner[i]]` (each distinct type and owner once, in order
 * of first appearance). The same form carries a record's entity index rows to the store
 * ({@link IndexRows.entities}, deduplicated): handed to the SQLite writer thread, a thousand rows
 * as columns clone about ten times faster than as a thousand objects.
 */
export interface ColumnarReleased {
  readonly key: string[];
  readonly owner: number[];
  readonly owners: string[];
  readonly type: number[];
  readonly types: string[];
}

/** A record's released entities, each (type, key, owner) once, in columns (see {@link ColumnarReleased}). */
export type EntityColumns = ColumnarReleased;

/** Builds columns from `released`: all of it in order, or (`dedup`) each (type, key, owner) once, at its first place. */
function toColumns(released: readonly EntityRow[], dedup: boolean): ColumnarReleased {
  const out: ColumnarReleased = { key: [], owner: [], owners: [], type: [], types: [] };
  const owners = new Map<string, number>();
  const types = new Map<string, number>();
  // Keys met, per type and owner: no per-entity identity string to build.
  const seen: Array<Array<Set<string> | undefined>> = [];
  for (const e of released) {
    let o = owners.get(e.owner);
    if (o === undefined) {
      o = out.owners.push(e.owner) - 1;
      owners.set(e.owner, o);
    }
    let t = types.get(e.type);
    if (t === undefined) {
      t = out.types.push(e.type) - 1;
      types.set(e.type, t);
      seen.push([]);
    }
    if (dedup) {
      const byOwner = seen[t] as Array<Set<string> | undefined>;
      const keys = (byOwner[o] ??= new Set());
      if (keys.has(e.key)) continue;
      keys.add(e.key);
    }
    out.key.push(e.key);
    out.owner.push(o);
    out.type.push(t);
  }
  return out;
}

/** `released` in columns, order and repeats kept (see {@link ColumnarReleased}). */
export function columnarReleased(released: readonly EntityRow[]): ColumnarReleased {
  return toColumns(released, false);
}

/** The entity index rows of `released`: each (type, key, owner) once, at its first place. */
export function entityColumns(released: readonly EntityRow[]): EntityColumns {
  return toColumns(released, true);
}

/** How many entities the columns hold. */
export function entityCount(c: EntityColumns): number {
  return c.key.length;
}

/** The columns' entities as rows, in order. */
export function entityRowsOf(c: EntityColumns): EntityRow[] {
  return c.key.map((key, i) => ({ type: c.types[c.type[i] as number] as string, key, owner: c.owners[c.owner[i] as number] as string }));
}

/** The released list back from its columns; throws on columns that do not fit together. */
function rowsOf(c: unknown): EntityRow[] {
  const bad = (why: string): never => {
    throw new Error(`audit content: released columns ${why}`);
  };
  if (typeof c !== 'object' || c === null) return bad('missing');
  const { key, owner, owners, type, types } = c as Record<string, unknown>;
  if (![key, owner, owners, type, types].every(Array.isArray)) return bad('are not arrays');
  const k = key as unknown[];
  const o = owner as unknown[];
  const t = type as unknown[];
  if (o.length !== k.length || t.length !== k.length) return bad('differ in length');
  const pick = (table: unknown[], i: unknown): string => {
    const v = Number.isInteger(i) ? table[i as number] : undefined;
    return typeof v === 'string' ? v : bad('refer outside their tables');
  };
  return k.map((kv, i) => ({ type: pick(types as unknown[], t[i]), key: typeof kv === 'string' ? kv : bad('hold a key that is not a string'), owner: pick(owners as unknown[], o[i]) }));
}

/** One released entity in the entity index. */
export interface EntityRow {
  readonly type: string;
  readonly key: string;
  readonly owner: string;
}

/** One denial (field, row or whole-request refusal) in the denial index. */
export interface DenialRow {
  readonly kind: 'field' | 'row' | 'refusal';
  readonly reason: string;
  readonly path: string;
}

/** The filterable projection of one record. */
export interface IndexRows {
  readonly timeMs: number;
  readonly agency: string | null;
  readonly subject: string | null;
  readonly purpose: string | null;
  readonly caseRef: string | null;
  readonly outcome: string;
  readonly httpStatus: number;
  /** 1 when anything was denied or the request was refused. */
  readonly hasDenial: 0 | 1;
  /** Released entities, each once. */
  readonly entities: EntityColumns;
  readonly denials: readonly DenialRow[];
}

/**
 * A string that identifies an entity's (type, key, owner): the first two are length-prefixed, so
 * no choice of characters in them (a key may hold any, NUL included) makes two triples collide.
 */
export function entityIdentity(e: EntityRow): string {
  return `${e.type.length}:${e.type}${e.key.length}:${e.key}${e.owner}`;
}

/**
 * The canonical text of an event (dates as ISO strings): version 2 for a large release, else
 * version 1. `entities`, when given, must be `entityColumns` of the event's released list: when
 * that list held no repeat, its columns are the content's and are not built twice.
 */
export function encodeContent(event: AuditEvent, entities?: EntityColumns): string {
  const en = event.enforcement;
  if (en && en.released.length >= COLUMNAR_FROM) {
    const released = entities && entityCount(entities) === en.released.length ? entities : columnarReleased(en.released);
    return canonicalJson({ v: COLUMNAR_CONTENT_VERSION, ...event, enforcement: { ...en, released } });
  }
  return canonicalJson({ v: CONTENT_VERSION, ...event });
}

/** Parses stored content back into an event; throws on text that is not a record of version 1 or 2. */
export function decodeContent(text: string): AuditEvent {
  const parsed: unknown = JSON.parse(text);
  const v = typeof parsed === 'object' && parsed !== null ? (parsed as { v?: unknown }).v : undefined;
  if (v !== CONTENT_VERSION && v !== COLUMNAR_CONTENT_VERSION) throw new Error(`unsupported audit content version`);
  // The parse's own object becomes the event (no copy: verify decodes every record). `v` is the
  // last key of canonical text, so deleting it only undoes the last property V8 added.
  const o = parsed as Record<string, unknown>;
  const time = o.time;
  if (typeof time !== 'string') throw new Error('audit content without time');
  delete o.v;
  o.time = new Date(time);
  const event = o as unknown as AuditEvent;
  if (v === CONTENT_VERSION) return event;
  const en = event.enforcement;
  if (!en) throw new Error('audit content of version 2 without enforcement');
  return { ...event, enforcement: { ...en, released: rowsOf(en.released) } };
}

/** Derives the index rows of an event (entities deduplicated, denials kept one per occurrence). */
export function deriveIndexRows(event: AuditEvent, entities: EntityColumns = entityColumns(event.enforcement?.released ?? [])): IndexRows {
  const denials: DenialRow[] = [];
  for (const d of event.enforcement?.fieldDenials ?? []) denials.push({ kind: 'field', reason: d.reason, path: d.path });
  for (const d of event.enforcement?.rowDenials ?? []) denials.push({ kind: 'row', reason: d.reason, path: d.path });
  if (event.refusal) denials.push({ kind: 'refusal', reason: event.refusal.reason, path: '' });
  const refused = event.outcome === 'denied' || event.outcome === 'refused' || event.outcome === 'partial';
  return {
    timeMs: event.time.getTime(),
    agency: event.principal?.agency ?? null,
    subject: event.principal?.subject ?? null,
    purpose: event.purpose?.code ?? null,
    caseRef: event.purpose?.caseRef ?? null,
    outcome: event.outcome,
    httpStatus: event.httpStatus,
    hasDenial: refused || denials.length > 0 ? 1 : 0,
    entities,
    denials,
  };
}

/** The scalar index columns in a fixed order (what `indexFingerprint` compares). */
export function indexColumns(rows: IndexRows): unknown[] {
  return [rows.timeMs, rows.agency, rows.subject, rows.purpose, rows.caseRef, rows.outcome, rows.httpStatus, rows.hasDenial];
}
