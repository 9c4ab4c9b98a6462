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
  const valid = validateAuditEvent(event);
  // The released list in columns once: the index rows, and (for a large release without repeats) the content's columns.
  const entities = entityColumns(valid.enforcement?.released ?? []);
  const content = encodeContent(valid, entities);
  return { id: valid.id, content, contentHash: contentHashOf(content), shape: shapeTextOf(valid), index: deriveIndexRows(valid, entities) };
}
