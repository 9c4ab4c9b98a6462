/** @pactum/subgraph-police: NL-POLICE's subgraph (investigations, suspects, seized assets, hit/no-hit). */
export { typeDefs, policeSdl } from './schema';
export { resolvers } from './resolvers/police-resolvers';
export { createPoliceSubgraph, type PoliceSubgraphOptions } from './create-police-subgraph';
export { policeMigrations } from './store/migrations';
export { seedPolice, POLICE_SEED, suspectId } from './seed/seed-police';
export { policeHitReference, nameKey } from './seed/hit-reference';
