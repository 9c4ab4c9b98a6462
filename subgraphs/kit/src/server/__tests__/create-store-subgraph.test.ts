import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { KitOptionsError, PortInUseError, StoreError } from '../../errors';
import { defineLoader, rowsByKey, rowsGroupedByKey } from '../../loaders';
import { subgraphTypeDefs } from '../../sdl';
import { dbOf } from '../../store';
import { ALLOW_UNAUTHENTICATED, createStoreSubgraph, createSubgraphServer, type RunningSubgraph, type StoreSubgraphOptions, type SubgraphContext } from '..';
import { postGraphQL } from './post-graphql';

interface ItemRow { id: string; n: number }
interface TagRow { item_id: string; tag: string }

const IDS = Array.from({ length: 30 }, (_, i) => `item-${String(i).padStart(2, '0')}`);
const MIGRATIONS = ['CREATE TABLE items (id TEXT PRIMARY KEY, n INTEGER NOT NULL); CREATE TABLE tags (item_id TEXT NOT NULL, tag TEXT NOT NULL)'];

let seedCalls = 0;
let seededDb: Database.Database | undefined;
function seed(db: Database.Database): void {
  seedCalls++;
  seededDb = db;
  IDS.forEach((id, i) => {
    db.prepare('INSERT INTO items VALUES (?, ?)').run(id, i);
    for (let j = 0; j < i % 3; j++) db.prepare('INSERT INTO tags VALUES (?, ?)').run(id, `t${j}`);
  });
}

const itemById = defineLoader<string, ItemRow | null>('Item.byId', (db) =>
  rowsByKey(db, 'SELECT * FROM items WHERE id IN (SELECT value FROM json_each(?))', (r: ItemRow) => r.id));
const tagsByItem = defineLoader<string, TagRow[]>('Item.tags', (db) =>
  rowsGroupedByKey(db, 'SELECT * FROM tags WHERE item_id IN (SELECT value FROM json_each(?)) ORDER BY tag', (r: TagRow) => r.item_id));

const typeDefs = subgraphTypeDefs(`
  type Query { items(ids: [String!]!): [Item] itemCount: Int }
  type Item @key(fields: "id") { id: String! n: Int tags: [String!] }
`);
const resolvers = {
  Query: {
    items: (_: unknown, a: { ids: string[] }, ctx: SubgraphContext) => itemById(ctx).loadMany(a.ids),
    itemCount: (_: unknown, _a: unknown, ctx: SubgraphContext) => (dbOf(ctx).prepare('SELECT count(*) AS c FROM items').get() as { c: number }).c,
  },
  Item: {
    __resolveReference: (ref: { id: string }, ctx: SubgraphContext) => itemById(ctx).load(ref.id),
    tags: (item: ItemRow, _: unknown, ctx: SubgraphContext) => tagsByItem(ctx).load(item.id).then((rows) => rows.map((r) => r.tag)),
  },
};

const options = (over: Partial<StoreSubgraphOptions> = {}): StoreSubgraphOptions => ({
  name: 'items',
  typeDefs,
  resolvers,
  migrations: MIGRATIONS,
  seed,
  port: 0,
  dbFile: ':memory:',
  authenticate: ALLOW_UNAUTHENTICATED,
  ...over,
});

let dir: string;
const running: RunningSubgraph[] = [];
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'pactum-kit-store-subgraph-'));
  seedCalls = 0;
  seededDb = undefined;
});
afterEach(async () => {
  await Promise.all(running.splice(0).map((s) => s.stop()));
  rmSync(dir, { recursive: true, force: true });
});

describe('createStoreSubgraph', () => {
  it('serves the seeded store through context.db (dbOf) and defineLoader', async () => {
    const s = await createStoreSubgraph(options());
    running.push(s);
    const r = await postGraphQL(s.url, '{ itemCount items(ids: ["item-04", "nope", "item-02"]) { id n tags } }');
    expect(r.body).toEqual({
      data: {
        itemCount: 30,
        items: [{ id: 'item-04', n: 4, tags: ['t0'] }, null, { id: 'item-02', n: 2, tags: ['t0', 't1'] }],
      },
    });
  });

  it('keeps N entities at one statement per relation, counted on running.store', async () => {
    const s = await createStoreSubgraph(options());
    running.push(s);
    const query = 'query ($r: [_Any!]!) { _entities(representations: $r) { ... on Item { id n tags } } }';
    const reps = (ids: string[]) => ({ r: ids.map((id) => ({ __typename: 'Item', id })) });
    await postGraphQL(s.url, query, reps(IDS.slice(0, 1)));
    s.store.resetStatementCount();
    const one = await postGraphQL(s.url, query, reps(IDS.slice(0, 1)));
    const oneCount = s.store.statementCount();
    s.store.resetStatementCount();
    const all = await postGraphQL(s.url, query, reps(IDS));
    expect(one.body.errors).toBeUndefined();
    expect((all.body.data as { _entities: unknown[] })._entities).toHaveLength(30);
    expect(oneCount).toBe(2);
    expect(s.store.statementCount()).toBe(oneCount);
  });

  it('migrates and seeds a file store once, and reuses it on the next start', async () => {
    const dbFile = join(dir, 'data', 'items.sqlite');
    for (let start = 0; start < 2; start++) {
      const s = await createStoreSubgraph(options({ dbFile }));
      expect((await postGraphQL(s.url, '{ itemCount }')).body).toEqual({ data: { itemCount: 30 } });
      await s.stop();
    }
    expect(seedCalls).toBe(1);
  });

  it('closes the store on stop()', async () => {
    const s = await createStoreSubgraph(options());
    expect(s.store.db.open).toBe(true);
    await s.stop();
    expect(s.store.db.open).toBe(false);
  });

  it('closes the store when the server fails to start (port taken)', async () => {
    const first = await createStoreSubgraph(options());
    running.push(first);
    const error = await createStoreSubgraph(options({ port: first.port })).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(PortInUseError);
    // The failed start's own connection (the one its seed wrote through) is closed; the first server is unaffected.
    expect(seedCalls).toBe(2);
    expect(seededDb?.open).toBe(false);
    expect(first.store.db.open).toBe(true);
    expect((await postGraphQL(first.url, '{ itemCount }')).body).toEqual({ data: { itemCount: 30 } });
  });

  it('refuses a missing authenticate before any file is created, migrated or seeded', async () => {
    const dbFile = join(dir, 'data', 'items.sqlite');
    const { authenticate: _drop, ...rest } = options({ dbFile });
    const error = await createStoreSubgraph(rest as unknown as StoreSubgraphOptions).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(KitOptionsError);
    expect(error).toMatchObject({ reason: 'authenticate' });
    expect((error as Error).message).toMatch(/^createStoreSubgraph: options\.authenticate is required: pass the gateway context-token verifier, createContextTokenVerifier\(\{ audience: 'items'/);
    expect(existsSync(join(dir, 'data'))).toBe(false);
    expect(seedCalls).toBe(0);
  });

  it('refuses other bad options before opening the store', async () => {
    await expect(createStoreSubgraph(options({ name: 'Items!', dbFile: join(dir, 'x.sqlite') }))).rejects.toThrow(
      'createStoreSubgraph: options.name must be a lower-case subgraph name',
    );
    await expect(createStoreSubgraph(null as never)).rejects.toThrow(KitOptionsError);
    expect(existsSync(join(dir, 'x.sqlite'))).toBe(false);
  });

  it('reports a failing seed as StoreError and serves nothing', async () => {
    const error = await createStoreSubgraph(options({ seed: () => { throw new Error('bad row'); } })).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(StoreError);
    expect((error as Error).message).toContain('seed failed, nothing was written: bad row');
  });
});

describe('dbOf / defineLoader without a store', () => {
  it('fail loudly (masked for the client) when context.db is missing', async () => {
    const internal: unknown[] = [];
    const s = await createSubgraphServer({
      name: 'items',
      port: 0,
      typeDefs,
      resolvers,
      authenticate: ALLOW_UNAUTHENTICATED,
      onInternalError: (e) => internal.push(e),
    });
    running.push(s);
    const r = await postGraphQL(s.url, '{ itemCount items(ids: ["item-01"]) { id } }');
    expect(r.body.data).toEqual({ itemCount: null, items: [null] });
    expect(r.body.errors?.map((e) => e.message)).toEqual(['Internal server error', 'Internal server error']);
    expect(internal).toHaveLength(2);
    for (const e of internal) {
      const original = (e as { originalError?: unknown }).originalError ?? e;
      expect(original).toBeInstanceOf(KitOptionsError);
      expect(original).toMatchObject({ reason: 'context_db', message: 'resolvers need context.db: serve the subgraph with createStoreSubgraph' });
    }
  });

  it('dbOf refuses a context whose db is not a connection', () => {
    expect(() => dbOf({ db: 'nope' } as unknown as SubgraphContext)).toThrow(KitOptionsError);
  });
});
