/**
 * The one place where errors become what a client sees. Known codes keep their message and
 * reason; everything else is masked, so no stack trace, SQL, key material or subgraph internals
 * ever leave the gateway.
 */
import { GraphQLError, type GraphQLFormattedError } from 'graphql';

const PASS_THROUGH = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_USER_INPUT',
  'BAD_REQUEST',
  'FORBIDDEN',
  'UNAUTHENTICATED',
  'OPERATION_RESOLUTION_FAILURE',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'SUBGRAPH_UNAVAILABLE',
  'AUDIT_UNAVAILABLE',
]);

/** Extensions a client may see, per code; anything else in `extensions` is dropped. */
const KEPT_EXTENSIONS = ['reason', 'serviceName'] as const;

/** An identifier scalar's own complaint, wrapped by graphql-js validation or variable coercion. */
function badInputCause(error: unknown): GraphQLError | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current; depth++) {
    if (current instanceof GraphQLError) {
      if (current.extensions?.code === 'BAD_USER_INPUT' && depth > 0) return current;
      current = current.originalError;
    } else if (current instanceof Error) {
      current = (current as Error & { cause?: unknown }).cause;
    } else break;
  }
  return undefined;
}

/** Apollo Server `formatError`: keep known codes, mask the rest. */
export function formatError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const cause = badInputCause(error);
  if (cause) {
    return {
      message: cause.message,
      ...(formatted.locations ? { locations: formatted.locations } : {}),
      ...(formatted.path ? { path: formatted.path } : {}),
      extensions: { code: 'BAD_USER_INPUT' },
    };
  }
  const code = typeof formatted.extensions?.code === 'string' ? formatted.extensions.code : undefined;
  if (code && PASS_THROUGH.has(code)) {
    const extensions: Record<string, unknown> = { code };
    for (const key of KEPT_EXTENSIONS) {
      const v = formatted.extensions?.[key];
      if (typeof v === 'string') extensions[key] = v;
    }
    return {
      message: formatted.message,
      ...(formatted.locations ? { locations: formatted.locations } : {}),
      ...(formatted.path ? { path: formatted.path } : {}),
      extensions,
    };
  }
  // Variable coercion errors from the gateway carry no code; their message is about the client's own input.
  if (!code && /^Variable "\$[_A-Za-z][_0-9A-Za-z]*" /.test(formatted.message)) {
    return { message: formatted.message, extensions: { code: 'BAD_USER_INPUT' } };
  }
  return {
    message: 'Internal server error',
    ...(formatted.path ? { path: formatted.path } : {}),
    extensions: { code: 'INTERNAL_SERVER_ERROR' },
  };
}
