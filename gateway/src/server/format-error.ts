/**
 * The one place where a GraphQL error becomes what a client sees. Known wire codes keep their
 * message and reason; everything else is masked, so no stack trace, SQL, key material or
 * subgraph internals ever leave the gateway. Every formatted error carries a `code` and a
 * `reason`, the very pair the audit record's `refusal` holds when the answer has no data.
 */
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { isWireCode, PactumError, type WireCode } from '../errors';

/** A formatted error: always a wire code and a reason. */
export interface WireError extends GraphQLFormattedError {
  readonly extensions: { readonly code: WireCode; readonly reason: string; readonly serviceName?: string };
}

/** What an error without a code of its own is taken for (graphql-js parse and validation errors have none). */
export interface Uncoded {
  readonly code: WireCode;
  readonly reason: string;
}

/** The reason given when an error names its code but no reason. */
const DEFAULT_REASON: Readonly<Record<WireCode, string>> = {
  UNAUTHENTICATED: 'unauthenticated',
  FORBIDDEN: 'forbidden',
  BAD_USER_INPUT: 'invalid_input',
  GRAPHQL_PARSE_FAILED: 'syntax_error',
  GRAPHQL_VALIDATION_FAILED: 'invalid_operation',
  PERSISTED_QUERY_NOT_SUPPORTED: 'persisted_queries_off',
  PERSISTED_QUERY_NOT_IN_LIST: 'operation_not_trusted',
  PERSISTED_QUERY_ID_REQUIRED: 'operation_id_required',
  RATE_LIMITED: 'rate_limited',
  RATE_LIMIT_UNAVAILABLE: 'rate_limiter_unavailable',
  SUBGRAPH_UNAVAILABLE: 'subgraph_unavailable',
  AUDIT_UNAVAILABLE: 'audit_store_unavailable',
  GATEWAY_BUSY: 'execution_queue_full',
  INTERNAL_SERVER_ERROR: 'internal',
};

const MASKED: Uncoded = { code: 'INTERNAL_SERVER_ERROR', reason: 'internal' };

// "Did you mean …?" would name fields and types the principal may not see.
const SUGGESTION = / ?Did you mean .+?\?(?=$|\n)/g;
const withoutSuggestions = (message: string): string => (message.includes('Did you mean') ? message.replace(SUGGESTION, '') : message);

/** An identifier scalar's own complaint, wrapped by graphql-js validation or variable coercion. */
function badInputCause(error: GraphQLError): GraphQLError | undefined {
  let current: unknown = error.originalError;
  for (let depth = 0; depth < 5 && current; depth++) {
    if (current instanceof GraphQLError) {
      if (current.extensions?.code === 'BAD_USER_INPUT') return current;
      current = current.originalError;
    } else if (current instanceof Error) {
      current = (current as Error & { cause?: unknown }).cause;
    } else break;
  }
  return undefined;
}

function wire(error: GraphQLError, message: string, code: WireCode, reason: unknown): WireError {
  const serviceName = error.extensions?.serviceName;
  return {
    message: withoutSuggestions(message),
    ...(error.locations ? { locations: error.locations } : {}),
    ...(error.path ? { path: error.path } : {}),
    extensions: {
      code,
      reason: typeof reason === 'string' && reason !== '' ? reason : DEFAULT_REASON[code],
      ...(typeof serviceName === 'string' && code === 'SUBGRAPH_UNAVAILABLE' ? { serviceName } : {}),
    },
  };
}

/**
 * Formats one error for the client. `uncoded` says what an error without a code is (a parse or
 * validation error, a variable that does not coerce); left out, such an error is masked.
 */
export function formatError(error: GraphQLError, uncoded: Uncoded = MASKED): WireError {
  const cause = badInputCause(error);
  if (cause) return wire(error, cause.message, 'BAD_USER_INPUT', cause.extensions?.reason);
  const original = error.originalError;
  if (original instanceof PactumError) {
    return isWireCode(original.code) ? wire(error, original.message, original.code, original.reason) : wire(error, 'Internal server error', MASKED.code, MASKED.reason);
  }
  const code = error.extensions?.code;
  if (code === undefined && uncoded !== MASKED) return wire(error, error.message, uncoded.code, uncoded.reason);
  if (isWireCode(code) && code !== 'INTERNAL_SERVER_ERROR') return wire(error, error.message, code, error.extensions?.reason);
  return wire(error, 'Internal server error', MASKED.code, MASKED.reason);
}

/** A refusal's one error, from a PactumError (its message was written for clients). */
export function formatRefusal(error: PactumError): WireError {
  if (!isWireCode(error.code)) return { message: 'Internal server error', extensions: MASKED };
  return { message: error.message, extensions: { code: error.code, reason: error.reason } };
}
