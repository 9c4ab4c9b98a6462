import type { DocumentNode } from 'graphql';
import { typeDefs as policeTypeDefs } from '@pactum/subgraph-police/src/schema';
import { typeDefs as customsTypeDefs } from '@pactum/subgraph-customs/src/schema';
import { typeDefs as eurojustTypeDefs } from '@pactum/subgraph-eurojust/src/schema';
import { typeDefs as europolTypeDefs } from '@pactum/subgraph-europol/src/schema';

/** One agency subgraph as composition sees it. */
export interface AgencySubgraph {
  /** Subgraph name; also the join__Graph enum value (upper-cased) in the supergraph. */
  readonly name: string;
  /** Default routing URL written into the supergraph; the gateway overrides it from configuration. */
  readonly url: string;
  readonly typeDefs: DocumentNode;
}

/**
 * The four agency subgraphs, in a fixed order so the composed SDL is byte-stable.
 * Imported from each subgraph's schema module (not its index) so composing never loads
 * resolvers, SQLite or a server.
 */
export const agencySubgraphs: readonly AgencySubgraph[] = [
  { name: 'police', url: 'http://127.0.0.1:4001/graphql', typeDefs: policeTypeDefs },
  { name: 'customs', url: 'http://127.0.0.1:4002/graphql', typeDefs: customsTypeDefs },
  { name: 'eurojust', url: 'http://127.0.0.1:4003/graphql', typeDefs: eurojustTypeDefs },
  { name: 'europol', url: 'http://127.0.0.1:4004/graphql', typeDefs: europolTypeDefs },
];
