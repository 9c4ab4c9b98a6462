/**
 * Stage 2: the GraphQL request out of the HTTP request — a POST with a JSON body, or a GET with
 * the query in the URL — with the protections clients of Apollo Server rely on:
 *
 * - CSRF prevention: a request a browser could send without a preflight (no content type, or
 *   `text/plain`, `application/x-www-form-urlencoded`, `multipart/form-data`) must carry a
 *   non-empty `x-apollo-operation-name` or `apollo-require-preflight` header;
 * - one operation per request: a JSON array (batching) is refused;
 * - automatic persisted queries are off: a request naming one is answered
 *   `PERSISTED_QUERY_NOT_SUPPORTED`, on which Apollo Client's APQ link resends the full query.
 *   (APQ would be one more cache any client can fill; front-ends send trusted operations in full.)
 */
import type { IncomingMessage } from 'node:http';
import { BadUserInputError, PactumError, WIRE_STATUS } from '../../errors';
import { readBody } from '../read-body';

/** One GraphQL request, as the client sent it. */
export interface GraphQLRequest {
  readonly method: 'GET' | 'POST';
  readonly query: string;
  /** The operation to run, when the document holds several. */
  readonly operationName: string | null;
  /** Raw variables (coerced by the next stage). */
  readonly variables: Readonly<Record<string, unknown>>;
}

/** Automatic persisted queries are not served. */
export class PersistedQueryNotSupportedError extends PactumError {
  readonly code = 'PERSISTED_QUERY_NOT_SUPPORTED';
  readonly httpStatus = WIRE_STATUS.PERSISTED_QUERY_NOT_SUPPORTED;
}

/** The method does not fit (anything but GET and POST; a mutation over GET): 405. */
export class MethodNotAllowedError extends BadUserInputError {
  override readonly httpStatus = 405;
  constructor(
    message: string,
    /** The `allow` header of the answer. */
    readonly allow: string,
  ) {
    super('method_not_allowed', message);
  }
}

const SIMPLE_CONTENT_TYPES = new Set(['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data']);
const PREFLIGHT_HEADERS = ['x-apollo-operation-name', 'apollo-require-preflight'] as const;

function mediaType(req: IncomingMessage): string | undefined {
  const value = req.headers['content-type'];
  return value === undefined ? undefined : (value.split(';')[0] ?? '').trim().toLowerCase();
}

function refuseCrossSite(req: IncomingMessage): void {
  const type = mediaType(req);
  if (type !== undefined && !SIMPLE_CONTENT_TYPES.has(type)) return;
  if (PREFLIGHT_HEADERS.some((h) => { const v = req.headers[h]; return typeof v === 'string' && v.length > 0; })) return;
  throw new BadUserInputError(
    'csrf_blocked',
    'This operation has been blocked as a potential Cross-Site Request Forgery (CSRF). Send a content-type such as application/json, or a non-empty x-apollo-operation-name or apollo-require-preflight header.',
  );
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function fromJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new BadUserInputError('malformed_json', `${what} is not valid JSON`);
  }
}

function requestOf(method: 'GET' | 'POST', fields: { query: unknown; operationName: unknown; variables: unknown; extensions: unknown }): GraphQLRequest {
  if (fields.extensions !== undefined && fields.extensions !== null && !isRecord(fields.extensions)) {
    throw new BadUserInputError('malformed_request', '"extensions" must be an object');
  }
  if (isRecord(fields.extensions) && Object.hasOwn(fields.extensions, 'persistedQuery')) {
    throw new PersistedQueryNotSupportedError('persisted_queries_off', 'PersistedQueryNotSupported');
  }
  if (typeof fields.query !== 'string' || fields.query.trim() === '') {
    throw new BadUserInputError('missing_query', 'GraphQL operations must contain a non-empty "query"');
  }
  if (fields.operationName !== undefined && fields.operationName !== null && typeof fields.operationName !== 'string') {
    throw new BadUserInputError('malformed_request', '"operationName" must be a string');
  }
  if (fields.variables !== undefined && fields.variables !== null && !isRecord(fields.variables)) {
    throw new BadUserInputError('malformed_request', '"variables" must be an object');
  }
  return {
    method,
    query: fields.query,
    operationName: typeof fields.operationName === 'string' ? fields.operationName : null,
    variables: isRecord(fields.variables) ? fields.variables : {},
  };
}

/** Reads the GraphQL request; throws a `PactumError` (400, 405, 413) to refuse. */
export async function readGraphQLRequest(req: IncomingMessage, limits: { readonly maxBodyBytes: number }): Promise<GraphQLRequest> {
  if (req.method !== 'GET' && req.method !== 'POST') throw new MethodNotAllowedError('use POST (or GET for queries)', 'GET, POST');
  refuseCrossSite(req);
  if (req.method === 'GET') {
    const params = new URL(req.url ?? '/', 'http://gateway').searchParams;
    const json = (name: string): unknown => {
      const v = params.get(name);
      return v === null ? undefined : fromJson(v, `the "${name}" parameter`);
    };
    return requestOf('GET', { query: params.get('query') ?? undefined, operationName: params.get('operationName') ?? undefined, variables: json('variables'), extensions: json('extensions') });
  }
  if (mediaType(req) !== 'application/json') {
    req.resume();
    throw new BadUserInputError('unsupported_content_type', 'a POST must carry content-type: application/json');
  }
  const body = fromJson(await readBody(req, limits.maxBodyBytes), 'the request body');
  if (Array.isArray(body)) throw new BadUserInputError('batch_not_supported', 'batched requests are not supported: send one operation per request');
  if (!isRecord(body)) throw new BadUserInputError('malformed_request', 'the request body must be a JSON object');
  return requestOf('POST', { query: body.query, operationName: body.operationName, variables: body.variables, extensions: body.extensions });
}
