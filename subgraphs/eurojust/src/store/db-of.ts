import type Database from 'better-sqlite3';
import { loaderFor, type SubgraphContext } from '@pactum/subgraph-kit';
import type DataLoader from 'dataloader';

/** The context this subgraph's resolvers get: the kit's base context plus the store's connection. */
export interface EurojustContext extends SubgraphContext {
  db: Database.Database;
}

/** The SQLite connection of the request's context; fails loudly if the server was built without it. */
export function dbOf(context: SubgraphContext): Database.Database {
  const db = (context as Partial<EurojustContext>).db;
  if (!db) throw new Error('eurojust resolvers need context.db (create the server with createEurojustSubgraph)');
  return db;
}

/**
 * Declares a per-request DataLoader by name: `const byNumber = defineLoader('Container.byNumber', db => rowsByKey(...))`,
 * then `byNumber(context).load(key)` in resolvers.
 */
export function defineLoader<K, V>(
  name: string,
  makeBatch: (db: Database.Database) => (keys: readonly K[]) => Promise<V[]>,
): (context: SubgraphContext) => DataLoader<K, V, string> {
  return (context) => loaderFor<K, V>(context.loaders, name, (keys) => makeBatch(dbOf(context))(keys));
}
