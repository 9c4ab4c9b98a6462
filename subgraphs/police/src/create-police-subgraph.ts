import { createSubgraphServer, openStore, type ALLOW_UNAUTHENTICATED, type AuthenticateHook, type RunningSubgraph } from '@pactum/subgraph-kit';
import { resolvers } from './resolvers/police-resolvers';
import { typeDefs } from './schema';
import { seedPolice } from './seed/seed-police';
import { policeMigrations } from './store/migrations';

/** Options of {@link createPoliceSubgraph}. */
export interface PoliceSubgraphOptions {
  /** TCP port (0 = any free port). */
  port: number;
  /** SQLite file (created and seeded on first start) or `:memory:`. */
  dbFile: string;
  /** Required: the gateway's context-token verifier, or `ALLOW_UNAUTHENTICATED` in tests only (see the kit's `authenticate`). */
  authenticate: AuthenticateHook | typeof ALLOW_UNAUTHENTICATED;
}

/**
 * Opens (migrating and seeding on first start) the police store and serves the police
 * subgraph on `port`. Stopping the returned subgraph drains requests, then closes the store.
 */
export async function createPoliceSubgraph(options: PoliceSubgraphOptions): Promise<RunningSubgraph> {
  const store = openStore({ file: options.dbFile, migrations: policeMigrations, seed: seedPolice });
  try {
    return await createSubgraphServer({
      name: 'police',
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
