import { composeServices } from '@apollo/composition';
import { agencySubgraphs, type AgencySubgraph } from './agency-subgraphs';
import { toCompositionProblem, type CompositionProblem } from './format-composition-error';

/** Result of composing: the supergraph SDL, or every problem composition found. */
export type ComposeResult = { readonly sdl: string } | { readonly errors: readonly CompositionProblem[] };

/**
 * Composes the agency subgraphs (the registry's by default) into a Federation 2 supergraph.
 * Never throws for schema problems: they come back as `errors`, each naming subgraph and coordinate.
 */
export function composeSupergraph(subgraphs: readonly AgencySubgraph[] = agencySubgraphs()): ComposeResult {
  const result = composeServices(subgraphs.map((s) => ({ name: s.name, url: s.url, typeDefs: s.typeDefs })));
  if (result.errors) return { errors: result.errors.map(toCompositionProblem) };
  // A trailing newline keeps the committed file friendly to editors and diffs.
  return { sdl: result.supergraphSdl.endsWith('\n') ? result.supergraphSdl : `${result.supergraphSdl}\n` };
}
