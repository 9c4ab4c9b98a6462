/** Reads a request body up to a limit, refusing early (by Content-Length) where it can. */
import type { IncomingMessage } from 'node:http';
import { BadUserInputError } from '../errors';

/** The body is larger than the limit: 413. */
export class BodyTooLargeError extends BadUserInputError {
  override readonly httpStatus = 413;
}

export async function readBody(req: IncomingMessage, limit: number): Promise<string> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) {
    req.resume();
    throw new BodyTooLargeError('body_too_large', `request body exceeds ${limit} bytes`);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) {
      req.resume();
      throw new BodyTooLargeError('body_too_large', `request body exceeds ${limit} bytes`);
    }
    chunks.push(chunk);
  }
  return chunks.length === 1 ? (chunks[0] as Buffer).toString('utf8') : Buffer.concat(chunks).toString('utf8');
}
