/** @pactum/subgraph-eurojust: EUROJUST's subgraph (judicial cases, JITs, MLA requests, arrest warrants, national case links). */
export { typeDefs, eurojustSdl } from './schema';
export { resolvers } from './resolvers/eurojust-resolvers';
export { createEurojustSubgraph, type EurojustSubgraphOptions } from './create-eurojust-subgraph';
export { eurojustMigrations } from './store/migrations';
export { seedEurojust, EUROJUST_SEED } from './seed/seed-eurojust';
