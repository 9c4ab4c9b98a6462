/** How a signed checkpoint maps to a row, the same in SQLite and PostgreSQL. */
import type { StoredCheckpoint } from './audit-store';

/** Columns of `audit_checkpoint` (besides its `pos`), in parameter order. */
export const CHECKPOINT_COLUMNS = 'chain, seq, hash, id, kind, pruned_through, signed_at_ms, kid, jws';

/** Parameters of a checkpoint row, in {@link CHECKPOINT_COLUMNS} order. */
export function checkpointParams(cp: StoredCheckpoint): unknown[] {
  return [cp.chain, cp.seq, cp.hash, cp.id, cp.kind, cp.prunedThrough, cp.signedAtMs, cp.kid, cp.jws];
}

/** A checkpoint row read back. */
export function toCheckpoint(r: Record<string, unknown>): StoredCheckpoint {
  return {
    chain: String(r.chain),
    seq: Number(r.seq),
    hash: String(r.hash),
    id: String(r.id),
    kind: String(r.kind),
    prunedThrough: Number(r.pruned_through),
    signedAtMs: Number(r.signed_at_ms),
    kid: String(r.kid),
    jws: String(r.jws),
  };
}
