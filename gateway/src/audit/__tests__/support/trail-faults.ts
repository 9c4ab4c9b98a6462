/**
 * Faults done to a live SQLite trail's files, each with its undo — what an operator's
 * mistake or an intruder does under a running gateway. Shared by the store tests and the
 * end-to-end tests on a running gateway.
 *
 * "Unwritable" must stop root (the tests run as root, for whom chmod 000 stops nothing):
 * the ext4 immutable flag (`chattr +i`) does, and `assertBlocksRoot` proves it on every use
 * so that a machine where it does not work fails the test instead of passing it vacuously.
 */
import { execFileSync } from 'node:child_process';
import { appendFileSync, copyFileSync, existsSync, openSync, closeSync, readSync, renameSync, rmSync, truncateSync, writeSync } from 'node:fs';

/** Which of the trail's files. */
export type TrailFileKey = 'database' | 'wal' | 'shm';

/** What is done to it. */
export type TrailFaultMove = 'removed' | 'replaced' | 'unwritable' | 'corrupted';

export const TRAIL_FILE_KEYS: readonly TrailFileKey[] = ['database', 'wal', 'shm'];
export const TRAIL_FAULT_MOVES: readonly TrailFaultMove[] = ['removed', 'replaced', 'unwritable', 'corrupted'];

/** Path of `key` for the trail `file`. */
export function trailFilePath(file: string, key: TrailFileKey): string {
  return key === 'database' ? file : `${file}-${key}`;
}

/**
 * Does `move` to `key` of the trail `file`; returns the undo, which puts the very same file
 * back (same inode, same bytes), as an operator restoring it would.
 * - removed: moved away (renamed, so its inode survives to be restored);
 * - replaced: moved away and a byte-for-byte copy (another inode) moved in its place;
 * - unwritable: `chattr +i` (immutable: no write, not even by root, not even through an open descriptor);
 * - corrupted: the header overwritten (database, WAL) or the file truncated to zero (`-shm`,
 *   the fault that turns a memory-mapped WAL index into a SIGBUS).
 */
export function applyTrailFault(file: string, key: TrailFileKey, move: TrailFaultMove): () => void {
  const p = trailFilePath(file, key);
  if (!existsSync(p)) throw new Error(`${p} does not exist: the trail is not open in WAL mode`);
  const away = `${p}.away`;
  switch (move) {
    case 'removed':
      renameSync(p, away);
      return () => renameSync(away, p);
    case 'replaced': {
      const copy = `${p}.impostor`;
      copyFileSync(p, copy);
      renameSync(p, away);
      renameSync(copy, p);
      return () => renameSync(away, p);
    }
    case 'unwritable':
      execFileSync('chattr', ['+i', p]);
      assertBlocksRoot(p);
      return () => execFileSync('chattr', ['-i', p]);
    case 'corrupted': {
      if (key === 'shm') {
        const saved = `${p}.saved`;
        copyFileSync(p, saved);
        truncateSync(p, 0);
        return () => {
          // Same inode, same bytes again: copy the saved content back in place.
          copyFileSync(saved, p);
          rmSync(saved);
        };
      }
      const length = key === 'database' ? 100 : 32;
      const original = readHead(p, length);
      writeHead(p, Buffer.alloc(length, 0x5a));
      return () => writeHead(p, original);
    }
  }
}

/**
 * Clears the immutable flag on the trail's files, wherever a fault left it (a child that died
 * before its undo): otherwise not even `rm -rf` as root could remove the test's folder.
 */
export function clearImmutable(file: string): void {
  for (const key of TRAIL_FILE_KEYS) {
    const p = trailFilePath(file, key);
    if (!existsSync(p)) continue;
    try {
      execFileSync('chattr', ['-i', p], { stdio: 'ignore' });
    } catch {
      // No flag to clear, or no chattr here: then nothing was made immutable either.
    }
  }
}

/** Throws unless writing to `p` fails even for this (root) process. */
function assertBlocksRoot(p: string): void {
  try {
    appendFileSync(p, '');
    const fd = openSync(p, 'r+');
    closeSync(fd);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EPERM') return;
    throw error;
  }
  throw new Error(`chattr +i did not make ${p} unwritable for this process: the "unwritable" fault cannot be simulated here`);
}

function readHead(p: string, length: number): Buffer {
  const fd = openSync(p, 'r');
  try {
    const buf = Buffer.alloc(length);
    readSync(fd, buf, 0, length, 0);
    return buf;
  } finally {
    closeSync(fd);
  }
}

function writeHead(p: string, bytes: Buffer): void {
  const fd = openSync(p, 'r+');
  try {
    writeSync(fd, bytes, 0, bytes.length, 0);
  } finally {
    closeSync(fd);
  }
}
