/**
 * The development GraphiQL (`pactum start` only; the configuration refuses it with
 * `NODE_ENV=production`): `/` is the page, `/graphiql/*` its assets — GraphiQL's prebuilt bundle
 * and React's UMD build, read from their npm packages, so the page needs no CDN — and
 * `POST /graphiql/token` issues a development token from the agency's development identity
 * provider, for the page's token helper. Tokens are signed with the very keys `pactum token`
 * uses; the gateway verifies them like any other.
 *
 * The token route is what makes this a development-only feature: anyone who can reach it can be
 * anybody. It takes JSON only (a cross-site form cannot post JSON without a preflight, and no
 * CORS header is ever sent for it) and checks every claim's shape.
 */
import fs from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { issueDevToken, type TrustRegistry } from '../../auth';
import { PactumError } from '../../errors';
import { readBody } from '../read-body';
import { sendJson } from '../send-json';
import { GRAPHIQL_APP_JS } from './graphiql-app';
import { graphiqlPage, PACTUM_CSS, type GraphiQLPageOptions } from './graphiql-page';

export interface DevGraphiQLOptions {
  readonly registry: TrustRegistry;
  /** Private keys of the development identity providers (`<state>/dev-idp`). */
  readonly idpDir: string;
  /** Agencies with a development identity provider. */
  readonly agencies: readonly string[];
  readonly example: GraphiQLPageOptions['example'];
  readonly defaultQuery: string;
}

interface Asset {
  readonly type: string;
  readonly body: Buffer;
}

/** A file of an installed package, found from its package.json (React's exports map hides `umd/`). */
function packageFile(pkg: string, file: string): Buffer {
  return fs.readFileSync(path.join(path.dirname(require.resolve(`${pkg}/package.json`)), file));
}

/** The assets, read once when the page is first served. */
function loadAssets(): ReadonlyMap<string, Asset> {
  const js = 'text/javascript; charset=utf-8';
  return new Map<string, Asset>([
    ['/graphiql/graphiql.min.js', { type: js, body: packageFile('graphiql', 'graphiql.min.js') }],
    ['/graphiql/graphiql.min.css', { type: 'text/css; charset=utf-8', body: packageFile('graphiql', 'graphiql.min.css') }],
    ['/graphiql/react.production.min.js', { type: js, body: packageFile('react', 'umd/react.production.min.js') }],
    ['/graphiql/react-dom.production.min.js', { type: js, body: packageFile('react-dom', 'umd/react-dom.production.min.js') }],
    ['/graphiql/app.js', { type: js, body: Buffer.from(GRAPHIQL_APP_JS) }],
    ['/graphiql/pactum.css', { type: 'text/css; charset=utf-8', body: Buffer.from(PACTUM_CSS) }],
  ]);
}

// Scripts from the gateway only, no inline script; styles may be inline (GraphiQL sets some).
const CSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; connect-src 'self'; frame-ancestors 'none'";

const NAME = /^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$/;
const isNameList = (v: unknown): v is string[] => Array.isArray(v) && v.length <= 32 && v.every((x) => typeof x === 'string' && NAME.test(x));

class DevTokenRequestError extends Error {}

function tokenRequest(body: string, agencies: readonly string[]) {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    throw new DevTokenRequestError('the body is not JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new DevTokenRequestError('the body must be a JSON object');
  const v = value as Record<string, unknown>;
  if (typeof v.agency !== 'string' || !agencies.includes(v.agency)) throw new DevTokenRequestError(`agency must be one of ${agencies.join(', ')}`);
  if (typeof v.sub !== 'string' || !NAME.test(v.sub)) throw new DevTokenRequestError('sub must be 1-64 letters, digits, ".", "_", "@", "-"');
  if (typeof v.clearance !== 'string' || !NAME.test(v.clearance)) throw new DevTokenRequestError('clearance must be a level name');
  for (const list of ['roles', 'purposes', 'cases'] as const) {
    if (v[list] !== undefined && !isNameList(v[list])) throw new DevTokenRequestError(`${list} must be a list of names`);
  }
  return { agency: v.agency, sub: v.sub, clearance: v.clearance, roles: (v.roles as string[] | undefined) ?? [], purposes: (v.purposes as string[] | undefined) ?? [], cases: (v.cases as string[] | undefined) ?? [] };
}

/** The routes; returns false for a path that is not GraphiQL's. */
export function createDevGraphiQL(options: DevGraphiQLOptions): (req: IncomingMessage, res: ServerResponse, path: string) => Promise<boolean> {
  let assets: ReadonlyMap<string, Asset> | undefined;
  const page = Buffer.from(graphiqlPage(options));

  return async (req, res, path) => {
    if (path === '/graphiql/token') {
      if (req.method !== 'POST') {
        sendJson(res, 405, { error: 'POST a JSON body' }, { allow: 'POST' });
        return true;
      }
      if ((req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() !== 'application/json') {
        req.resume();
        sendJson(res, 415, { error: 'content-type must be application/json' });
        return true;
      }
      try {
        const request = tokenRequest(await readBody(req, 16 * 1024), options.agencies);
        const token = await issueDevToken({ ...request, registry: options.registry, dir: options.idpDir, ttl: '1h' });
        sendJson(res, 200, { token, expiresIn: '1h' });
      } catch (err) {
        if (err instanceof DevTokenRequestError || err instanceof PactumError) sendJson(res, 400, { error: err.message });
        else throw err;
      }
      return true;
    }
    if (path !== '/' && !path.startsWith('/graphiql/')) return false;
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      sendJson(res, 405, { error: 'GET only' }, { allow: 'GET, HEAD' });
      return true;
    }
    const security = { 'content-security-policy': CSP, 'x-content-type-options': 'nosniff', 'referrer-policy': 'no-referrer' };
    if (path === '/') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', 'content-length': String(page.length), ...security });
      res.end(req.method === 'HEAD' ? undefined : page);
      return true;
    }
    assets ??= loadAssets();
    const asset = assets.get(path);
    if (!asset) return false;
    res.writeHead(200, { 'content-type': asset.type, 'cache-control': 'no-cache', 'content-length': String(asset.body.length), ...security });
    res.end(req.method === 'HEAD' ? undefined : asset.body);
    return true;
  };
}
