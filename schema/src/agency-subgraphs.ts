import type { DocumentNode } from 'graphql';
import { loadSubgraphRegistry, loadSubgraphTypeDefs, type SubgraphRegistry } from './registry';

/** One agency subgraph as composition sees it. */
export interface AgencySubgraph {
  /** Subgraph name; also the join__Graph enum value (upper-cased) in the supergraph. */
  readonly name: string;
  /** Default routing URL written into the supergraph; the gateway overrides it from configuration. */
  readonly url: string;
  readonly typeDefs: DocumentNode;
}

/**
 * The agency subgraphs of the registry (`subgraphs/subgraphs.yaml`, or the one given), in its
 * order so the composed SDL is byte-stable. Each is read from its workspace's `src/schema.ts`
 * only, so composing never loads resolvers, SQLite or a server.
 */
export function agencySubgraphs(registry: SubgraphRegistry = loadSubgraphRegistry()): AgencySubgraph[] {
  return registry.subgraphs.map((entry) => ({ name: entry.name, url: entry.url, typeDefs: loadSubgraphTypeDefs(entry) }));
}
