/** @pactum/subgraph-europol: EUROPOL's subgraph (SIENA messages, intelligence, OCGs, analysis projects, hit/no-hit). */
export { typeDefs, europolSdl } from './schema';
export { resolvers } from './resolvers/europol-resolvers';
export { createEuropolSubgraph, type EuropolSubgraphOptions } from './create-europol-subgraph';
export { europolMigrations } from './store/migrations';
export { seedEuropol, EUROPOL_SEED } from './seed/seed-europol';
export { europolHitReference, nameKey } from './seed/hit-reference';
