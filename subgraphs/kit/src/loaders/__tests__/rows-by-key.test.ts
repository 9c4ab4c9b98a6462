import { KitOptionsError } from '../../errors';
import { openStore, type Store } from '../../store';
import { createLoaderCache, keyToString, loaderFor, rowsByKey, rowsGroupedByKey } from '..';

interface ContainerRow { number: string; owner: string }
interface SeizureRow { id: number; container: string; kg: number }
interface CaseRow { agency: string; local_id: string; title: string }

let store: Store;

beforeEach(() => {
  store = openStore({
    file: ':memory:',
    migrations: [
      `CREATE TABLE containers (number TEXT PRIMARY KEY, owner TEXT NOT NULL);
       CREATE TABLE seizures (id INTEGER PRIMARY KEY, container TEXT NOT NULL, kg REAL NOT NULL);
       CREATE TABLE cases (agency TEXT NOT NULL, local_id TEXT NOT NULL, title TEXT NOT NULL, PRIMARY KEY (agency, local_id));`,
    ],
    seed: (db) => {
      const c = db.prepare('INSERT INTO containers VALUES (?, ?)');
      const s = db.prepare('INSERT INTO seizures (container, kg) VALUES (?, ?)');
      for (let i = 0; i < 50; i++) {
        c.run(`C${i}`, 'NL-CUSTOMS');
        for (let j = 0; j < i % 3; j++) s.run(`C${i}`, i + j / 10);
      }
      db.prepare('INSERT INTO cases VALUES (?, ?, ?)').run('EUROJUST', 'EJ-2024-0173', 'banana route');
      db.prepare('INSERT INTO cases VALUES (?, ?, ?)').run('NL-POLICE', 'NL-ONB-2024-0456', 'Rotterdam cell');
    },
  });
});
afterEach(() => store.close());

const BY_NUMBER = 'SELECT * FROM containers WHERE number IN (SELECT value FROM json_each(?))';
const SEIZURES = 'SELECT * FROM seizures WHERE container IN (SELECT value FROM json_each(?)) ORDER BY id';

describe('rowsByKey through a DataLoader', () => {
  it('loads N keys with ONE statement, in key order, null for missing', async () => {
    const cache = createLoaderCache();
    const loader = loaderFor(cache, 'Container.byNumber', rowsByKey<string, ContainerRow>(store.db, BY_NUMBER, (r) => r.number));
    store.resetStatementCount();
    const keys = ['C7', 'C3', 'NOPE', 'C49', ...Array.from({ length: 30 }, (_, i) => `C${i}`)];
    const rows = await Promise.all(keys.map((k) => loader.load(k)));
    expect(store.statementCount()).toBe(1);
    expect(rows.slice(0, 4).map((r) => r?.number ?? null)).toEqual(['C7', 'C3', null, 'C49']);
    expect(rows.slice(4).map((r) => r?.number)).toEqual(Array.from({ length: 30 }, (_, i) => `C${i}`));
  });

  it('costs the same single statement for 5 or 50 keys', async () => {
    for (const n of [5, 50]) {
      const loader = loaderFor(createLoaderCache(), 'x', rowsByKey<string, ContainerRow>(store.db, BY_NUMBER, (r) => r.number));
      store.resetStatementCount();
      await Promise.all(Array.from({ length: n }, (_, i) => loader.load(`C${i}`)));
      expect(store.statementCount()).toBe(1);
    }
  });

  it('supports composite keys in any property order', async () => {
    const sql = "SELECT * FROM cases WHERE (agency, local_id) IN (SELECT value ->> 'agency', value ->> 'localId' FROM json_each(?))";
    const loader = loaderFor(
      createLoaderCache(),
      'Case.byKey',
      rowsByKey<{ agency: string; localId: string }, CaseRow>(store.db, sql, (r) => ({ localId: r.local_id, agency: r.agency })),
    );
    store.resetStatementCount();
    const [ej, nl, none] = await Promise.all([
      loader.load({ agency: 'EUROJUST', localId: 'EJ-2024-0173' }),
      loader.load({ localId: 'NL-ONB-2024-0456', agency: 'NL-POLICE' }),
      loader.load({ agency: 'NL-POLICE', localId: 'EJ-2024-0173' }),
    ]);
    expect(store.statementCount()).toBe(1);
    expect([ej?.title, nl?.title, none]).toEqual(['banana route', 'Rotterdam cell', null]);
  });
});

describe('rowsGroupedByKey', () => {
  it('returns one array per key, empty when none, with ONE statement', async () => {
    const loader = loaderFor(createLoaderCache(), 'Container.seizures', rowsGroupedByKey<string, SeizureRow>(store.db, SEIZURES, (r) => r.container));
    store.resetStatementCount();
    const [c0, c1, c2, c5] = await Promise.all(['C0', 'C1', 'C2', 'C5'].map((k) => loader.load(k)));
    expect(store.statementCount()).toBe(1);
    expect(c0).toEqual([]);
    expect(c1?.map((s) => s.kg)).toEqual([1]);
    expect(c2?.map((s) => s.kg)).toEqual([2, 2.1]);
    expect(c5?.map((s) => s.kg)).toEqual([5, 5.1]);
  });
});

describe('loaderFor', () => {
  it('memoises a loader per name within a cache, and caches are independent', async () => {
    const batch = rowsByKey<string, ContainerRow>(store.db, BY_NUMBER, (r) => r.number);
    const cache = createLoaderCache();
    const a = loaderFor(cache, 'Container.byNumber', batch);
    expect(loaderFor(cache, 'Container.byNumber', batch)).toBe(a);
    expect(loaderFor(createLoaderCache(), 'Container.byNumber', batch)).not.toBe(a);
    await a.load('C1');
    store.resetStatementCount();
    await a.load('C1');
    expect(store.statementCount()).toBe(0);
  });

  it('refuses something that is not a loader cache', () => {
    expect(() => loaderFor({} as never, 'x', async () => [])).toThrow(KitOptionsError);
  });
});

describe('rowsByKey SQL checks', () => {
  it('refuses SQL without exactly one parameter, or that returns no rows', () => {
    expect(() => rowsByKey(store.db, 'SELECT * FROM containers', () => '')).toThrow(/exactly one \? parameter/);
    expect(() => rowsByKey(store.db, 'SELECT * FROM containers WHERE number = ? OR owner = ?', () => '')).toThrow(/exactly one \? parameter/);
    expect(() => rowsByKey(store.db, "DELETE FROM containers WHERE number IN (SELECT value FROM json_each(?))", () => '')).toThrow(/must return rows/);
    expect(() => rowsByKey(store.db, "SELECT * FROM containers WHERE owner != '?' AND number IN (SELECT value FROM json_each(?))", (r: ContainerRow) => r.number)).not.toThrow();
  });

  it('rejects the loads of a batch when the statement fails', async () => {
    const loader = loaderFor(createLoaderCache(), 'x', rowsByKey<string, ContainerRow>(store.db, BY_NUMBER, (r) => r.number));
    store.db.exec('DROP TABLE containers');
    // Matched by shape: under Jest the native addon's SqliteError may come from another realm.
    await expect(loader.load('C1')).rejects.toMatchObject({ code: 'SQLITE_ERROR', message: 'no such table: containers' });
  });
});

describe('keyToString', () => {
  it('is stable for objects and plain for primitives', () => {
    expect(keyToString({ b: 1, a: 'x' })).toBe(keyToString({ a: 'x', b: 1 }));
    expect(keyToString('C1')).toBe('C1');
    expect(keyToString(7)).toBe('7');
  });
});
