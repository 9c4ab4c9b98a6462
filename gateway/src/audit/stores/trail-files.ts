/**
 * Is the SQLite trail still the one this store opened? A handle is not enough: a file
 * removed under a running process stays open through its descriptor, so writes "succeed"
 * into a file nobody will ever read again; and the WAL index (`-shm`) is memory-mapped, so
 * once it cannot be written (immutable, read-only file system) or is truncated, the next
 * touch of the mapping — a write, a read transaction, even closing the last connection
 * (which checkpoints) — kills the whole process with SIGBUS instead of returning an error.
 *
 * So the identities (device + inode) of the database, `-wal` and `-shm` files are pinned
 * once, when the store opens, and every use of a connection first checks, by path, that
 * the same three files are still there, writable, not truncated and with intact headers.
 * They are pinned for the store's life on purpose: while any of its connections is open
 * SQLite never recreates `-wal` or `-shm`, so a different inode at a path is always
 * someone else's doing, and a passing check means the open connections use exactly the
 * files at the paths — the same connection may simply be used again once the trail is back.
 */
import { accessSync, closeSync, constants, fstatSync, openSync, readSync, statSync, type Stats } from 'node:fs';
import { AuditUnavailableError } from '../../errors';

/** The three files of a trail in WAL mode. */
export type TrailFileName = 'database' | 'wal' | 'shm';

/** What is wrong with a trail file. */
export type TrailFaultKind = 'removed' | 'replaced' | 'unwritable' | 'truncated' | 'corrupted';

/** A trail file that is no longer the one the store opened, or no longer usable (plain data: crosses threads). */
export interface TrailFault {
  readonly file: TrailFileName;
  readonly kind: TrailFaultKind;
  readonly path: string;
  /** What was found, in a few words (`errno EPERM`, `inode 12 instead of 11`). */
  readonly detail: string;
}

/** Device and inode of one file; strings, because an inode may not fit a double. */
export interface FileIdentity {
  readonly dev: string;
  readonly ino: string;
}

/** The pinned identities of a trail's three files (plain data: sent to the writer thread). */
export interface TrailIdentity {
  readonly file: string;
  readonly database: FileIdentity;
  readonly wal: FileIdentity;
  readonly shm: FileIdentity;
}

/** The store cannot use its trail because one of its files is not the one it opened. */
export class TrailFaultError extends AuditUnavailableError {
  readonly fault: TrailFault;

  constructor(fault: TrailFault) {
    super(`trail_${fault.kind}`, `audit trail ${describeTrailFault(fault)} (${fault.path}: ${fault.detail})`);
    this.fault = fault;
  }
}

/** `shm file unwritable` — short, path-free wording for `/readyz`. */
export function describeTrailFault(fault: Pick<TrailFault, 'file' | 'kind'>): string {
  return `${fault.file} file ${fault.kind}`;
}

/**
 * The smallest `-shm` any open connection has mapped: SQLite maps the WAL index in 32 KiB
 * regions and every connection maps at least the first. A shorter file means someone
 * truncated it, and touching the mapping beyond its end is a SIGBUS.
 */
const SHM_MIN_BYTES = 32 * 1024;
const SQLITE_MAGIC = Buffer.from('SQLite format 3\0', 'latin1');
const WAL_MAGICS = new Set([0x377f0682, 0x377f0683]);

/** Paths of the three files of `file`. */
export function trailPaths(file: string): Record<TrailFileName, string> {
  return { database: file, wal: `${file}-wal`, shm: `${file}-shm` };
}

/**
 * Pins the identities of `file`'s three files as they are now. Call it while a connection
 * in WAL mode is open (so `-wal` and `-shm` exist); throws if one is missing.
 */
export function pinTrailFiles(file: string): TrailIdentity {
  const paths = trailPaths(file);
  const id = (p: string): FileIdentity => {
    const s = statSync(p, { bigint: true });
    return { dev: String(s.dev), ino: String(s.ino) };
  };
  return { file, database: id(paths.database), wal: id(paths.wal), shm: id(paths.shm) };
}

/**
 * Before the first connection maps anything: the first of `file`'s three files that exists
 * but cannot be written (a `-shm` left behind by another process and made immutable would
 * be mapped and touched by the very open, a SIGBUS), or null.
 */
export function unwritableBeforeOpen(file: string): TrailFault | null {
  const paths = trailPaths(file);
  for (const name of ['database', 'wal', 'shm'] as const) {
    try {
      accessSync(paths[name], constants.W_OK);
    } catch (error) {
      // Not there (yet): nothing mapped, nothing to refuse; SQLite's open reports a bad path itself.
      const code = (error as NodeJS.ErrnoException | null)?.code;
      if (code === 'ENOENT' || code === 'ENOTDIR') continue;
      return { file: name, kind: 'unwritable', path: paths[name], detail: errnoOf(error) };
    }
  }
  return null;
}

/** Checks a trail's files against their pinned identities; see the file comment. */
export class TrailFiles {
  private readonly paths: Record<TrailFileName, string>;
  private readonly header = Buffer.alloc(SQLITE_MAGIC.length);
  /** Read-only descriptors on the pinned database and WAL, for the header checks (an open per check would double its cost). */
  private readonly fds = new Map<'database' | 'wal', number>();

  constructor(readonly identity: TrailIdentity) {
    this.paths = trailPaths(identity.file);
  }

  /**
   * The first fault found, or null when all three files are the pinned ones, writable,
   * long enough, with intact headers. About 10 syscalls, no SQLite involved: it is safe to
   * run when the mapping is not.
   */
  check(): TrailFault | null {
    return this.checkOne('database') ?? this.checkOne('wal') ?? this.checkOne('shm');
  }

  /**
   * Whether closing a connection (which may checkpoint, touching the `-shm` mapping) is
   * safe: not when the WAL index is unwritable or truncated. A connection that may not be
   * closed is left open; the process releases it when it ends.
   */
  safeToClose(): boolean {
    const fault = this.checkOne('shm');
    return fault === null || (fault.kind !== 'unwritable' && fault.kind !== 'truncated');
  }

  private checkOne(name: TrailFileName): TrailFault | null {
    const p = this.paths[name];
    const fault = (kind: TrailFaultKind, detail: string): TrailFault => ({ file: name, kind, path: p, detail });
    let s: Stats | undefined;
    try {
      s = statSync(p, { throwIfNoEntry: false });
    } catch (error) {
      // ENOTDIR, EACCES on the directory…: the path no longer leads to the file.
      return fault('removed', errnoOf(error));
    }
    if (!s) return fault('removed', 'no such file');
    const pinned = this.identity[name];
    // Numbers compare exactly for any inode below 2^53; the pinned strings keep larger ones.
    if (String(s.ino) !== pinned.ino || String(s.dev) !== pinned.dev) return fault('replaced', `inode ${s.ino} instead of ${pinned.ino}`);
    try {
      // access(W_OK) sees what stops even root: the immutable flag (EPERM) and a read-only mount (EROFS).
      accessSync(p, constants.W_OK);
    } catch (error) {
      return fault('unwritable', errnoOf(error));
    }
    if (name === 'shm' && s.size < SHM_MIN_BYTES) return fault('truncated', `${s.size} bytes`);
    if (name === 'database' && s.size > 0 && !this.readHeader(name, SQLITE_MAGIC.length, (h) => h.equals(SQLITE_MAGIC))) {
      return fault('corrupted', 'not an SQLite database header');
    }
    if (name === 'wal' && s.size >= 32 && !this.readHeader(name, 4, (h) => WAL_MAGICS.has(h.readUInt32BE(0)))) {
      return fault('corrupted', 'not a WAL header');
    }
    return null;
  }

  /** Closes the descriptors the header checks keep. */
  close(): void {
    for (const fd of this.fds.values()) {
      try {
        closeSync(fd);
      } catch {
        // Already closed: nothing to release.
      }
    }
    this.fds.clear();
  }

  /** Reads the first `length` bytes of the pinned `name` and tests them; an unreadable header fails the test. */
  private readHeader(name: 'database' | 'wal', length: number, ok: (header: Buffer) => boolean): boolean {
    try {
      const fd = this.fdOf(name);
      const view = this.header.subarray(0, length);
      return readSync(fd, view, 0, length, 0) === length && ok(view);
    } catch {
      return false;
    }
  }

  /** A descriptor on the pinned file (opened once, and only if the path still leads to the pinned inode). */
  private fdOf(name: 'database' | 'wal'): number {
    const known = this.fds.get(name);
    if (known !== undefined) return known;
    const fd = openSync(this.paths[name], 'r');
    const s = fstatSync(fd, { bigint: true });
    const pinned = this.identity[name];
    if (String(s.ino) !== pinned.ino || String(s.dev) !== pinned.dev) {
      closeSync(fd);
      throw new Error(`${this.paths[name]} was replaced while being opened`);
    }
    this.fds.set(name, fd);
    return fd;
  }
}

function errnoOf(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  return code ? `errno ${code}` : String(error);
}
