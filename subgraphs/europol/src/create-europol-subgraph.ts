import { createStoreSubgraph, type RunningStoreSubgraph, type SubgraphRunOptions } from '@pactum/subgraph-kit';
import { createEuropolResolvers, type EuropolResolverOptions } from './resolvers/europol-resolvers';
import { typeDefs } from './schema';
import { seedEuropol } from './seed/seed-europol';
import { europolMigrations } from './store/migrations';

/**
 * Options of {@link createEuropolSubgraph}: `port` (0 = any free port), `dbFile` (created and
 * seeded on first start, or `:memory:`), the required `authenticate` (the gateway's
 * context-token verifier, or `ALLOW_UNAUTHENTICATED` in tests only — hit checks then refuse,
 * having no agency to issue to) and, optionally, the hit references' lifetime and clock.
 */
export type EuropolSubgraphOptions = SubgraphRunOptions & EuropolResolverOptions;

/**
 * Opens (migrating and seeding on first start) the europol store and serves the europol
 * subgraph on `port`. Stopping the returned subgraph drains requests, then closes the store.
 */
export function createEuropolSubgraph(options: EuropolSubgraphOptions): Promise<RunningStoreSubgraph> {
  const { hitReferenceTtlSec, now, ...run } = options;
  const resolvers = createEuropolResolvers({ ...(hitReferenceTtlSec !== undefined ? { hitReferenceTtlSec } : {}), ...(now !== undefined ? { now } : {}) });
  return createStoreSubgraph({ ...run, name: 'europol', typeDefs, resolvers, migrations: europolMigrations, seed: seedEuropol });
}
