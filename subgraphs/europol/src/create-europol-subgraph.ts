import { createSubgraphServer, openStore, type Caller, type RunningSubgraph } from '@pactum/subgraph-kit';
import type { IncomingMessage } from 'node:http';
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
  /** Verifies the gateway's context token on every request (see the kit's `authenticate`). */
  authenticate?: (req: IncomingMessage) => Promise<Caller>;
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
      ...(options.authenticate ? { authenticate: options.authenticate } : {}),
      onStop: () => store.close(),
    });
  } catch (error) {
    store.close();
    throw error;
  }
}
