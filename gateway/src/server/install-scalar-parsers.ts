/**
 * Gives the supergraph's opaque identifier scalars their real parsers, so a malformed container
 * number, IMO or IBAN is refused at the gateway, in literals (validation) and variables
 * (coercion) alike, before anything is planned.
 */
import { GraphQLScalarType, type GraphQLSchema } from 'graphql';

export function installScalarParsers(schema: GraphQLSchema, scalars: Readonly<Record<string, GraphQLScalarType>>): void {
  for (const [name, impl] of Object.entries(scalars)) {
    const type = schema.getType(name);
    if (!(type instanceof GraphQLScalarType)) continue;
    type.parseValue = impl.parseValue;
    type.parseLiteral = impl.parseLiteral;
  }
}
