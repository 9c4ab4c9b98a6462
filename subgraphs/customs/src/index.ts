/** @pactum/subgraph-customs: NL-CUSTOMS's subgraph (containers, declarations, scans, seizures, port calls). */
export { typeDefs, customsSdl } from './schema';
export { resolvers } from './resolvers/customs-resolvers';
export { createCustomsSubgraph, type CustomsSubgraphOptions } from './create-customs-subgraph';
export { customsMigrations } from './store/migrations';
export { seedCustoms, CUSTOMS_SEED } from './seed/seed-customs';
