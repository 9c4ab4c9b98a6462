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
  const record = db.prepare('SELECT 1 FROM audit_record WHERE id = ?');
  const entities = db.prepare('SELECT type, key FROM audit_entity WHERE record_id = ?');
  return {
    of(auditId) {
      if (record.get(auditId) === undefined) return undefined;
      return new Set((entities.all(auditId) as { type: string; key: string }[]).map((e) => `${e.type}:${e.key}`));
    },
    close: () => db.close(),
  };
}
