/**
 * The exact text a record's content hash covers, and the searchable rows derived from it.
 * The text is stored verbatim next to the hash so verification never depends on
 * re-serialising; the index columns and tables (agency, entity, denial reason…) are
 * projections of that text, and `verify` re-derives them to catch an edited index.
 */
import type { AuditEvent } from '../audit-event';
import { canonicalJson } from '../canonical-json';

/** Version of the content layout, part of the hashed text. */
export const CONTENT_VERSION = 1;

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
  readonly entities: readonly EntityRow[];
  readonly denials: readonly DenialRow[];
}

/**
 * A string that identifies an entity's (type, key, owner): the first two are length-prefixed, so
 * no choice of characters in them (a key may hold any, NUL included) makes two triples collide.
 */
export function entityIdentity(e: EntityRow): string {
  return `${e.type.length}:${e.type}${e.key.length}:${e.key}${e.owner}`;
}

/** The canonical text of an event (dates as ISO strings). */
export function encodeContent(event: AuditEvent): string {
  return canonicalJson({ v: CONTENT_VERSION, ...event });
}

/** Parses stored content back into an event; throws on text that is not a version-1 record. */
export function decodeContent(text: string): AuditEvent {
  const parsed: unknown = JSON.parse(text);
  if (typeof parsed !== 'object' || parsed === null || (parsed as { v?: unknown }).v !== CONTENT_VERSION) {
    throw new Error(`unsupported audit content version`);
  }
  const { v: _v, time, ...rest } = parsed as Record<string, unknown>;
  if (typeof time !== 'string') throw new Error('audit content without time');
  return { ...(rest as unknown as Omit<AuditEvent, 'time'>), time: new Date(time) };
}

/** Derives the index rows of an event (entities deduplicated, denials kept one per occurrence). */
export function deriveIndexRows(event: AuditEvent): IndexRows {
  const entities = new Map<string, EntityRow>();
  for (const e of event.enforcement?.released ?? []) {
    const k = entityIdentity(e);
    if (!entities.has(k)) entities.set(k, e);
  }
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
    entities: [...entities.values()],
    denials,
  };
}

/** The scalar index columns in a fixed order (what `indexFingerprint` compares). */
export function indexColumns(rows: IndexRows): unknown[] {
  return [rows.timeMs, rows.agency, rows.subject, rows.purpose, rows.caseRef, rows.outcome, rows.httpStatus, rows.hasDenial];
}
