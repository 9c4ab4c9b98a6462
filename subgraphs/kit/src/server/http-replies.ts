import type { ServerResponse } from 'node:http';

/** Writes a JSON body with the given status; `close` asks the client to drop the socket. */
export function sendJson(res: ServerResponse, status: number, body: unknown, close = false): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const text = JSON.stringify(body);
  res.statusCode = status;
  res.setHeader('content-type', 'application/json; charset=utf-8');
  res.setHeader('content-length', Buffer.byteLength(text));
  if (close) res.setHeader('connection', 'close');
  res.end(text);
}

/** The GraphQL-over-HTTP error body for a request refused before execution. */
export function errorBody(message: string, code: string, reason?: string): { errors: unknown[] } {
  return { errors: [{ message, extensions: { code, ...(reason ? { reason } : {}) } }] };
}
