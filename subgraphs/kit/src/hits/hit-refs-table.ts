/**
 * The SQL that creates a subgraph's `hit_refs` table: one row per hit reference issued, with
 * the record it stands for, the agency it was issued to, and when it was issued and expires.
 * An agency subgraph puts it in a migration of its own (append-only, see `openStore`):
 *
 * ```ts
 * export const migrations = [`CREATE TABLE …`, HIT_REFS_TABLE];
 * ```
 *
 * Frozen: shipped migrations embed this text, so a change to the table is a new constant and
 * a new migration, never an edit here.
 */
export const HIT_REFS_TABLE = `
  -- Prüm-style hit references, issued on demand (never seeded): random, per (record, agency).
  CREATE TABLE hit_refs (
    reference TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    record_id TEXT NOT NULL,
    issued_to TEXT NOT NULL,
    issued_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    CHECK (expires_at > issued_at)
  );
  -- Finds the reference already issued to an agency for a record (reuse) in one probe.
  CREATE INDEX hit_refs_issued ON hit_refs(kind, record_id, issued_to, expires_at);
`;
