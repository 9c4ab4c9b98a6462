import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { KitOptionsError, StoreError } from '../errors';

/** An open SQLite store. */
export interface Store {
  /** The better-sqlite3 connection. */
  readonly db: Database.Database;
  /** Closes the connection (checkpointing the WAL). Safe to call twice. */
  close(): void;
  /** How many SQL statements ran on this connection since open or the last reset. */
  statementCount(): number;
  /** Sets the statement counter back to zero (tests call it before the step they measure). */
  resetStatementCount(): void;
}

/** Options of {@link openStore}. */
export interface OpenStoreOptions {
  /** Path of the SQLite file (parent folders are created), or `:memory:`. */
  file: string;
  /**
   * Schema migrations, in order; migration i runs when `PRAGMA user_version` is below i+1.
   * Never edit or reorder a shipped migration: append a new one.
   */
  migrations: string[];
  /** Fills an empty store once; runs in one transaction and is recorded in `_meta`. */
  seed?: (db: Database.Database) => void;
  /** Open read-only: no migration and no seed; the file must exist and be up to date. */
  readonly?: boolean;
}

const META_TABLE = 'CREATE TABLE IF NOT EXISTS _meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)';

/**
 * Opens (creating if needed) a subgraph's SQLite store: WAL journal, foreign keys on,
 * migrations applied in one transaction, then the seed run once. The seed and its
 * "seeded" mark commit together, so a crash mid-seed leaves an empty store that the
 * next start seeds again from scratch.
 *
 * @throws KitOptionsError on bad options; StoreError when the file is newer than the
 *   migrations, a migration fails or the seed fails (the store is closed again).
 */
export function openStore(options: OpenStoreOptions): Store {
  checkOptions(options);
  const { file, migrations, seed } = options;
  const readonly = options.readonly === true;
  if (file !== ':memory:' && !readonly) mkdirSync(dirname(file), { recursive: true });

  let count = 0;
  let db: Database.Database;
  try {
    db = new Database(file, {
      readonly,
      fileMustExist: readonly,
      // Counts every statement SQLite runs, including BEGIN/COMMIT: the batching tests read it.
      verbose: () => {
        count++;
      },
    });
  } catch (cause) {
    throw new StoreError('open', `cannot open SQLite store ${file}: ${(cause as Error).message}`, { cause });
  }

  try {
    db.pragma('busy_timeout = 5000');
    db.pragma('foreign_keys = ON');
    if (readonly) {
      checkVersion(db, file, migrations.length, true);
    } else {
      if (file !== ':memory:') db.pragma('journal_mode = WAL');
      migrate(db, file, migrations);
      if (seed) seedOnce(db, file, seed);
    }
  } catch (error) {
    db.close();
    throw error;
  }

  let closed = false;
  return {
    db,
    close() {
      if (closed) return;
      closed = true;
      db.close();
    },
    statementCount: () => count,
    resetStatementCount() {
      count = 0;
    },
  };
}

function checkOptions(options: OpenStoreOptions): void {
  if (typeof options !== 'object' || options === null) throw new KitOptionsError('options', 'openStore: options must be an object');
  if (typeof options.file !== 'string' || options.file === '') {
    throw new KitOptionsError('file', 'openStore: options.file must be a non-empty path or ":memory:"');
  }
  if (!Array.isArray(options.migrations) || !options.migrations.every((m) => typeof m === 'string' && m.trim() !== '')) {
    throw new KitOptionsError('migrations', 'openStore: options.migrations must be an array of non-empty SQL strings');
  }
  if (options.seed !== undefined && typeof options.seed !== 'function') {
    throw new KitOptionsError('seed', 'openStore: options.seed must be a function');
  }
  if (options.readonly && options.file === ':memory:') {
    throw new KitOptionsError('readonly', 'openStore: a read-only store cannot be ":memory:"');
  }
}

function userVersion(db: Database.Database): number {
  return Number(db.pragma('user_version', { simple: true }));
}

function checkVersion(db: Database.Database, file: string, known: number, exact: boolean): number {
  const version = userVersion(db);
  if (version > known) {
    throw new StoreError('version', `SQLite store ${file} is at schema version ${version}, newer than the ${known} migrations this code knows`);
  }
  if (exact && version !== known) {
    throw new StoreError('version', `SQLite store ${file} is at schema version ${version}, expected ${known}; open it read-write once to migrate`);
  }
  return version;
}

function migrate(db: Database.Database, file: string, migrations: string[]): void {
  const apply = db.transaction(() => {
    db.exec(META_TABLE);
    const from = checkVersion(db, file, migrations.length, false);
    for (let i = from; i < migrations.length; i++) {
      try {
        db.exec(migrations[i] as string);
      } catch (cause) {
        throw new StoreError('migration', `SQLite store ${file}: migration ${i + 1} failed: ${(cause as Error).message}`, { cause });
      }
    }
    // PRAGMA takes no parameters; the value is an integer we computed.
    if (from !== migrations.length) db.pragma(`user_version = ${migrations.length}`);
  });
  // IMMEDIATE: take the write lock first so two processes never migrate at once.
  apply.immediate();
}

function seedOnce(db: Database.Database, file: string, seed: (db: Database.Database) => void): void {
  const run = db.transaction(() => {
    const done = db.prepare("SELECT value FROM _meta WHERE key = 'seeded'").get();
    if (done) return;
    try {
      seed(db);
    } catch (cause) {
      throw new StoreError('seed', `SQLite store ${file}: seed failed, nothing was written: ${(cause as Error).message}`, { cause });
    }
    db.prepare("INSERT INTO _meta (key, value) VALUES ('seeded', ?)").run(new Date().toISOString());
  });
  run.immediate();
}
