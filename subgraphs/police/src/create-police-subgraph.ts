import { createSubgraphServer, openStore, type Caller, type RunningSubgraph } from '@pactum/subgraph-kit';
import type { IncomingMessage } from 'node:http';
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
  /** Verifies the gateway's context token on every request (see the kit's `authenticate`). */
  authenticate?: (req: IncomingMessage) => Promise<Caller>;
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
      ...(options.authenticate ? { authenticate: options.authenticate } : {}),
      onStop: () => store.close(),
    });
  } catch (error) {
    store.close();
    throw error;
  }
}
