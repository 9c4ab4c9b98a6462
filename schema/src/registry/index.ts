/** The subgraph registry (`subgraphs/subgraphs.yaml`): its only public door. */
export {
  loadSubgraphRegistry,
  subgraphNameProblem,
  subgraphRegistryPath,
  defaultRepoRoot,
  SUBGRAPH_NAME_PATTERN,
  AGENCY_ID_PATTERN,
  type RegisteredSubgraph,
  type SubgraphRegistry,
} from './load-subgraph-registry';
export { loadSubgraphTypeDefs, loadSubgraphFactory, type SubgraphFactoryOptions, type StartedSubgraph } from './load-subgraph-modules';
export { SubgraphRegistryError } from './subgraph-registry-error';
