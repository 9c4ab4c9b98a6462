/**
 * An event made ready for a store's batch append, as the trail does it: validated, its canonical
 * text, that text's hash, its shape (the compression dictionary's tail) and its index rows.
 */
import type { AuditEvent } from '../audit-event';
import type { PreparedRecord } from '../stores/audit-store';
import { validateAuditEvent } from '../validate-event';
import { contentHashOf } from './chain-hash';
import { shapeTextOf } from './content-codec';
import { deriveIndexRows, encodeContent, entityColumns } from './record-content';

/** Throws `AuditUnavailableError('invalid_event')` on an event that fails validation, or any error of encoding it. */
export function prepareRecord(event: AuditEvent): PreparedRecord {
  let valid = validateAuditEvent(event);
  // The released list in columns once: the index rows, and (for a large release without repeats) the content's columns.
  let entities = entityColumns(valid.enforcement?.released ?? []);
  let content = encodeContent(valid, entities);
  // A lone UTF-16 surrogate (an entity key from a subgraph, say) is written by JSON as a `\udXXX`
  // escape, so the text would keep it while every UTF-8 column stores U+FFFD instead: the index
  // would then differ from its content. Such strings are recorded as the columns keep them. Any
  // lone surrogate makes `\ud` appear in the text, so text without it needs no second look.
  if (content.includes('\\ud')) {
    const fixed = wellFormedValue(valid) as AuditEvent;
    if (fixed !== valid) {
      valid = fixed;
      entities = entityColumns(valid.enforcement?.released ?? []);
      content = encodeContent(valid, entities);
    }
  }
  return { id: valid.id, content, contentHash: contentHashOf(content), shape: shapeTextOf(valid), index: deriveIndexRows(valid, entities) };
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const LONE_SURROGATES = new RegExp(LONE_SURROGATE.source, 'g');

/** `value` with each lone surrogate of its strings as U+FFFD; the same object when there is none. */
function wellFormedValue(value: unknown): unknown {
  if (typeof value === 'string') return LONE_SURROGATE.test(value) ? value.replace(LONE_SURROGATES, '\uFFFD') : value;
  if (typeof value !== 'object' || value === null || value instanceof Date) return value;
  if (Array.isArray(value)) {
    const out = value.map(wellFormedValue);
    return out.some((v, i) => v !== value[i]) ? out : value;
  }
  const entries = Object.entries(value);
  const out = entries.map(([k, v]) => [wellFormedValue(k) as string, wellFormedValue(v)] as const);
  return out.some(([k, v], i) => k !== entries[i]?.[0] || v !== entries[i]?.[1]) ? Object.fromEntries(out) : value;
}
