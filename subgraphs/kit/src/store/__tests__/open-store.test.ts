import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { KitOptionsError, StoreError } from '../../errors';
import { openStore, type Store } from '..';

const MIGRATIONS = [
  'CREATE TABLE vessels (imo TEXT PRIMARY KEY, name TEXT NOT NULL)',
  'CREATE TABLE port_calls (id INTEGER PRIMARY KEY, imo TEXT NOT NULL REFERENCES vessels(imo), port TEXT NOT NULL)',
];

let dir: string;
const open: Store[] = [];
const track = (s: Store) => {
  open.push(s);
  return s;
};

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'kit-store-'));
});
afterEach(() => {
  for (const s of open.splice(0)) s.close();
  rmSync(dir, { recursive: true, force: true });
});

const count = (s: Store, table: string) => (s.db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;

describe('openStore', () => {
  it('creates parent folders, uses WAL and foreign keys, migrates to user_version', () => {
    const file = join(dir, 'a', 'b', 'customs.sqlite');
    const store = track(openStore({ file, migrations: MIGRATIONS }));
    expect(existsSync(file)).toBe(true);
    expect(store.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(store.db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(store.db.pragma('user_version', { simple: true })).toBe(2);
    expect(() => store.db.prepare("INSERT INTO port_calls (imo, port) VALUES ('9074729', 'NLRTM')").run()).toThrow(/FOREIGN KEY/);
  });

  it('applies only new migrations on the next open', () => {
    const file = join(dir, 's.sqlite');
    openStore({ file, migrations: MIGRATIONS.slice(0, 1) }).close();
    const store = track(openStore({ file, migrations: MIGRATIONS }));
    expect(store.db.pragma('user_version', { simple: true })).toBe(2);
    store.close();
    // Running migration 1 again would fail ("table vessels already exists"): it must be skipped.
    expect(() => track(openStore({ file, migrations: MIGRATIONS }))).not.toThrow();
  });

  it('rolls back every migration of a run when one fails', () => {
    const file = join(dir, 's.sqlite');
    expect(() => openStore({ file, migrations: [MIGRATIONS[0] as string, 'CREATE TABLE broken ('] })).toThrow(StoreError);
    expect(() => openStore({ file, migrations: [MIGRATIONS[0] as string, 'CREATE TABLE broken ('] })).toThrow(/migration 2 failed/);
    const raw = new Database(file);
    expect(raw.pragma('user_version', { simple: true })).toBe(0);
    expect(raw.prepare("SELECT name FROM sqlite_master WHERE name = 'vessels'").get()).toBeUndefined();
    raw.close();
  });

  it('refuses a store newer than the code', () => {
    const file = join(dir, 's.sqlite');
    openStore({ file, migrations: MIGRATIONS }).close();
    expect(() => openStore({ file, migrations: MIGRATIONS.slice(0, 1) })).toThrow(
      expect.objectContaining({ reason: 'version', message: expect.stringContaining('schema version 2, newer than the 1 migrations') }),
    );
  });

  it('seeds once', () => {
    const file = join(dir, 's.sqlite');
    let runs = 0;
    const seed = (db: Database.Database) => {
      runs++;
      db.prepare("INSERT INTO vessels VALUES ('9074729', 'Star of Rotterdam')").run();
    };
    openStore({ file, migrations: MIGRATIONS, seed }).close();
    const store = track(openStore({ file, migrations: MIGRATIONS, seed }));
    expect(runs).toBe(1);
    expect(count(store, 'vessels')).toBe(1);
  });

  it('leaves nothing behind when the seed throws, and seeds cleanly on the next start', () => {
    const file = join(dir, 's.sqlite');
    const failing = (db: Database.Database) => {
      db.prepare("INSERT INTO vessels VALUES ('9074729', 'Star of Rotterdam')").run();
      throw new Error('generator bug');
    };
    expect(() => openStore({ file, migrations: MIGRATIONS, seed: failing })).toThrow('seed failed, nothing was written: generator bug');
    const good = (db: Database.Database) => {
      db.prepare("INSERT INTO vessels VALUES ('9312042', 'Maas Trader')").run();
    };
    const store = track(openStore({ file, migrations: MIGRATIONS, seed: good }));
    expect(store.db.prepare('SELECT imo FROM vessels').all()).toEqual([{ imo: '9312042' }]);
  });

  it('survives a process killed in the middle of seeding', () => {
    const file = join(dir, 'crash.sqlite');
    const script = join(dir, 'crash.ts');
    writeFileSync(
      script,
      `const { openStore } = require(${JSON.stringify(join(__dirname, '..'))});
openStore({ file: ${JSON.stringify(file)}, migrations: ${JSON.stringify(MIGRATIONS)}, seed: (db) => {
  const insert = db.prepare('INSERT INTO vessels VALUES (?, ?)');
  for (let i = 0; i < 5000; i++) insert.run(String(i), 'v' + i);
  process.kill(process.pid, 'SIGKILL');
} });`,
    );
    const child = spawnSync(process.execPath, ['--import', 'tsx', script], { cwd: join(__dirname, '..', '..', '..'), encoding: 'utf8' });
    expect(child.signal).toBe('SIGKILL');
    const store = track(
      openStore({ file, migrations: MIGRATIONS, seed: (db) => db.prepare("INSERT INTO vessels VALUES ('9463786', 'after crash')").run() }),
    );
    expect(store.db.prepare('SELECT imo, name FROM vessels').all()).toEqual([{ imo: '9463786', name: 'after crash' }]);
    expect(store.db.pragma('integrity_check', { simple: true })).toBe('ok');
  });

  it('counts every statement and resets the count', () => {
    const store = track(openStore({ file: ':memory:', migrations: MIGRATIONS }));
    store.resetStatementCount();
    store.db.prepare("INSERT INTO vessels VALUES ('9074729', 'x')").run();
    store.db.prepare('SELECT * FROM vessels').all();
    store.db.prepare('SELECT * FROM vessels').get();
    expect(store.statementCount()).toBe(3);
    store.resetStatementCount();
    expect(store.statementCount()).toBe(0);
  });

  it('works in memory', () => {
    const store = track(openStore({ file: ':memory:', migrations: MIGRATIONS, seed: (db) => db.exec("INSERT INTO vessels VALUES ('1', 'a')") }));
    expect(count(store, 'vessels')).toBe(1);
  });

  it('opens read-only without migrating and refuses an out-of-date file', () => {
    const file = join(dir, 's.sqlite');
    expect(() => openStore({ file, migrations: MIGRATIONS, readonly: true })).toThrow(StoreError);
    openStore({ file, migrations: MIGRATIONS.slice(0, 1) }).close();
    expect(() => openStore({ file, migrations: MIGRATIONS, readonly: true })).toThrow(/schema version 1, expected 2/);
    openStore({ file, migrations: MIGRATIONS }).close();
    const ro = track(openStore({ file, migrations: MIGRATIONS, readonly: true }));
    expect(() => ro.db.exec("INSERT INTO vessels VALUES ('1', 'a')")).toThrow(/readonly/);
  });

  it('closes idempotently', () => {
    const store = openStore({ file: ':memory:', migrations: [] });
    store.close();
    expect(() => store.close()).not.toThrow();
    expect(store.db.open).toBe(false);
  });

  it.each<[unknown, string]>([
    [{ file: '', migrations: [] }, 'options.file must be a non-empty path'],
    [{ file: ':memory:' }, 'options.migrations must be an array of non-empty SQL strings'],
    [{ file: ':memory:', migrations: [''] }, 'options.migrations must be an array of non-empty SQL strings'],
    [{ file: ':memory:', migrations: [], seed: 'yes' }, 'options.seed must be a function'],
    [{ file: ':memory:', migrations: [], readonly: true }, 'a read-only store cannot be ":memory:"'],
  ])('refuses bad options %j', (options, message) => {
    expect(() => openStore(options as never)).toThrow(KitOptionsError);
    expect(() => openStore(options as never)).toThrow(message);
  });
});
