/** Refuses operations with more aliases than the limit: aliases multiply work without adding depth. */
import { GraphQLError, type ASTVisitor, type ValidationContext, type ValidationRule } from 'graphql';

/** Validation rule: at most `max` aliased fields in the whole document. */
export function aliasLimitRule(max: number): ValidationRule {
  return (context: ValidationContext): ASTVisitor => {
    let count = 0;
    let reported = false;
    return {
      Field(node) {
        if (!node.alias || reported) return;
        count += 1;
        if (count > max) {
          reported = true;
          context.reportError(
            new GraphQLError(`operation uses more than ${max} aliases`, {
              nodes: [node],
              extensions: { code: 'BAD_USER_INPUT', reason: 'limit_aliases' },
            }),
          );
        }
      },
    };
  };
}
