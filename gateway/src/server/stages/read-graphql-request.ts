/**
 * Stage 2: the GraphQL request out of the HTTP request — a POST with a JSON body, or a GET with
 * the query in the URL — with the protections clients of Apollo Server rely on:
 *
 * - CSRF prevention: a request a browser could send without a preflight (no content type, or
 *   `text/plain`, `application/x-www-form-urlencoded`, `multipart/form-data`) must carry a
 *   non-empty `x-apollo-operation-name` or `apollo-require-preflight` header;
 * - one operation per request: a JSON array (batching) is refused;
 * - a persisted document is named the Apollo way, `extensions.persistedQuery: { version: 1,
 *   sha256Hash }`, with or without the text; the hash's format is checked here, what it names
 *   is the next stage's business (`trusted-operations.ts`: only the manifest's ids run — APQ,
 *   where any client fills the cache, stays off).
 */
import type { IncomingMessage } from 'node:http';
import { BadUserInputError } from '../../errors';
import { readBody } from '../read-body';

/** One GraphQL request with the text of the document it runs (the output of `trusted-operations.ts`). */
export interface GraphQLRequest {
  readonly method: 'GET' | 'POST';
  readonly query: string;
  /** The operation to run, when the document holds several. */
  readonly operationName: string | null;
  /** Raw variables (coerced by the prepare stage). */
  readonly variables: Readonly<Record<string, unknown>>;
}

/** One GraphQL request as the client sent it: its document given by text, by id, or both. */
export interface ReceivedRequest extends Omit<GraphQLRequest, 'query'> {
  /** The document's text; null when the request names it by id only. */
  readonly query: string | null;
  /** `extensions.persistedQuery.sha256Hash` (64 hex digits, lower-cased), when given. */
  readonly documentId: string | null;
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

const SHA256_HEX = /^[0-9a-fA-F]{64}$/;

/** The id of `extensions.persistedQuery`, checked for shape: `{ version: 1, sha256Hash: <64 hex> }`. */
function documentIdOf(extensions: Record<string, unknown>): string | null {
  if (!Object.hasOwn(extensions, 'persistedQuery')) return null;
  const pq = extensions.persistedQuery;
  if (!isRecord(pq)) throw new BadUserInputError('malformed_persisted_query', '"extensions.persistedQuery" must be an object { version: 1, sha256Hash }');
  if (pq.version !== 1) throw new BadUserInputError('malformed_persisted_query', '"extensions.persistedQuery.version" must be 1');
  const hash = pq.sha256Hash;
  if (typeof hash !== 'string' || !SHA256_HEX.test(hash)) {
    throw new BadUserInputError('malformed_persisted_query', '"extensions.persistedQuery.sha256Hash" must be a sha256: 64 hexadecimal digits');
  }
  return hash.toLowerCase();
}

function requestOf(
  method: 'GET' | 'POST',
  fields: { query: unknown; operationName: unknown; variables: unknown; extensions: unknown; documentId: unknown },
): ReceivedRequest {
  if (fields.extensions !== undefined && fields.extensions !== null && !isRecord(fields.extensions)) {
    throw new BadUserInputError('malformed_request', '"extensions" must be an object');
  }
  // The GraphQL-over-HTTP draft's field: refused with a pointer rather than silently ignored.
  if (fields.documentId !== undefined) {
    throw new BadUserInputError('malformed_persisted_query', '"documentId" is not read: name a trusted operation with extensions.persistedQuery { version: 1, sha256Hash }');
  }
  const documentId = isRecord(fields.extensions) ? documentIdOf(fields.extensions) : null;
  const query = typeof fields.query === 'string' && fields.query.trim() !== '' ? fields.query : null;
  const absent = fields.query === undefined || fields.query === null;
  if (query === null && !(absent && documentId !== null)) {
    throw new BadUserInputError('missing_query', 'GraphQL operations must contain a non-empty "query" (or name a trusted operation by id)');
  }
  if (fields.operationName !== undefined && fields.operationName !== null && typeof fields.operationName !== 'string') {
    throw new BadUserInputError('malformed_request', '"operationName" must be a string');
  }
  if (fields.variables !== undefined && fields.variables !== null && !isRecord(fields.variables)) {
    throw new BadUserInputError('malformed_request', '"variables" must be an object');
  }
  return {
    method,
    query,
    documentId,
    operationName: typeof fields.operationName === 'string' ? fields.operationName : null,
    variables: isRecord(fields.variables) ? fields.variables : {},
  };
}

/** Reads the GraphQL request; throws a `PactumError` (400, 405, 413) to refuse. */
export async function readGraphQLRequest(req: IncomingMessage, limits: { readonly maxBodyBytes: number }): Promise<ReceivedRequest> {
  if (req.method !== 'GET' && req.method !== 'POST') throw new MethodNotAllowedError('use POST (or GET for queries)', 'GET, POST');
  refuseCrossSite(req);
  if (req.method === 'GET') {
    const params = new URL(req.url ?? '/', 'http://gateway').searchParams;
    const json = (name: string): unknown => {
      const v = params.get(name);
      return v === null ? undefined : fromJson(v, `the "${name}" parameter`);
    };
    return requestOf('GET', {
      query: params.get('query') ?? undefined,
      operationName: params.get('operationName') ?? undefined,
      variables: json('variables'),
      extensions: json('extensions'),
      documentId: params.get('documentId') ?? undefined,
    });
  }
  if (mediaType(req) !== 'application/json') {
    req.resume();
    throw new BadUserInputError('unsupported_content_type', 'a POST must carry content-type: application/json');
  }
  const body = fromJson(await readBody(req, limits.maxBodyBytes), 'the request body');
  if (Array.isArray(body)) throw new BadUserInputError('batch_not_supported', 'batched requests are not supported: send one operation per request');
  if (!isRecord(body)) throw new BadUserInputError('malformed_request', 'the request body must be a JSON object');
  return requestOf('POST', { query: body.query, operationName: body.operationName, variables: body.variables, extensions: body.extensions, documentId: body.documentId });
}
