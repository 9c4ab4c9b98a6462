/**
 * The development GraphiQL in headless Chromium (Debian's, through test/src/headless-browser.ts:
 * the test fails if it cannot start). The page loads with every asset from the gateway (any
 * request leaving loopback is blocked and would be listed), the token helper gets a development
 * token for NL-POLICE, a query runs and returns data; the screenshot goes to
 * test/output/screenshots/. Also: CORS as a browser enforces it — a page on an allowed origin
 * reads the gateway's answer, a page on another origin cannot — and the page is absent unless
 * enabled, refused with NODE_ENV=production.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { loadGatewayConfig, startGateway, type RunningGateway } from '@pactum/gateway/src/testing';
import { launchHeadlessBrowser, type HeadlessBrowser } from '../../src/headless-browser';
import { startFleet, type Fleet } from '../../src/stack';
import { NL_INVESTIGATOR } from '../../src/story-principals';

let fleet: Fleet;
let gateway: RunningGateway;
let browser: HeadlessBrowser;
let origin: string;
/** Two static pages on two loopback origins, one of them allowed by PACTUM_CORS_ORIGINS. */
let pages: http.Server[] = [];
const pageOrigins: string[] = [];

async function staticPage(): Promise<string> {
  const server = http.createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end('<!doctype html><title>front-end</title><p>front-end</p>');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  pages.push(server);
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

beforeAll(async () => {
  browser = await launchHeadlessBrowser();
  pageOrigins.push(await staticPage(), await staticPage());
  fleet = await startFleet();
  gateway = await startGateway(
    loadGatewayConfig({
      ...fleet.gatewayEnv,
      PACTUM_DEV_GRAPHIQL: '1',
      PACTUM_INTROSPECTION: '1',
      PACTUM_CORS_ORIGINS: pageOrigins[0] as string,
      PACTUM_AUDIT_FILE: path.join(fleet.stateDir, 'audit', 'graphiql.sqlite'),
    }),
  );
  origin = gateway.url.replace(/\/graphql$/, '');
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await gateway?.stop();
  await fleet?.stop();
  for (const p of pages) await new Promise((r) => p.close(r));
  pages = [];
});

test('GraphiQL loads from the gateway alone, the token helper signs in as NL-POLICE, and a query returns data', async () => {
  const tab = await browser.newPage();
  const query = 'query Seizures { container(number: "MSCU1234566") { number seizures { substance quantityKg } } }';
  await tab.page.goto(`${origin}/?query=${encodeURIComponent(query)}`, { waitUntil: 'load' });
  await tab.page.waitForSelector('.graphiql-container', { timeout: 30_000 });
  expect(await tab.page.textContent('#token-status')).toContain('no token yet');

  // The form proposes the story's investigator; the agency list holds the development providers.
  expect(await tab.page.inputValue('select[name=agency]')).toBe('NL-POLICE');
  expect(await tab.page.inputValue('input[name=sub]')).toBe(NL_INVESTIGATOR.sub);
  await tab.page.click('#get-token');
  await tab.page.locator('#token-status.ok').waitFor({ timeout: 15_000 });
  expect(await tab.page.textContent('#token-status')).toBe(`token for ${NL_INVESTIGATOR.sub} @ NL-POLICE, valid 1h`);

  await tab.page.waitForSelector('.graphiql-execute-button', { timeout: 15_000 });
  await tab.page.click('.graphiql-execute-button');
  await tab.page.locator('.graphiql-response', { hasText: 'MSCU1234566' }).waitFor({ timeout: 30_000 });
  const response = (await tab.page.textContent('.graphiql-response')) ?? '';
  expect(response).toContain('"substance"');
  expect(response).toContain('"auditId"');
  expect(response).not.toContain('UNAUTHENTICATED');

  const file = await tab.screenshot('graphiql-nl-police');
  expect(path.basename(file)).toBe('graphiql-nl-police.png');
  // Nothing was fetched from outside the machine: no CDN, no fonts, no telemetry.
  expect(tab.blockedRequests).toEqual([]);
  expect(tab.consoleErrors.filter((e) => !e.includes('DevTools'))).toEqual([]);
  await tab.context.close();
}, 120_000);

test('the token helper refuses claims of the wrong shape and agencies it has no provider for', async () => {
  const post = (body: unknown, type = 'application/json') =>
    fetch(`${origin}/graphiql/token`, { method: 'POST', headers: { 'content-type': type }, body: typeof body === 'string' ? body : JSON.stringify(body) });
  const good = { agency: 'NL-POLICE', sub: 'j.devries', clearance: 'CONFIDENTIAL', roles: ['investigator'], purposes: ['drug-trafficking'], cases: [] };
  expect((await post(good)).status).toBe(200);
  for (const bad of [
    { ...good, agency: 'XX-NOWHERE' },
    { ...good, sub: '' },
    { ...good, sub: 'a b' },
    { ...good, sub: 'x'.repeat(65) },
    { ...good, roles: 'investigator' },
    { ...good, purposes: ['<script>'] },
    { ...good, clearance: undefined },
    [],
  ]) {
    const res = await post(bad);
    expect({ bad, status: res.status }).toEqual({ bad, status: 400 });
    expect(((await res.json()) as { error: string }).error).toMatch(/must be/);
  }
  expect((await post('{not json')).status).toBe(400);
  expect((await post(good, 'text/plain')).status).toBe(415);
  expect((await fetch(`${origin}/graphiql/token`)).status).toBe(405);
});

test('CORS in the browser: a page on the allowed origin reads the answer, a page on another origin cannot', async () => {
  const call = async (pageOrigin: string) => {
    const tab = await browser.newPage();
    try {
      await tab.page.goto(`${pageOrigin}/`);
      const token = await fleet.keys.token(NL_INVESTIGATOR);
      return await tab.page.evaluate(
        async ({ url, token }) => {
          try {
            const res = await fetch(url, {
              method: 'POST',
              headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'x-purpose': 'drug-trafficking' },
              body: JSON.stringify({ query: '{ container(number: "MSCU1234566") { number } }' }),
            });
            return { status: res.status, requestId: res.headers.get('x-request-id'), body: await res.text() };
          } catch (e) {
            return { error: String(e) };
          }
        },
        { url: gateway.url, token },
      );
    } finally {
      await tab.context.close();
    }
  };
  const allowed = await call(pageOrigins[0] as string);
  expect(allowed).toMatchObject({ status: 200, requestId: expect.any(String), body: expect.stringContaining('MSCU1234566') });
  const other = await call(pageOrigins[1] as string);
  expect(other).toEqual({ error: expect.stringContaining('Failed to fetch') });
}, 60_000);

test('without PACTUM_DEV_GRAPHIQL there is no page and no token route; with NODE_ENV=production it refuses to start', async () => {
  const plain = await startGateway(loadGatewayConfig({ ...fleet.gatewayEnv, PACTUM_AUDIT_FILE: path.join(fleet.stateDir, 'audit', 'plain.sqlite') }));
  try {
    const base = plain.url.replace(/\/graphql$/, '');
    expect((await fetch(`${base}/`)).status).toBe(404);
    expect((await fetch(`${base}/graphiql/graphiql.min.js`)).status).toBe(404);
    expect((await fetch(`${base}/graphiql/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).status).toBe(404);
  } finally {
    await plain.stop();
  }
  expect(() => loadGatewayConfig({ ...fleet.gatewayEnv, PACTUM_DEV_GRAPHIQL: '1', NODE_ENV: 'production' })).toThrow(
    'PACTUM_DEV_GRAPHIQL=1 is refused with NODE_ENV=production',
  );
  expect(() => loadGatewayConfig({ ...fleet.gatewayEnv, PACTUM_DEV_GRAPHIQL: 'yes' })).toThrow('PACTUM_DEV_GRAPHIQL=yes: must be 1 or 0');
}, 120_000);
