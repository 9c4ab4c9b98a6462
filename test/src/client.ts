/** A small GraphQL client for end-to-end tests: one POST, the status and the parsed body. */
import { loadOperations } from '@pactum/schema';

export interface GraphQLReply {
  readonly status: number;
  /** Present on answers read from the wire (`ask`). */
  readonly headers?: Headers;
  readonly body: {
    data?: Record<string, unknown> | null;
    errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[];
    extensions?: Record<string, unknown>;
  };
}

export interface Ask {
  readonly token?: string;
  readonly purpose?: string;
  readonly justification?: string;
  readonly caseRef?: string;
  readonly query?: string;
  /** A trusted operation from `schema/operations/` by name (used when `query` is absent). */
  readonly operation?: string;
  readonly variables?: Record<string, unknown>;
  readonly headers?: Record<string, string>;
  /** Aborts the request (the client hangs up). */
  readonly signal?: AbortSignal;
}

const operations = loadOperations();

export async function ask(url: string, request: Ask): Promise<GraphQLReply> {
  const query = request.query ?? (request.operation ? operations[request.operation] : undefined);
  if (!query) throw new Error(`no query and no known operation ${request.operation}`);
  const headers: Record<string, string> = { 'content-type': 'application/json', ...request.headers };
  if (request.token) headers.authorization = `Bearer ${request.token}`;
  if (request.purpose) headers['x-purpose'] = request.purpose;
  if (request.justification) headers['x-justification'] = request.justification;
  if (request.caseRef) headers['x-case-ref'] = request.caseRef;
  const res = await fetch(url, {
    method: 'POST',
    headers,
    ...(request.signal ? { signal: request.signal } : {}),
    body: JSON.stringify({ query, variables: request.variables ?? {}, ...(request.operation ? { operationName: request.operation } : {}) }),
  });
  return { status: res.status, headers: res.headers, body: (await res.json()) as GraphQLReply['body'] };
}
