import { createStoreSubgraph, type RunningStoreSubgraph, type SubgraphRunOptions } from '@pactum/subgraph-kit';
import { resolvers } from './resolvers/police-resolvers';
import { typeDefs } from './schema';
import { seedPolice } from './seed/seed-police';
import { policeMigrations } from './store/migrations';

/**
 * Options of {@link createPoliceSubgraph}: `port` (0 = any free port), `dbFile` (created and
 * seeded on first start, or `:memory:`) and the required `authenticate` (the gateway's
 * context-token verifier, or `ALLOW_UNAUTHENTICATED` in tests only).
 */
export type PoliceSubgraphOptions = SubgraphRunOptions;

/**
 * Opens (migrating and seeding on first start) the police store and serves the police
 * subgraph on `port`. Stopping the returned subgraph drains requests, then closes the store.
 */
export function createPoliceSubgraph(options: PoliceSubgraphOptions): Promise<RunningStoreSubgraph> {
  return createStoreSubgraph({ ...options, name: 'police', typeDefs, resolvers, migrations: policeMigrations, seed: seedPolice });
}
