/**
 * Audit ids: time-sortable like a ULID — 10 characters of millisecond time then 16 of
 * randomness, in Crockford base32 — so ids sort by creation time and never collide
 * between replicas in practice.
 */
import { randomBytes } from 'node:crypto';

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** A new 26-character audit id for a request received at `now`. */
export function newAuditId(now: Date = new Date()): string {
  let time = now.getTime();
  let head = '';
  for (let i = 0; i < 10; i += 1) {
    head = ALPHABET.charAt(time % 32) + head;
    time = Math.floor(time / 32);
  }
  const random = randomBytes(16);
  let tail = '';
  for (const b of random) tail += ALPHABET.charAt(b % 32);
  return head + tail;
}
