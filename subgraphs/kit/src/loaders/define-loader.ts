import type Database from 'better-sqlite3';
import type DataLoader from 'dataloader';
import type { SubgraphContext } from '../server/types';
import { dbOf } from '../store/store-context';
import { loaderFor } from './loader-cache';

/**
 * Declares a per-request DataLoader by name, over the request's store (`context.db`):
 *
 * ```ts
 * const byNumber = defineLoader<string, ContainerRow | null>('Container.byNumber', (db) =>
 *   rowsByKey(db, 'SELECT * FROM containers WHERE number IN (SELECT value FROM json_each(?))', (r) => r.number));
 * // in a resolver:
 * byNumber(ctx).load(number)
 * ```
 *
 * The loader lives in the request's loader cache, so rows are never shared across requests.
 * Use one name per (entity, relation).
 */
export function defineLoader<K, V>(
  name: string,
  makeBatch: (db: Database.Database) => (keys: readonly K[]) => Promise<V[]>,
): (context: SubgraphContext) => DataLoader<K, V, string> {
  // async: a missing context.db then rejects with dbOf's own error, where a synchronous
  // throw would reach resolvers as DataLoader's generic TypeError.
  return (context) => loaderFor<K, V>(context.loaders, name, async (keys) => makeBatch(dbOf(context))(keys));
}
