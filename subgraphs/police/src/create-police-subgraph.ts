import { createStoreSubgraph, type RunningStoreSubgraph, type SubgraphRunOptions } from '@pactum/subgraph-kit';
import { createPoliceResolvers, type PoliceResolverOptions } from './resolvers/police-resolvers';
import { typeDefs } from './schema';
import { seedPolice } from './seed/seed-police';
import { policeMigrations } from './store/migrations';

/**
 * Options of {@link createPoliceSubgraph}: `port` (0 = any free port), `dbFile` (created and
 * seeded on first start, or `:memory:`), the required `authenticate` (the gateway's
 * context-token verifier, or `ALLOW_UNAUTHENTICATED` in tests only — hit checks then refuse,
 * having no agency to issue to) and, optionally, the hit references' lifetime and clock.
 */
export type PoliceSubgraphOptions = SubgraphRunOptions & PoliceResolverOptions;

/**
 * Opens (migrating and seeding on first start) the police store and serves the police
 * subgraph on `port`. Stopping the returned subgraph drains requests, then closes the store.
 */
export function createPoliceSubgraph(options: PoliceSubgraphOptions): Promise<RunningStoreSubgraph> {
  const { hitReferenceTtlSec, now, ...run } = options;
  const resolvers = createPoliceResolvers({ ...(hitReferenceTtlSec !== undefined ? { hitReferenceTtlSec } : {}), ...(now !== undefined ? { now } : {}) });
  return createStoreSubgraph({ ...run, name: 'police', typeDefs, resolvers, migrations: policeMigrations, seed: seedPolice });
}
