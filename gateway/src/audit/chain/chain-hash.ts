/**
 * The hash chain's arithmetic. A record's content is hashed on its own; its link hash
 * binds that content to its predecessor and to its position:
 * `hash = sha256(prevHash || contentHash || seq)` over the ASCII string of the two
 * 64-character hex digests followed by the decimal seq. Fixed-width hex keeps the
 * concatenation unambiguous. A record of layout 4 also binds its seal (`record-seal.ts`):
 * `hash = sha256(prevHash || contentHash || seal || seq)`, three digests before the seq.
 */
import { hash } from 'node:crypto';

/** The `prevHash` of the first record of every chain. */
export const GENESIS_HASH = '0'.repeat(64);

/** sha256 of a record's canonical content text, hex. */
export function contentHashOf(canonicalContent: string): string {
  // One-shot crypto.hash: no Hash object per call, which matters at verify's rate.
  return hash('sha256', canonicalContent, 'hex');
}

/** The link hash of record `seq` whose predecessor's hash is `prevHash`. */
export function linkHash(prevHash: string, contentHash: string, seq: number): string {
  return hash('sha256', `${prevHash}${contentHash}${seq}`, 'hex');
}

/** The link hash of a sealed record (layout 4): the seal is chained between content hash and seq. */
export function sealedLinkHash(prevHash: string, contentHash: string, seal: string, seq: number): string {
  return hash('sha256', `${prevHash}${contentHash}${seal}${seq}`, 'hex');
}
