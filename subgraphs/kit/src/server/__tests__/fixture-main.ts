/** A minimal subgraph main, run as a child process by run-subgraph-main.test.ts. */
import { createSubgraphServer, openStore, runSubgraphMain, subgraphTypeDefs } from '../../index';

void runSubgraphMain(
  async ({ port, dbFile, authenticate }) => {
    const store = openStore({
      file: dbFile,
      migrations: ['CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)'],
      seed: (db) => db.prepare("INSERT INTO t (v) VALUES ('seeded')").run(),
    });
    try {
      return await createSubgraphServer({
        name: 'demo',
        port,
        authenticate,
        typeDefs: subgraphTypeDefs('type Query { v: String }'),
        resolvers: { Query: { v: () => (store.db.prepare('SELECT v FROM t').get() as { v: string }).v } },
        onStop: () => store.close(),
      });
    } catch (error) {
      store.close();
      throw error;
    }
  },
  { name: 'demo', port: 4999, envPrefix: 'DEMO' },
);
