import { createStoreSubgraph, type RunningStoreSubgraph, type SubgraphRunOptions } from '@pactum/subgraph-kit';
import { resolvers } from './resolvers/maoc-resolvers';
import { typeDefs } from './schema';
import { seedMaoc } from './seed/seed-maoc';
import { maocMigrations } from './store/migrations';

/** `port` (0 = any free port), `dbFile` (created and seeded on first start, or `:memory:`), `authenticate` (required). */
export type MaocSubgraphOptions = SubgraphRunOptions;

/** Opens (migrating and seeding on first start) the maoc store and serves the subgraph. */
export function createMaocSubgraph(options: MaocSubgraphOptions): Promise<RunningStoreSubgraph> {
  return createStoreSubgraph({ ...options, name: 'maoc', typeDefs, resolvers, migrations: maocMigrations, seed: seedMaoc });
}
