import { createSubgraphServer, openStore, type Caller, type RunningSubgraph } from '@pactum/subgraph-kit';
import type { IncomingMessage } from 'node:http';
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
  /** Verifies the gateway's context token on every request (see the kit's `authenticate`). */
  authenticate?: (req: IncomingMessage) => Promise<Caller>;
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
      ...(options.authenticate ? { authenticate: options.authenticate } : {}),
      onStop: () => store.close(),
    });
  } catch (error) {
    store.close();
    throw error;
  }
}
