import { createSubgraphServer, openStore, type ALLOW_UNAUTHENTICATED, type AuthenticateHook, type RunningSubgraph } from '@pactum/subgraph-kit';
import { resolvers } from './resolvers/eurojust-resolvers';
import { typeDefs } from './schema';
import { seedEurojust } from './seed/seed-eurojust';
import { eurojustMigrations } from './store/migrations';

/** Options of {@link createEurojustSubgraph}. */
export interface EurojustSubgraphOptions {
  /** TCP port (0 = any free port). */
  port: number;
  /** SQLite file (created and seeded on first start) or `:memory:`. */
  dbFile: string;
  /** Required: the gateway's context-token verifier, or `ALLOW_UNAUTHENTICATED` in tests only (see the kit's `authenticate`). */
  authenticate: AuthenticateHook | typeof ALLOW_UNAUTHENTICATED;
}

/**
 * Opens (migrating and seeding on first start) the eurojust store and serves the eurojust
 * subgraph on `port`. Stopping the returned subgraph drains requests, then closes the store.
 */
export async function createEurojustSubgraph(options: EurojustSubgraphOptions): Promise<RunningSubgraph> {
  const store = openStore({ file: options.dbFile, migrations: eurojustMigrations, seed: seedEurojust });
  try {
    return await createSubgraphServer({
      name: 'eurojust',
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
