/** @pactum/subgraph-europol: EUROPOL's subgraph (SIENA messages, intelligence, OCGs, analysis projects, hit/no-hit). */
export { typeDefs, europolSdl } from './schema';
export { createEuropolResolvers, type EuropolResolverOptions } from './resolvers/europol-resolvers';
export { EUROPOL_HIT_REFERENCES } from './resolvers/europol-hit-references';
export { createEuropolSubgraph, type EuropolSubgraphOptions } from './create-europol-subgraph';
export { europolMigrations } from './store/migrations';
export { seedEuropol, EUROPOL_SEED } from './seed/seed-europol';
