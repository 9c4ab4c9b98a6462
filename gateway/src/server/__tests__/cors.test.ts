/**
 * CORS as a browser meets it, over real HTTP on loopback: an allowed origin gets itself back and
 * the exposed headers, a preflight from it is answered with the contract's headers; any other
 * origin — unknown, a look-alike, malformed, `null` — gets no CORS header (a preflight: 403);
 * `Vary: Origin` always; never `*`, never credentials. And the configuration refuses wildcards
 * and non-origins.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ConfigError } from '../../errors';
import { createCors, parseCorsOrigins } from '../cors';

const ALLOWED = 'https://desk.europol.example';
let server: http.Server;
let url: string;
let handled = 0;

beforeAll(async () => {
  const cors = createCors(parseCorsOrigins(`${ALLOWED}, http://127.0.0.1:5173`));
  server = http.createServer((req, res) => {
    if (cors(req, res)) return;
    handled++;
    res.writeHead(200, { 'content-type': 'application/json', 'x-request-id': 'r1' });
    res.end('{"data":{}}');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
});
afterAll(() => new Promise((r) => server.close(r)));

const preflight = (origin: string | undefined, requestHeaders = 'authorization, content-type, x-purpose') =>
  fetch(url, { method: 'OPTIONS', headers: { ...(origin ? { origin } : {}), 'access-control-request-method': 'POST', 'access-control-request-headers': requestHeaders } });

const corsHeaders = (res: Response) => Object.fromEntries([...res.headers].filter(([k]) => k.startsWith('access-control-')));

describe('an allowed origin', () => {
  it('a request gets its origin back, x-request-id and retry-after exposed, Vary: Origin, no credentials', async () => {
    const res = await fetch(url, { method: 'POST', headers: { origin: ALLOWED, 'content-type': 'application/json' }, body: '{}' });
    expect(res.status).toBe(200);
    expect(corsHeaders(res)).toEqual({ 'access-control-allow-origin': ALLOWED, 'access-control-expose-headers': 'x-request-id, retry-after' });
    expect(res.headers.get('vary')).toBe('Origin');
  });

  it('a preflight is answered 204 with the methods and every header of the contract, without reaching the handler', async () => {
    const before = handled;
    const res = await preflight(ALLOWED);
    expect(res.status).toBe(204);
    expect(corsHeaders(res)).toEqual({
      'access-control-allow-origin': ALLOWED,
      'access-control-allow-methods': 'GET, POST',
      'access-control-allow-headers': 'authorization, content-type, x-purpose, x-justification, x-case-ref, x-request-id, apollo-require-preflight, x-apollo-operation-name',
      'access-control-max-age': '600',
    });
    expect(res.headers.get('vary')).toContain('Origin');
    expect(handled).toBe(before);
  });

  it('a second listed origin (a dev server on loopback) is allowed too', async () => {
    const res = await preflight('http://127.0.0.1:5173');
    expect(res.headers.get('access-control-allow-origin')).toBe('http://127.0.0.1:5173');
  });
});

describe('any other origin gets no CORS header', () => {
  it.each([
    ['an unknown origin', 'https://evil.example'],
    ['a look-alike with a suffix', 'https://desk.europol.example.evil.example'],
    ['another scheme', 'http://desk.europol.example'],
    ['another port', 'https://desk.europol.example:8443'],
    ['a trailing slash', `${ALLOWED}/`],
    ['upper case', ALLOWED.toUpperCase()],
    ['the opaque origin', 'null'],
    ['malformed', 'https://desk europol example'],
    ['a wildcard', '*'],
  ])('%s: the request is served without CORS headers; its preflight is 403', async (_what, origin) => {
    const res = await fetch(url, { method: 'POST', headers: { origin, 'content-type': 'application/json' }, body: '{}' });
    expect(res.status).toBe(200);
    expect(corsHeaders(res)).toEqual({});
    expect(res.headers.get('vary')).toBe('Origin');
    const pre = await preflight(origin);
    expect(pre.status).toBe(403);
    expect(corsHeaders(pre)).toEqual({});
  });

  it('no Origin at all (not a browser): served, no CORS header; an OPTIONS without preflight headers goes to the handler', async () => {
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(corsHeaders(res)).toEqual({});
    const before = handled;
    await fetch(url, { method: 'OPTIONS', headers: { origin: ALLOWED } });
    expect(handled).toBe(before + 1);
  });
});

describe('PACTUM_CORS_ORIGINS', () => {
  it('empty or absent: off', () => {
    expect(parseCorsOrigins(undefined)).toEqual([]);
    expect(parseCorsOrigins(' ')).toEqual([]);
  });

  it('keeps origins as browsers serialise them', () => {
    expect(parseCorsOrigins('https://a.example,https://b.example:8443 , http://localhost:3000')).toEqual(['https://a.example', 'https://b.example:8443', 'http://localhost:3000']);
  });

  it.each([
    ['*', '"*" is refused'],
    ['https://a.example/', 'no trailing slash'],
    ['https://a.example/app', 'no path'],
    ['a.example', 'is not an origin'],
    ['ftp://a.example', 'is not an origin'],
    ['https://a.example,', 'is not an origin'],
    ['https://user:pw@a.example', 'is not an origin'],
  ])('%s is refused', (raw, message) => {
    expect(() => parseCorsOrigins(raw)).toThrow(ConfigError);
    expect(() => parseCorsOrigins(raw)).toThrow(message);
  });
});
