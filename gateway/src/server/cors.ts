/**
 * CORS for `/graphql`, off unless `PACTUM_CORS_ORIGINS` lists the origins of the browser
 * front-ends allowed to call the gateway. An allowed origin gets its own origin back (never `*`)
 * and no `Access-Control-Allow-Credentials`: Pactum authenticates with a bearer token the page
 * sets itself, never with cookies, so a browser has no ambient credential to send. Every answer
 * of a CORS-enabled gateway carries `Vary: Origin`, so a cache never serves one origin's answer
 * to another. An origin not on the list, or not a well-formed origin at all, gets no CORS header:
 * its browser keeps the answer from the page; a preflight from it is answered 403.
 *
 * CORS is not access control: a request is authenticated and authorized the same with or without
 * it. It only decides which web pages may read the answers in a browser.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ConfigError } from '../errors';
import { sendJson } from './send-json';

/** Request headers a front-end may send (the Pactum contract's, plus the CSRF-prevention ones for GET). */
export const CORS_ALLOWED_HEADERS = [
  'authorization',
  'content-type',
  'x-purpose',
  'x-justification',
  'x-case-ref',
  'x-request-id',
  'apollo-require-preflight',
  'x-apollo-operation-name',
] as const;

/** Response headers a page may read beside the safelisted ones. */
export const CORS_EXPOSED_HEADERS = ['x-request-id', 'retry-after'] as const;

const MAX_AGE_SECONDS = 600;

/**
 * Parses `PACTUM_CORS_ORIGINS` (comma-separated origins such as `https://desk.example.eu`);
 * empty or absent: CORS off. Throws {@link ConfigError} naming the entry for a wildcard, a path,
 * or anything that is not an http(s) origin.
 */
export function parseCorsOrigins(raw: string | undefined): readonly string[] {
  if (raw === undefined || raw.trim() === '') return [];
  return raw.split(',').map((entry) => {
    const origin = entry.trim();
    if (origin === '*') throw new ConfigError('bad_option', 'PACTUM_CORS_ORIGINS: "*" is refused; list the origins of the front-ends');
    let url: URL;
    try {
      url = new URL(origin);
    } catch {
      throw new ConfigError('bad_option', `PACTUM_CORS_ORIGINS: "${origin}" is not an origin (scheme://host[:port])`);
    }
    if ((url.protocol !== 'https:' && url.protocol !== 'http:') || url.origin !== origin.toLowerCase().replace(/\/$/, '') || url.pathname !== '/' || origin.endsWith('/')) {
      throw new ConfigError('bad_option', `PACTUM_CORS_ORIGINS: "${origin}" is not an origin (scheme://host[:port], no path, no trailing slash)`);
    }
    return url.origin;
  });
}

/**
 * The CORS step of `/graphql`: sets the headers of an allowed origin on `res` and answers a
 * preflight itself. Returns true when it answered (the request is done).
 */
export function createCors(origins: readonly string[]): (req: IncomingMessage, res: ServerResponse) => boolean {
  const allowed = new Set(origins);
  return (req, res) => {
    res.setHeader('vary', 'Origin');
    const origin = req.headers.origin;
    // Exact match only: browsers send the origin serialised, so anything else is not on the list.
    const ok = typeof origin === 'string' && allowed.has(origin);
    const preflight = req.method === 'OPTIONS' && req.headers['access-control-request-method'] !== undefined;
    if (preflight) {
      if (!ok) {
        sendJson(res, 403, { error: 'origin not allowed' });
        return true;
      }
      res.writeHead(204, {
        'access-control-allow-origin': origin,
        'access-control-allow-methods': 'GET, POST',
        'access-control-allow-headers': CORS_ALLOWED_HEADERS.join(', '),
        'access-control-max-age': String(MAX_AGE_SECONDS),
        vary: 'Origin, Access-Control-Request-Method, Access-Control-Request-Headers',
        'content-length': '0',
      });
      res.end();
      return true;
    }
    if (ok) {
      res.setHeader('access-control-allow-origin', origin);
      res.setHeader('access-control-expose-headers', CORS_EXPOSED_HEADERS.join(', '));
    }
    return false;
  };
}
