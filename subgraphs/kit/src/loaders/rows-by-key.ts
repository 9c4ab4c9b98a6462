import type Database from 'better-sqlite3';
import { KitOptionsError } from '../errors';
import { keyToString } from './loader-cache';

/** Options shared by {@link rowsByKey} and {@link rowsGroupedByKey}. */
export interface RowsByKeyOptions<K> {
  /** Key-to-string for matching rows to keys; defaults to {@link keyToString}. */
  keyToString?: (key: K) => string;
}

// better-sqlite3 does not cache prepared statements; a loader is built per request, so cache here.
const statements = new WeakMap<Database.Database, Map<string, Database.Statement>>();

function prepared(db: Database.Database, sql: string): Database.Statement {
  let perDb = statements.get(db);
  if (!perDb) {
    perDb = new Map();
    statements.set(db, perDb);
  }
  let stmt = perDb.get(sql);
  if (!stmt) {
    stmt = db.prepare(sql);
    if (!stmt.reader) throw new KitOptionsError('sql', `rowsByKey: the SQL must return rows: ${sql.slice(0, 80)}`);
    if (countParameters(sql) !== 1) {
      throw new KitOptionsError('sql', `rowsByKey: the SQL must have exactly one ? parameter (the JSON array of keys, read with json_each(?)): ${sql.slice(0, 80)}`);
    }
    perDb.set(sql, stmt);
  }
  return stmt;
}

/** Counts `?` parameters outside string literals and quoted identifiers. */
function countParameters(sql: string): number {
  let n = 0;
  let quote: string | null = null;
  for (const ch of sql) {
    if (quote) {
      if (ch === quote) quote = null;
    } else if (ch === "'" || ch === '"' || ch === '`') quote = ch;
    else if (ch === '?') n++;
  }
  return n;
}

/** Runs the ONE statement for all keys; the single parameter is the JSON array of keys. */
function runForKeys<K, R>(db: Database.Database, sql: string, keys: readonly K[]): R[] {
  return prepared(db, sql).all(JSON.stringify(keys)) as R[];
}

/**
 * A DataLoader batch function for one-to-one lookups (entity references): ONE SQL
 * statement for all keys, rows returned in key order, `null` for a key with no row.
 *
 * The SQL has exactly one `?`, bound to the JSON array of keys, read with `json_each`:
 * ```sql
 * SELECT * FROM containers WHERE number IN (SELECT value FROM json_each(?))
 * -- composite keys {agency, localId}:
 * SELECT * FROM cases WHERE (agency, local_id) IN
 *   (SELECT value ->> 'agency', value ->> 'localId' FROM json_each(?))
 * ```
 * `keyOf(row)` must give the row's key in the same shape as the keys passed in.
 */
export function rowsByKey<K, R>(
  db: Database.Database,
  sql: string,
  keyOf: (row: R) => K,
  options?: RowsByKeyOptions<K>,
): (keys: readonly K[]) => Promise<(R | null)[]> {
  prepared(db, sql);
  const toString = options?.keyToString ?? keyToString;
  return async (keys) => {
    const byKey = new Map<string, R>();
    for (const row of runForKeys<K, R>(db, sql, keys)) {
      const k = toString(keyOf(row));
      if (!byKey.has(k)) byKey.set(k, row);
    }
    return keys.map((key) => byKey.get(toString(key)) ?? null);
  };
}

/**
 * A DataLoader batch function for one-to-many relations (e.g. a container's seizures):
 * ONE SQL statement for all keys, an array of rows per key (empty when none), in the
 * order the SQL returns them (put the `ORDER BY` in the SQL). Same SQL convention as
 * {@link rowsByKey}; `keyOf(row)` gives the parent key a row belongs to.
 */
export function rowsGroupedByKey<K, R>(
  db: Database.Database,
  sql: string,
  keyOf: (row: R) => K,
  options?: RowsByKeyOptions<K>,
): (keys: readonly K[]) => Promise<R[][]> {
  prepared(db, sql);
  const toString = options?.keyToString ?? keyToString;
  return async (keys) => {
    const groups = new Map<string, R[]>();
    for (const row of runForKeys<K, R>(db, sql, keys)) {
      const k = toString(keyOf(row));
      const group = groups.get(k);
      if (group) group.push(row);
      else groups.set(k, [row]);
    }
    return keys.map((key) => groups.get(toString(key)) ?? []);
  };
}
