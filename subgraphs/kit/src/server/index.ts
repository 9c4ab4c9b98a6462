/** The subgraph server factories and the process entry helper. */
export { ALLOW_UNAUTHENTICATED } from './allow-unauthenticated';
export { createSubgraphServer } from './create-subgraph-server';
export { createStoreSubgraph, type RunningStoreSubgraph, type StoreSubgraphOptions, type SubgraphRunOptions } from './create-store-subgraph';
export { findRepoRoot, runSubgraphMain, subgraphMainSettings, type SubgraphMainDefaults, type SubgraphMainSettings } from './run-subgraph-main';
export type { AuthenticateHook, Caller, CreateSubgraphServerOptions, GraphQLResolverMap, RunningSubgraph, SubgraphContext } from './types';
