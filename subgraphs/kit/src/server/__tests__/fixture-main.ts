/** A minimal subgraph main, run as a child process by run-subgraph-main.test.ts. */
import { createStoreSubgraph, dbOf, runSubgraphMain, subgraphTypeDefs } from '../../index';

void runSubgraphMain(
  (settings) =>
    createStoreSubgraph({
      ...settings,
      name: 'demo',
      migrations: ['CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)'],
      seed: (db) => db.prepare("INSERT INTO t (v) VALUES ('seeded')").run(),
      typeDefs: subgraphTypeDefs('type Query { v: String }'),
      resolvers: { Query: { v: (_p: unknown, _a: unknown, ctx) => (dbOf(ctx).prepare('SELECT v FROM t').get() as { v: string }).v } },
    }),
  { name: 'demo', port: 4999, envPrefix: 'DEMO' },
);
