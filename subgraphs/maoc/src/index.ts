/** @pactum/subgraph-maoc: MAOC-N's subgraph (vessels of interest, maritime interdictions, tracking reports). */
export { typeDefs, maocSdl } from './schema';
export { resolvers } from './resolvers/maoc-resolvers';
export { createMaocSubgraph, type MaocSubgraphOptions } from './create-maoc-subgraph';
export { maocMigrations } from './store/migrations';
export { seedMaoc } from './seed/seed-maoc';
export { INTERDICTIONS, TRACKING_REPORTS, VESSELS_OF_INTEREST } from './seed/maoc-story';
