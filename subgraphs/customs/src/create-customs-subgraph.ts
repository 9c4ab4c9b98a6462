import { createStoreSubgraph, type RunningStoreSubgraph, type SubgraphRunOptions } from '@pactum/subgraph-kit';
import { resolvers } from './resolvers/customs-resolvers';
import { typeDefs } from './schema';
import { seedCustoms } from './seed/seed-customs';
import { customsMigrations } from './store/migrations';

/**
 * Options of {@link createCustomsSubgraph}: `port` (0 = any free port), `dbFile` (created and
 * seeded on first start, or `:memory:`) and the required `authenticate` (the gateway's
 * context-token verifier, or `ALLOW_UNAUTHENTICATED` in tests only).
 */
export type CustomsSubgraphOptions = SubgraphRunOptions;

/**
 * Opens (migrating and seeding on first start) the customs store and serves the customs
 * subgraph on `port`. Stopping the returned subgraph drains requests, then closes the store.
 */
export function createCustomsSubgraph(options: CustomsSubgraphOptions): Promise<RunningStoreSubgraph> {
  return createStoreSubgraph({ ...options, name: 'customs', typeDefs, resolvers, migrations: customsMigrations, seed: seedCustoms });
}
