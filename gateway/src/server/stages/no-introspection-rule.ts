/** With introspection off (the default), an operation that selects `__schema` or `__type` does not validate. */
import { GraphQLError, type ASTVisitor, type ValidationContext } from 'graphql';

export function noIntrospectionRule(context: ValidationContext): ASTVisitor {
  return {
    Field(node) {
      if (node.name.value === '__schema' || node.name.value === '__type') {
        context.reportError(
          new GraphQLError('GraphQL introspection is not allowed on this gateway (PACTUM_INTROSPECTION is off).', { nodes: [node] }),
        );
      }
    },
  };
}
