import { parse, type DocumentNode } from 'graphql';
import { federationLink } from './federation-link';
import { kitTypeDefs } from './kit-type-defs';

/**
 * A subgraph's full type definitions: the federation link, the kit SDL, then the
 * agency's own SDL. Parse errors name the line in the combined text, so the agency SDL
 * is parsed on its own first to report its own line numbers.
 *
 * @throws GraphQLError (syntax) when `agencySdl` does not parse.
 */
export function subgraphTypeDefs(agencySdl: string): DocumentNode {
  parse(agencySdl);
  return parse(`${federationLink}\n${kitTypeDefs}\n${agencySdl}`);
}
