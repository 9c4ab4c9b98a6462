/**
 * Audit ids: time-sortable like a ULID — 10 characters of millisecond time then 16 of
 * randomness, in Crockford base32 — so ids sort by creation time and never collide
 * between replicas in practice.
 */
import { randomFillSync } from 'node:crypto';

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

// Random bytes are drawn from the kernel 4 KiB at a time (as `randomUUID` does) rather than
// 16 bytes per request: one getrandom call per 256 ids instead of one per id.
const POOL = Buffer.alloc(4096);
let poolOffset = POOL.length;

/** A new 26-character audit id for a request received at `now`. */
export function newAuditId(now: Date = new Date()): string {
  let time = now.getTime();
  let head = '';
  for (let i = 0; i < 10; i += 1) {
    head = ALPHABET.charAt(time % 32) + head;
    time = Math.floor(time / 32);
  }
  if (poolOffset + 16 > POOL.length) {
    randomFillSync(POOL);
    poolOffset = 0;
  }
  let tail = '';
  for (let i = poolOffset; i < poolOffset + 16; i += 1) tail += ALPHABET.charAt((POOL[i] as number) % 32);
  poolOffset += 16;
  return head + tail;
}
