import type Database from 'better-sqlite3';
import { KitOptionsError } from '../errors';
import type { SubgraphContext } from '../server/types';

/** The context of a subgraph served by `createStoreSubgraph`: the kit's base context plus the store's connection. */
export interface StoreContext extends SubgraphContext {
  /** The subgraph's SQLite connection (shared by all requests; loaders are per request). */
  db: Database.Database;
}

/**
 * The SQLite connection of the request's context. Fails loudly (an internal error, masked
 * for the client) when the server was not built with `createStoreSubgraph`, rather than
 * letting a resolver run against nothing.
 *
 * @throws KitOptionsError (`reason: 'context_db'`) when `context.db` is missing.
 */
export function dbOf(context: SubgraphContext): Database.Database {
  const db = (context as Partial<StoreContext> | undefined)?.db;
  if (typeof db !== 'object' || db === null || typeof db.prepare !== 'function') {
    throw new KitOptionsError('context_db', 'resolvers need context.db: serve the subgraph with createStoreSubgraph');
  }
  return db;
}
