/**
 * The SQLite append transaction — the one copy of the chain logic for this store, run by
 * the writer thread (`sqlite-writer-thread.ts`). Under `BEGIN IMMEDIATE` (the write lock
 * is taken before the head is read, so a second process writing the same file cannot
 * read the same head and fork the chain) it reads the chain head, links each record to
 * its predecessor, inserts the record with its entity and denial rows, saves the head,
 * and commits; with `synchronous=FULL` the commit returns after the fsync.
 *
 * Statements and the transaction function are prepared once per connection (a WeakMap
 * keyed by the connection), not per batch.
 */
import type Database from 'better-sqlite3';
import type { AuditReceipt } from '../audit-event';
import { GENESIS_HASH, linkHash } from '../chain/chain-hash';
import type { PreparedRecord } from './audit-store';

/** Per record: its receipt, or the id that is already in the trail (nothing written for it). */
export type SqliteAppendOutcome = AuditReceipt | { readonly duplicate: string };

type AppendFn = (chain: string, records: readonly PreparedRecord[]) => SqliteAppendOutcome[];

const prepared = new WeakMap<Database.Database, Database.Transaction<AppendFn>>();

/**
 * Appends `records` to `chain` in one IMMEDIATE transaction on `db` and returns once it
 * is committed. Throws (nothing written) on any database error.
 */
export function appendToSqliteChain(db: Database.Database, chain: string, records: readonly PreparedRecord[]): SqliteAppendOutcome[] {
  let txn = prepared.get(db);
  if (!txn) {
    txn = prepareAppend(db);
    prepared.set(db, txn);
  }
  return txn.immediate(chain, records);
}

function prepareAppend(db: Database.Database): Database.Transaction<AppendFn> {
  const insertRecord = db.prepare(
    `INSERT INTO audit_record (id, chain, seq, prev_hash, content_hash, hash, time_ms, agency, subject, purpose, case_ref, outcome, http_status, has_denial, content)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insertEntity = db.prepare('INSERT INTO audit_entity (record_id, type, key, owner) VALUES (?, ?, ?, ?)');
  const insertDenial = db.prepare('INSERT INTO audit_denial (record_id, kind, reason, path) VALUES (?, ?, ?, ?)');
  const exists = db.prepare('SELECT 1 FROM audit_record WHERE id = ?').pluck();
  const head = db.prepare('SELECT seq, hash FROM audit_head WHERE chain = ?');
  const saveHead = db.prepare(
    'INSERT INTO audit_head (chain, seq, hash, id) VALUES (?, ?, ?, ?) ON CONFLICT (chain) DO UPDATE SET seq = excluded.seq, hash = excluded.hash, id = excluded.id',
  );
  return db.transaction((chain: string, records: readonly PreparedRecord[]) => {
    const h = head.get(chain) as { seq: number; hash: string } | undefined;
    let seq = h?.seq ?? 0;
    let prev = h?.hash ?? GENESIS_HASH;
    let last: AuditReceipt | null = null;
    const seen = new Set<string>();
    const out: SqliteAppendOutcome[] = [];
    for (const r of records) {
      if (seen.has(r.id) || exists.get(r.id) !== undefined) {
        out.push({ duplicate: r.id });
        continue;
      }
      seen.add(r.id);
      seq += 1;
      const hash = linkHash(prev, r.contentHash, seq);
      const x = r.index;
      insertRecord.run(r.id, chain, seq, prev, r.contentHash, hash, x.timeMs, x.agency, x.subject, x.purpose, x.caseRef, x.outcome, x.httpStatus, x.hasDenial, r.content);
      for (const e of x.entities) insertEntity.run(r.id, e.type, e.key, e.owner);
      for (const d of x.denials) insertDenial.run(r.id, d.kind, d.reason, d.path);
      prev = hash;
      last = { id: r.id, chain, seq, hash };
      out.push(last);
    }
    if (last) saveHead.run(chain, last.seq, last.hash, last.id);
    return out;
  });
}
