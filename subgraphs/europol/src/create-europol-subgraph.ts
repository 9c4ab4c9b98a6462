import { createSubgraphServer, openStore, type ALLOW_UNAUTHENTICATED, type AuthenticateHook, type RunningSubgraph } from '@pactum/subgraph-kit';
import { resolvers } from './resolvers/europol-resolvers';
import { typeDefs } from './schema';
import { seedEuropol } from './seed/seed-europol';
import { europolMigrations } from './store/migrations';

/** Options of {@link createEuropolSubgraph}. */
export interface EuropolSubgraphOptions {
  /** TCP port (0 = any free port). */
  port: number;
  /** SQLite file (created and seeded on first start) or `:memory:`. */
  dbFile: string;
  /** Required: the gateway's context-token verifier, or `ALLOW_UNAUTHENTICATED` in tests only (see the kit's `authenticate`). */
  authenticate: AuthenticateHook | typeof ALLOW_UNAUTHENTICATED;
}

/**
 * Opens (migrating and seeding on first start) the europol store and serves the europol
 * subgraph on `port`. Stopping the returned subgraph drains requests, then closes the store.
 */
export async function createEuropolSubgraph(options: EuropolSubgraphOptions): Promise<RunningSubgraph> {
  const store = openStore({ file: options.dbFile, migrations: europolMigrations, seed: seedEuropol });
  try {
    return await createSubgraphServer({
      name: 'europol',
      typeDefs,
      resolvers,
      port: options.port,
      createContext: () => ({ db: store.db }),
      authenticate: options.authenticate,
      onStop: () => store.close(),
    });
  } catch (error) {
    store.close();
    throw error;
  }
}
