import { createStoreSubgraph, type RunningStoreSubgraph, type SubgraphRunOptions } from '@pactum/subgraph-kit';
import { resolvers } from './resolvers/europol-resolvers';
import { typeDefs } from './schema';
import { seedEuropol } from './seed/seed-europol';
import { europolMigrations } from './store/migrations';

/**
 * Options of {@link createEuropolSubgraph}: `port` (0 = any free port), `dbFile` (created and
 * seeded on first start, or `:memory:`) and the required `authenticate` (the gateway's
 * context-token verifier, or `ALLOW_UNAUTHENTICATED` in tests only).
 */
export type EuropolSubgraphOptions = SubgraphRunOptions;

/**
 * Opens (migrating and seeding on first start) the europol store and serves the europol
 * subgraph on `port`. Stopping the returned subgraph drains requests, then closes the store.
 */
export function createEuropolSubgraph(options: EuropolSubgraphOptions): Promise<RunningStoreSubgraph> {
  return createStoreSubgraph({ ...options, name: 'europol', typeDefs, resolvers, migrations: europolMigrations, seed: seedEuropol });
}
