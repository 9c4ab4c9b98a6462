/**
 * A signed checkpoint: "chain C had, at time T, record `seq` with link hash H" — signed with the
 * gateway's key as a compact JWS (EdDSA, `kid` in the header, so a verifier with several keys,
 * e.g. after a rotation, picks the right one). Stored beside the chain and printable by
 * `pactum audit checkpoint`, so it can be published where the database's writers cannot reach.
 *
 * Kinds: `interval` and `shutdown` (the gateway, for its own chain), `export` (the command line,
 * for every chain), `retention` (written when records up to `prunedThrough` are deleted: what
 * lets the rest of the chain still verify from there).
 */
import type { KeyObject } from 'node:crypto';
import { CompactSign, compactVerify, importJWK, type JWK } from 'jose';
import { canonicalJson } from '../canonical-json';

/** Why a checkpoint was signed. */
export type CheckpointKind = 'interval' | 'shutdown' | 'export' | 'retention';
export const CHECKPOINT_KINDS: readonly CheckpointKind[] = ['interval', 'shutdown', 'export', 'retention'];

/** What is signed. */
export interface CheckpointStatement {
  readonly v: 1;
  readonly type: 'pactum.audit.checkpoint';
  readonly chain: string;
  readonly seq: number;
  readonly hash: string;
  /** Id of record `seq`. */
  readonly id: string;
  /** When it was signed (ISO). */
  readonly at: string;
  readonly kind: CheckpointKind;
  /** Records 1..prunedThrough of the chain were deleted by retention (0: none). */
  readonly prunedThrough: number;
  /** Retention: records older than this instant were deleted (ISO). */
  readonly prunedBefore?: string;
}

/** A statement with its signature. */
export interface SignedCheckpoint {
  readonly statement: CheckpointStatement;
  readonly kid: string;
  /** Compact JWS whose payload is the statement's canonical JSON. */
  readonly jws: string;
}

/** Signs statements with one key. */
export interface CheckpointSigner {
  readonly kid: string;
  sign(statement: CheckpointStatement): Promise<SignedCheckpoint>;
}

const TYP = 'pactum-audit-checkpoint+jws';

/** A signer over an Ed25519 private key (the gateway's, `ensureGatewayKeys`). */
export function createCheckpointSigner(privateKey: KeyObject, kid: string): CheckpointSigner {
  if (privateKey.asymmetricKeyType !== 'ed25519') throw new Error('checkpoints are signed with an Ed25519 key');
  return {
    kid,
    async sign(statement) {
      const payload = new TextEncoder().encode(canonicalJson(statement));
      const jws = await new CompactSign(payload).setProtectedHeader({ alg: 'EdDSA', kid, typ: TYP }).sign(privateKey);
      return { statement, kid, jws };
    },
  };
}

/** The verified statement, or why the signature does not hold. */
export type CheckpointCheck = { readonly ok: true; readonly statement: CheckpointStatement; readonly kid: string } | { readonly ok: false; readonly reason: string };

/** Checks `jws` against `keys` (public JWKs; the header's `kid` picks one). */
export async function verifyCheckpointJws(jws: string, keys: readonly JWK[]): Promise<CheckpointCheck> {
  let kid = '';
  try {
    const { payload, protectedHeader } = await compactVerify(jws, async (header) => {
      kid = header.kid ?? '';
      const key = keys.find((k) => k.kid === header.kid);
      if (!key) throw new Error(`no public key with kid ${header.kid ?? '(none)'}`);
      if (header.alg !== 'EdDSA') throw new Error(`unexpected algorithm ${header.alg}`);
      return importJWK({ ...key, alg: 'EdDSA' }, 'EdDSA');
    });
    if (protectedHeader.typ !== TYP) return { ok: false, reason: `not a checkpoint (typ ${protectedHeader.typ ?? 'missing'})` };
    const statement = JSON.parse(new TextDecoder().decode(payload)) as CheckpointStatement;
    if (statement.type !== 'pactum.audit.checkpoint' || statement.v !== 1) return { ok: false, reason: 'not a checkpoint statement' };
    return { ok: true, statement, kid };
  } catch (error) {
    return { ok: false, reason: `signature does not verify${kid ? ` (kid ${kid})` : ''}: ${error instanceof Error ? error.message : String(error)}` };
  }
}
