import { createSubgraphServer, openStore, type ALLOW_UNAUTHENTICATED, type AuthenticateHook, type RunningSubgraph } from '@pactum/subgraph-kit';
import { resolvers } from './resolvers/customs-resolvers';
import { typeDefs } from './schema';
import { seedCustoms } from './seed/seed-customs';
import { customsMigrations } from './store/migrations';

/** Options of {@link createCustomsSubgraph}. */
export interface CustomsSubgraphOptions {
  /** TCP port (0 = any free port). */
  port: number;
  /** SQLite file (created and seeded on first start) or `:memory:`. */
  dbFile: string;
  /** Required: the gateway's context-token verifier, or `ALLOW_UNAUTHENTICATED` in tests only (see the kit's `authenticate`). */
  authenticate: AuthenticateHook | typeof ALLOW_UNAUTHENTICATED;
}

/**
 * Opens (migrating and seeding on first start) the customs store and serves the customs
 * subgraph on `port`. Stopping the returned subgraph drains requests, then closes the store.
 */
export async function createCustomsSubgraph(options: CustomsSubgraphOptions): Promise<RunningSubgraph> {
  const store = openStore({ file: options.dbFile, migrations: customsMigrations, seed: seedCustoms });
  try {
    return await createSubgraphServer({
      name: 'customs',
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
