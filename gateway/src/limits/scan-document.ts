/**
 * One pass of graphql-js' lexer over the query text, before it is parsed: counts the tokens and
 * follows how deeply brackets nest, so that neither a token flood nor a document nested
 * thousands of levels deep (graphql-js' recursive-descent parser overflows the stack at about
 * 2 000 levels) ever reaches the parser. Linear in the text; stops at the first limit passed.
 */
import { GraphQLError, Lexer, Source, TokenKind } from 'graphql';
import { LimitExceededError } from './limit-exceeded-error';

const OPENING = new Set<TokenKind>([TokenKind.BRACE_L, TokenKind.PAREN_L, TokenKind.BRACKET_L]);
const CLOSING = new Set<TokenKind>([TokenKind.BRACE_R, TokenKind.PAREN_R, TokenKind.BRACKET_R]);

/**
 * Throws {@link LimitExceededError} (`limit_tokens`, `limit_depth`) past a bound. Returns false
 * when the text does not even lex (then the parser reports the syntax error its usual way).
 */
export function scanDocument(source: string, limits: { readonly maxTokens: number; readonly maxNesting: number }): boolean {
  const lexer = new Lexer(new Source(source));
  let tokens = 0;
  let nesting = 0;
  try {
    for (let token = lexer.advance(); token.kind !== TokenKind.EOF; token = lexer.advance()) {
      tokens += 1;
      if (tokens > limits.maxTokens) {
        throw new LimitExceededError('limit_tokens', `document has more than ${limits.maxTokens} tokens; the limit is ${limits.maxTokens}`);
      }
      if (OPENING.has(token.kind)) {
        nesting += 1;
        if (nesting > limits.maxNesting) {
          throw new LimitExceededError('limit_depth', `document nests brackets more than ${limits.maxNesting} deep; the limit is ${limits.maxNesting}`);
        }
      } else if (CLOSING.has(token.kind)) nesting -= 1;
    }
  } catch (err) {
    if (err instanceof GraphQLError) return false;
    throw err;
  }
  return true;
}
