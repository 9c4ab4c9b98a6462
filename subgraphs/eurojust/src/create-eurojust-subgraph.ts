import { createStoreSubgraph, type RunningStoreSubgraph, type SubgraphRunOptions } from '@pactum/subgraph-kit';
import { resolvers } from './resolvers/eurojust-resolvers';
import { typeDefs } from './schema';
import { seedEurojust } from './seed/seed-eurojust';
import { eurojustMigrations } from './store/migrations';

/**
 * Options of {@link createEurojustSubgraph}: `port` (0 = any free port), `dbFile` (created and
 * seeded on first start, or `:memory:`) and the required `authenticate` (the gateway's
 * context-token verifier, or `ALLOW_UNAUTHENTICATED` in tests only).
 */
export type EurojustSubgraphOptions = SubgraphRunOptions;

/**
 * Opens (migrating and seeding on first start) the eurojust store and serves the eurojust
 * subgraph on `port`. Stopping the returned subgraph drains requests, then closes the store.
 */
export function createEurojustSubgraph(options: EurojustSubgraphOptions): Promise<RunningStoreSubgraph> {
  return createStoreSubgraph({ ...options, name: 'eurojust', typeDefs, resolvers, migrations: eurojustMigrations, seed: seedEurojust });
}
