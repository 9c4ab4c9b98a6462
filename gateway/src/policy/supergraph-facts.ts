/**
 * {@link SupergraphFacts} over the parsed supergraph: ownership and keys, the facts
 * policies and enforcement both read.
 */
import { resolvingGraph, type SupergraphModel } from './supergraph-model';
import type { SupergraphFacts } from './types';

/** Facts for `model`, mapping subgraphs to agencies with `agencyBySubgraph`. */
export function createSupergraphFacts(model: SupergraphModel, agencyBySubgraph: ReadonlyMap<string, string>): SupergraphFacts {
  return {
    ownerSubgraph(typeName, fieldName) {
      const type = model.types.get(typeName);
      const field = type?.fields.get(fieldName);
      return type && field ? resolvingGraph(type, field) : undefined;
    },
    agencyOfSubgraph(subgraph) {
      return agencyBySubgraph.get(subgraph);
    },
    keyFields(typeName) {
      return model.types.get(typeName)?.keyFields;
    },
    owningAgency(typeName) {
      const type = model.types.get(typeName);
      return type ? agencyBySubgraph.get(type.owningGraph) : undefined;
    },
  };
}
