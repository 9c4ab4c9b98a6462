/**
 * Readiness means "can serve": the required checks decide it, draining overrides it, and the
 * subgraphs', identity providers' and rate-limit store's states are reported (and set as gauges)
 * without ever making the gateway unready. The subgraphs are those served now (a swap changes them).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createGatewayMetrics } from '../metrics';
import { createReadiness, type ReadinessOptions } from '../readiness';

let up: http.Server;
let upUrl: string;
let downUrl: string;

beforeAll(async () => {
  up = http.createServer((req, res) => res.writeHead(req.url === '/healthz' ? 200 : 404).end());
  await new Promise<void>((r) => up.listen(0, '127.0.0.1', r));
  upUrl = `http://127.0.0.1:${(up.address() as AddressInfo).port}/graphql`;
  // A port that was free a moment ago: nothing answers there.
  const probe = http.createServer();
  await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
  downUrl = `http://127.0.0.1:${(probe.address() as AddressInfo).port}/graphql`;
  await new Promise<void>((r) => probe.close(() => r()));
});
afterAll(() => new Promise<void>((r) => up.close(() => r())));

const base = (): ReadinessOptions => ({
  subgraphs: () => [
    { name: 'police', url: downUrl },
    { name: 'customs', url: upUrl },
  ],
  checks: { audit: async () => true, policy: async () => true },
  reuseMs: 0,
});

test('a subgraph down is reported, not a reason to be unready', async () => {
  const report = await createReadiness(base())();
  expect(report).toEqual({
    ready: true,
    status: 'ready',
    checks: { audit: 'ok', policy: 'ok' },
    subgraphs: { police: 'down', customs: 'up' },
    identityProviders: {},
  });
});

test.each([
  ['false', async (): Promise<boolean | string> => false, 'down'],
  ['a reason', async (): Promise<boolean | string> => 'trail shm file unwritable', 'down: trail shm file unwritable'],
  ['a throw', async (): Promise<boolean | string> => Promise.reject(new Error('/secret/path exploded')), 'down'],
] as const)('a required check answering %s makes it unready and says so (no error text leaks)', async (_what, check, shown) => {
  const report = await createReadiness({ ...base(), checks: { audit: check, policy: async () => true } })();
  expect(report.ready).toBe(false);
  expect(report.status).toBe('not ready');
  expect(report.checks).toEqual({ audit: shown, policy: 'ok' });
  expect(JSON.stringify(report)).not.toContain('secret');
});

test('draining: unready whatever the checks say, read on every probe (never from the reused result)', async () => {
  let draining = false;
  const readiness = createReadiness({ ...base(), reuseMs: 60_000, draining: () => draining });
  expect((await readiness()).status).toBe('ready');
  draining = true;
  expect(await readiness()).toMatchObject({ ready: false, status: 'draining' });
});

test('identity provider states are reported and set as gauges; a failing IdP does not make it unready', async () => {
  const metrics = createGatewayMetrics();
  const states = [
    { agency: 'NL-POLICE', state: 'ok' as const },
    { agency: 'BE-POLICE', state: 'unavailable' as const },
    { agency: 'EUROPOL', state: 'not_fetched' as const },
  ];
  const readiness = createReadiness({ ...base(), identityProviders: () => states, metrics });
  const report = await readiness();
  expect(report.ready).toBe(true);
  expect(report.identityProviders).toEqual({ 'NL-POLICE': 'ok', 'BE-POLICE': 'unavailable', EUROPOL: 'not_fetched' });
  const text = await metrics.registry.metrics();
  expect(text).toContain('pactum_identity_provider_state{agency="BE-POLICE",state="unavailable"} 1');
  expect(text).toContain('pactum_identity_provider_state{agency="BE-POLICE",state="ok"} 0');
  expect(text).toContain('pactum_identity_provider_state{agency="NL-POLICE",state="ok"} 1');
  expect(text).toContain('pactum_subgraph_up{subgraph="police"} 0');
  expect(text).toContain('pactum_subgraph_up{subgraph="customs"} 1');
});

test('a scrape refreshes the gauges through beforeCollect', async () => {
  const metrics = createGatewayMetrics();
  let state: 'ok' | 'stale' = 'ok';
  const readiness = createReadiness({ ...base(), identityProviders: () => [{ agency: 'NL-POLICE', state }], metrics });
  metrics.beforeCollect(async () => {
    await readiness();
  });
  expect(await metrics.registry.metrics()).toContain('pactum_identity_provider_state{agency="NL-POLICE",state="ok"} 1');
  state = 'stale';
  expect(await metrics.registry.metrics()).toContain('pactum_identity_provider_state{agency="NL-POLICE",state="stale"} 1');
});

test('after a supergraph swap the subgraphs served now are reported: an added one probed, a removed one gone (gauge too), even within the reuse window', async () => {
  const metrics = createGatewayMetrics();
  let served = [
    { name: 'police', url: downUrl },
    { name: 'customs', url: upUrl },
  ];
  const readiness = createReadiness({ ...base(), subgraphs: () => served, metrics, reuseMs: 60_000 });
  expect((await readiness()).subgraphs).toEqual({ police: 'down', customs: 'up' });
  served = [
    { name: 'customs', url: upUrl },
    { name: 'coastguard', url: upUrl },
  ];
  const after = await readiness();
  expect(after.subgraphs).toEqual({ customs: 'up', coastguard: 'up' });
  expect(after.ready).toBe(true);
  const text = await metrics.registry.metrics();
  expect(text).toContain('pactum_subgraph_up{subgraph="coastguard"} 1');
  expect(text).not.toContain('subgraph="police"');
  // The same list again: the result is reused (no new probe), still the current subgraphs.
  expect((await readiness()).subgraphs).toEqual({ customs: 'up', coastguard: 'up' });
});

test.each([
  [{ store: 'redis', state: 'down' } as const, 0],
  [{ store: 'redis', state: 'up' } as const, 1],
  [{ store: 'memory', state: 'up' } as const, 1],
])('the rate-limit store %j is reported and set as a gauge, never a reason to be unready', async (store, gauge) => {
  const metrics = createGatewayMetrics();
  const report = await createReadiness({ ...base(), rateLimitStore: async () => store, metrics })();
  expect(report).toMatchObject({ ready: true, status: 'ready', rateLimits: store });
  expect(await metrics.registry.metrics()).toContain(`pactum_rate_limit_store_up{store="${store.store}"} ${gauge}`);
});

test('without rate limits nothing is reported about them', async () => {
  expect(await createReadiness(base())()).not.toHaveProperty('rateLimits');
});
