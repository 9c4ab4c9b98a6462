/** The subgraph server factory and the process entry helper. */
export { createSubgraphServer } from './create-subgraph-server';
export { findRepoRoot, runSubgraphMain, subgraphMainSettings, type SubgraphMainDefaults, type SubgraphMainSettings } from './run-subgraph-main';
export type { Caller, CreateSubgraphServerOptions, GraphQLResolverMap, RunningSubgraph, SubgraphContext } from './types';
