/**
 * The entities an audit record lists as released, read straight from the stack's SQLite audit
 * trail (the record is durable before the response leaves, so it is there when the reply is).
 */
import path from 'node:path';
import Database from 'better-sqlite3';

export interface AuditEntities {
  /** `Type:key` of every entity the record `auditId` lists; undefined when there is no such record. */
  of(auditId: string): ReadonlySet<string> | undefined;
  close(): void;
}

/** Opens the audit trail of a stack's state folder, read-only. */
export function openAuditEntities(stateDir: string): AuditEntities {
  const db = new Database(path.join(stateDir, 'audit', 'audit.sqlite'), { readonly: true, fileMustExist: true });
  // Layout 2: records and entities meet in the link table through the record's pos.
  const record = db.prepare('SELECT pos FROM audit_record WHERE id = ?').pluck();
  const entities = db.prepare('SELECT e.type, e.key FROM audit_entity_link l JOIN audit_entity e ON e.eid = l.eid WHERE l.pos = ?');
  return {
    of(auditId) {
      const pos = record.get(auditId);
      if (pos === undefined) return undefined;
      return new Set((entities.all(pos) as { type: string; key: string }[]).map((e) => `${e.type}:${e.key}`));
    },
    close: () => db.close(),
  };
}
