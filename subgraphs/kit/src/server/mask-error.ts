import type { GraphQLFormattedError } from 'graphql';
import { GraphQLError } from 'graphql';
import { unwrapResolverError } from '@apollo/server/errors';
import { IdentifierError } from '../errors';

/** Error codes whose message is meant for the client; everything else is masked. */
const CLIENT_CODES: ReadonlySet<string> = new Set([
  'BAD_USER_INPUT',
  'BAD_REQUEST',
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'OPERATION_RESOLUTION_FAILURE',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'NOT_FOUND',
]);

/**
 * Apollo `formatError` that lets through only errors meant for clients (known codes,
 * identifier errors as BAD_USER_INPUT) and replaces everything else with
 * "Internal server error", keeping path and locations but no message or stack.
 */
export function createMaskError(onInternal: (error: unknown) => void) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const original = unwrapResolverError(error);
    const { path, locations } = formatted;
    const where = { ...(path ? { path } : {}), ...(locations ? { locations } : {}) };
    if (original instanceof IdentifierError) {
      return { message: original.message, ...where, extensions: { code: 'BAD_USER_INPUT', reason: original.reason } };
    }
    let code = formatted.extensions?.['code'];
    // A scalar's parseLiteral refusing a literal surfaces as a validation error; keep
    // the scalar's BAD_USER_INPUT so a malformed identifier reads the same everywhere.
    if (
      code === 'GRAPHQL_VALIDATION_FAILED' &&
      original instanceof GraphQLError &&
      original.originalError instanceof GraphQLError &&
      original.originalError.extensions['code'] === 'BAD_USER_INPUT'
    ) {
      code = 'BAD_USER_INPUT';
    }
    if (typeof code === 'string' && CLIENT_CODES.has(code)) {
      const reason = formatted.extensions?.['reason'];
      return { message: formatted.message, ...where, extensions: { code, ...(typeof reason === 'string' ? { reason } : {}) } };
    }
    onInternal(original);
    return { message: 'Internal server error', ...where, extensions: { code: 'INTERNAL_SERVER_ERROR' } };
  };
}
