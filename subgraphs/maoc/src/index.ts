/** @pactum/subgraph-maoc: MAOC-N's subgraph. */
export { typeDefs, maocSdl } from './schema';
export { resolvers } from './resolvers/maoc-resolvers';
export { createMaocSubgraph, type MaocSubgraphOptions } from './create-maoc-subgraph';
export { maocMigrations } from './store/migrations';
export { seedMaoc, MAOC_SEED } from './seed/seed-maoc';
