import { createHash } from 'node:crypto';
import type Database from 'better-sqlite3';
import type { DocumentNode } from 'graphql';
import type { IncomingMessage } from 'node:http';
import {
  ALLOW_UNAUTHENTICATED, createStoreSubgraph, type AuthenticateHook, type Caller, type GraphQLResolverMap, type RunningSubgraph, type Store, type SubgraphContext,
} from '@pactum/subgraph-kit';

/**
 * Test harness shared by the four agency subgraphs' tests (not part of any runtime path):
 * a real store and a real HTTP server on a free loopback port, plus a content hash for
 * determinism checks.
 */

/** A SHA-256 over every user table's rows, in primary-key order: equal hashes mean equal data. */
export function dbContentHash(db: Database.Database): string {
  const hash = createHash('sha256');
  const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> '_meta' ORDER BY name").all() as { name: string }[];
  for (const { name } of tables) {
    hash.update(`table ${name}\n`);
    // Sorted in JS: independent of insertion order and of which columns form the key.
    const lines = db.prepare(`SELECT * FROM "${name}"`).all().map((row) => JSON.stringify(row)).sort();
    for (const line of lines) hash.update(`${line}\n`);
  }
  return hash.digest('hex');
}

/**
 * Seeds a second, fresh store with `seeded` and returns its content hash beside `store`'s:
 * the two are equal exactly when the seed is deterministic.
 */
export function contentHashesOfTwoSeeds(store: Store, seeded: () => Store): [string, string] {
  const other = seeded();
  try {
    return [dbContentHash(store.db), dbContentHash(other.db)];
  } finally {
    other.close();
  }
}

/** Rows of a table (for count assertions). */
export function countRows(db: Database.Database, table: string): number {
  return (db.prepare(`SELECT count(*) AS n FROM "${table}"`).get() as { n: number }).n;
}

/** What a subgraph needs to be served by the harness. */
export interface SubgraphParts {
  name: string;
  typeDefs: DocumentNode;
  resolvers: GraphQLResolverMap<SubgraphContext>;
  migrations: string[];
  seed: (db: Database.Database) => void;
  /** Who the subgraph takes the caller to be; default `ALLOW_UNAUTHENTICATED` (no caller). See {@link callerFromTestHeader}. */
  authenticate?: AuthenticateHook;
}

/** The request header {@link callerFromTestHeader} reads the caller's agency from. */
export const TEST_AGENCY_HEADER = 'x-test-agency';

/**
 * A stand-in for the gateway context-token verifier, for harness tests of what depends on the
 * caller (hit references are issued per agency): the agency is the `x-test-agency` header,
 * `NL-CUSTOMS` when absent. Test-only: a real subgraph trusts nothing but the gateway's token.
 */
export const callerFromTestHeader: AuthenticateHook = async (req: IncomingMessage): Promise<Caller> => {
  const header = req.headers[TEST_AGENCY_HEADER];
  return { subject: 'harness', agency: typeof header === 'string' && header !== '' ? header : 'NL-CUSTOMS', purpose: 'test' };
};

/** A served subgraph with its store exposed (statement counts) and a GraphQL client. */
export interface Harness {
  store: Store;
  running: RunningSubgraph;
  /** POSTs a GraphQL request (with extra `headers`, e.g. {@link TEST_AGENCY_HEADER}) and returns the parsed JSON body. */
  request<T = unknown>(
    query: string,
    variables?: Record<string, unknown>,
    headers?: Record<string, string>,
  ): Promise<{ data?: T; errors?: { message: string; extensions?: { code?: string } }[] }>;
  stop(): Promise<void>;
}

/** Serves the subgraph over an in-memory, seeded store on a free port, answering anyone (`ALLOW_UNAUTHENTICATED`) unless `parts.authenticate` says otherwise. */
export async function startHarness(parts: SubgraphParts): Promise<Harness> {
  const running = await createStoreSubgraph({
    ...parts,
    port: 0,
    dbFile: ':memory:',
    // Tests call the subgraph directly, without a gateway to mint context tokens.
    authenticate: parts.authenticate ?? ALLOW_UNAUTHENTICATED,
  });
  const store = running.store;
  return {
    store,
    running,
    async request(query, variables, headers = {}) {
      const response = await fetch(running.url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ query, variables }) });
      return (await response.json()) as never;
    },
    stop: () => running.stop(),
  };
}

/**
 * How many SQL statements resolving `_entities` for the given representations costs
 * (after one warm-up request, so lazily prepared statements do not skew the count).
 */
export async function entitiesStatementCount(harness: Harness, selection: string, representations: Record<string, unknown>[]): Promise<number> {
  const query = `query ($r: [_Any!]!) { _entities(representations: $r) { ${selection} } }`;
  await harness.request(query, { r: representations.slice(0, 1) });
  harness.store.resetStatementCount();
  const body = await harness.request(query, { r: representations });
  if (body.errors) throw new Error(`_entities failed: ${JSON.stringify(body.errors)}`);
  return harness.store.statementCount();
}
