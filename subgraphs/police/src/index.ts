/** @pactum/subgraph-police: NL-POLICE's subgraph (investigations, suspects, seized assets, hit/no-hit). */
export { typeDefs, policeSdl } from './schema';
export { createPoliceResolvers, type PoliceResolverOptions } from './resolvers/police-resolvers';
export { POLICE_HIT_REFERENCES } from './resolvers/police-hit-references';
export { createPoliceSubgraph, type PoliceSubgraphOptions } from './create-police-subgraph';
export { policeMigrations } from './store/migrations';
export { seedPolice, POLICE_SEED, suspectId } from './seed/seed-police';
