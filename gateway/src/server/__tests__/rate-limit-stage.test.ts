/**
 * The rate-limit stages as a client meets them, through the whole gateway server over two
 * fixture subgraphs, with a stand-in authentication that counts how often it is asked (each ask
 * stands for a token verification): an address failing authentication is refused before
 * verification once its budget is spent, audited without the token and logged once; a client
 * rotating `x-forwarded-for` gains nothing unless its proxy is trusted; a refused principal (403)
 * spends its own budget; aliased hit/no-hit probes cost a token each; every bucket and block
 * outlives a supergraph swap; a token verified before passes a blocked address.
 */
import type { AuditEvent } from '../../audit';
import { principalOf } from '../../enforce/__tests__/fixtures/start-enforced-gateway';
import { fakePolicy, fakeProfile } from '../../enforce/__tests__/fixtures/fake-policy';
import { composeFixture, startFixtureSubgraphs, type RunningSubgraph } from '../../enforce/__tests__/fixtures/fixture-subgraphs';
import { PrincipalRefusedError } from '../../auth';
import { UnauthenticatedError } from '../../errors';
import { memoryLog } from '../../log';
import { createRateLimits, parseBudget, parseTrustedProxies, type RateLimits } from '../../ratelimit';
import { createGatewayServer, type RunningGateway } from '../create-gateway-server';
import { fixtureGatewayConfig } from './support/fixture-gateway-config';

const policy = fakePolicy({ 'NL-POLICE': fakeProfile({ key: 'full', allow: ['Query.*', 'Container.*', 'Hit.*', 'Investigation.*', 'Seizure.*', 'RecordLabel.*'] }) });
const budget = (text: string) => parseBudget('T', text);

let customs: RunningSubgraph;
let police: RunningSubgraph;
let supergraphSdl: string;
const opened: { gateway: RunningGateway; limits: RateLimits }[] = [];

beforeAll(async () => {
  ({ customs, police } = await startFixtureSubgraphs());
  ({ supergraphSdl } = composeFixture({ customs: customs.url, police: police.url }));
}, 60_000);
afterEach(async () => {
  for (const { gateway, limits } of opened.splice(0)) {
    await gateway.stop();
    await limits.close();
  }
});
afterAll(async () => {
  await Promise.all([customs?.stop(), police?.stop()]);
});

interface Started {
  gateway: RunningGateway;
  url: string;
  /** Authentications attempted (each would have verified a token). */
  verifications: () => number;
  records: Map<string, AuditEvent>;
  log: ReturnType<typeof memoryLog>;
  refusals: (scope: string) => Promise<number>;
}

/** A gateway whose authentication accepts `x-agency: NL-POLICE` and refuses anything else (once `gate` resolves, when given). */
async function start(budgets: Record<string, string>, trustedProxies?: string, gate?: Promise<void>): Promise<Started> {
  let verifications = 0;
  const verified = new Set<string>();
  const records = new Map<string, AuditEvent>();
  const log = memoryLog();
  const rateLimitConfig = { budgets: Object.fromEntries(Object.entries(budgets).map(([k, v]) => [k, budget(v)])), redisPrefix: 'x:', trustedProxies: parseTrustedProxies(trustedProxies) };
  const limits = createRateLimits(rateLimitConfig, { log: () => undefined });
  const config = fixtureGatewayConfig(supergraphSdl, { customs: customs.url, police: police.url }, { rateLimits: rateLimitConfig });
  const gateway = await createGatewayServer(config, {
    async authenticate(headers) {
      verifications++;
      await gate;
      const identity = { principal: principalOf('NL-POLICE'), purpose: { code: String(headers['x-purpose'] ?? 'drug-trafficking') } };
      if (headers['x-agency'] === 'JWKS-DOWN') throw new UnauthenticatedError('jwks_unavailable', "the issuer's signing keys are unavailable");
      if (headers['x-agency'] !== 'NL-POLICE') throw new UnauthenticatedError('bad_signature', 'token signature is invalid');
      verified.add(String(headers.authorization));
      if (headers['x-purpose'] === 'fishing') throw new PrincipalRefusedError('purpose_not_permitted', 'the token does not permit purpose fishing', identity);
      return identity;
    },
    wasVerified: (headers) => verified.has(String(headers.authorization)),
    policy: () => policy,
    audit: {
      async append(event) {
        records.set(event.id, event);
      },
    },
    contextToken: async (_subgraph, caller) => ({ token: 'fixture', requestId: caller.requestId }),
    scalars: {},
    rateLimits: limits,
    log,
  });
  opened.push({ gateway, limits });
  return {
    gateway,
    url: gateway.url,
    verifications: () => verifications,
    records,
    log,
    refusals: async (scope) => (await gateway.metrics.registry.getSingleMetric('pactum_rate_limit_refusals_total')?.get())?.values.find((v) => v.labels.scope === scope)?.value ?? 0,
  };
}

interface Reply {
  status: number;
  retryAfter: string | null;
  body: { data?: unknown; errors?: { message: string; extensions?: { code?: string; reason?: string } }[]; extensions?: { auditId?: string } };
  record: AuditEvent | undefined;
}

async function ask(g: Started, headers: Record<string, string>, query = '{ container(number: "MSCU1234566") { number } }'): Promise<Reply> {
  // A signed-in principal presents its own token; anything else a garbage one.
  const authorization = `Bearer ${headers['x-agency'] === 'NL-POLICE' ? 'valid.nl-police.token' : 'garbage.token.value'}`;
  const res = await fetch(g.url, { method: 'POST', headers: { 'content-type': 'application/json', authorization, ...headers }, body: JSON.stringify({ query }) });
  const body = (await res.json()) as Reply['body'];
  return { status: res.status, retryAfter: res.headers.get('retry-after'), body, record: g.records.get(body.extensions?.auditId ?? '') };
}

test("an issuer whose keys cannot be fetched spends no address's budget: the office behind it is not blocked", async () => {
  const g = await start({ authFailures: '3/10m', principal: '100/1m' });
  for (let i = 0; i < 6; i++) expect((await ask(g, { 'x-agency': 'JWKS-DOWN' })).status).toBe(401);
  expect((await ask(g, { 'x-agency': 'NL-POLICE' })).status).toBe(200);
  // A client's own failures still count.
  for (let i = 0; i < 3; i++) expect((await ask(g, {})).status).toBe(401);
  expect((await ask(g, {})).status).toBe(429);
});

test('an address failing authentication past its budget is refused 429 before any verification, audited without the token, logged once; a valid token from the same address waits too', async () => {
  const g = await start({ authFailures: '3/10m', principal: '100/1m' });
  for (let i = 0; i < 3; i++) expect((await ask(g, {})).status).toBe(401);
  expect(g.verifications()).toBe(3);
  const refused = await ask(g, {});
  expect(refused.status).toBe(429);
  expect(refused.body.errors?.[0]?.extensions).toEqual({ code: 'RATE_LIMITED', reason: 'auth_failure_budget' });
  // 3 per 10 minutes: a token every 200 s.
  expect(Number(refused.retryAfter)).toBeGreaterThan(150);
  expect(Number(refused.retryAfter)).toBeLessThanOrEqual(200);
  // Not verified: the stand-in was not asked again, for a bad token or a good one.
  for (let i = 0; i < 20; i++) await ask(g, {});
  expect((await ask(g, { 'x-agency': 'NL-POLICE' })).status).toBe(429);
  expect(g.verifications()).toBe(3);
  expect(refused.record).toMatchObject({ outcome: 'refused', httpStatus: 429, refusal: { code: 'RATE_LIMITED', reason: 'auth_failure_budget' } });
  expect(refused.record?.principal ?? null).toBeNull();
  expect(JSON.stringify(refused.record)).not.toContain('garbage');
  expect(await g.refusals('auth_failures')).toBe(22);
  const blocked = g.log.lines.filter((l) => l.fields.event === 'auth_failures_blocked');
  expect(blocked).toHaveLength(1);
  expect(blocked[0]?.fields).toMatchObject({ client: '127.0.0.1', retryAfterSeconds: expect.any(Number) });
  expect(JSON.stringify(g.log.lines)).not.toContain('garbage');
});

test('behind one address, a client already signed in keeps working while another sends bad tokens; a token never verified is refused unverified', async () => {
  const g = await start({ authFailures: '2/10m', principal: '100/1m' });
  const colleague = { 'x-agency': 'NL-POLICE', authorization: 'Bearer colleague.signed.in' };
  expect((await ask(g, colleague)).status).toBe(200);
  for (let i = 0; i < 2; i++) expect((await ask(g, {})).status).toBe(401);
  expect((await ask(g, {})).status).toBe(429);
  expect((await ask(g, colleague)).status).toBe(200);
  expect((await ask(g, { 'x-agency': 'NL-POLICE', authorization: 'Bearer newcomer.token' })).status).toBe(429);
  // The stand-in was asked for the colleague twice and the two failures, nothing else.
  expect(g.verifications()).toBe(4);
});

test('successful requests never spend the failed-authentication budget', async () => {
  const g = await start({ authFailures: '1/10m', principal: '100/1m' });
  for (let i = 0; i < 10; i++) expect((await ask(g, { 'x-agency': 'NL-POLICE' })).status).toBe(200);
  expect((await ask(g, {})).status).toBe(401);
});

test('x-forwarded-for is ignored by default: a client rotating it is one address', async () => {
  const g = await start({ authFailures: '2/10m', principal: '100/1m' });
  const statuses: number[] = [];
  for (let i = 0; i < 6; i++) statuses.push((await ask(g, { 'x-forwarded-for': `198.51.100.${i}` })).status);
  expect(statuses).toEqual([401, 401, 429, 429, 429, 429]);
  expect(g.verifications()).toBe(2);
});

test('behind a trusted proxy the address it appends is the client: one client blocked, another behind the same proxy served', async () => {
  const g = await start({ authFailures: '2/10m', principal: '100/1m' }, '127.0.0.1');
  for (let i = 0; i < 2; i++) expect((await ask(g, { 'x-forwarded-for': '6.6.6.6, 198.51.100.7' })).status).toBe(401);
  // What the client wrote left of the proxy's entry changes nothing.
  expect((await ask(g, { 'x-forwarded-for': '6.6.6.7, 198.51.100.7' })).status).toBe(429);
  expect((await ask(g, { 'x-forwarded-for': '198.51.100.8', 'x-agency': 'NL-POLICE' })).status).toBe(200);
  expect((await ask(g, { 'x-forwarded-for': '198.51.100.8' })).status).toBe(401);
});

test('a principal refused for what it declared (403) spends its own budget; then 429, recorded against it', async () => {
  const g = await start({ principal: '3/10m', authFailures: '1/10m' });
  for (let i = 0; i < 3; i++) expect((await ask(g, { 'x-agency': 'NL-POLICE', 'x-purpose': 'fishing' })).status).toBe(403);
  const refused = await ask(g, { 'x-agency': 'NL-POLICE', 'x-purpose': 'fishing' });
  expect(refused.status).toBe(429);
  expect(refused.body.errors?.[0]?.extensions).toEqual({ code: 'RATE_LIMITED', reason: 'principal_budget' });
  expect(refused.record).toMatchObject({ outcome: 'refused', httpStatus: 429, principal: { agency: 'NL-POLICE', subject: 'user@NL-POLICE' } });
  // Its ordinary requests share that budget; the address's failure budget was never touched.
  expect((await ask(g, { 'x-agency': 'NL-POLICE' })).status).toBe(429);
  expect((await ask(g, {})).status).toBe(401);
  expect(await g.refusals('principal')).toBe(2);
});

test('aliased hit/no-hit probes cost a token each; more than the budget holds is a 400 that runs nothing', async () => {
  const g = await start({ principal: '100/1m', hitPrincipal: '4/10m' });
  const probes = (n: number) => `{ ${Array.from({ length: n }, (_, i) => `c${i}: container(number: "MSCU123456${i}") { policeHit { hit } }`).join(' ')} }`;
  expect((await ask(g, { 'x-agency': 'NL-POLICE' }, probes(3))).status).toBe(200);
  const second = await ask(g, { 'x-agency': 'NL-POLICE' }, probes(2));
  expect(second.status).toBe(429);
  expect(second.body.errors?.[0]?.extensions).toEqual({ code: 'RATE_LIMITED', reason: 'hit_principal_budget' });
  expect((await ask(g, { 'x-agency': 'NL-POLICE' }, probes(1))).status).toBe(200);
  const tooMany = await ask(g, { 'x-agency': 'NL-POLICE' }, probes(5));
  expect(tooMany.status).toBe(400);
  expect(tooMany.body.data).toBeUndefined();
  expect(tooMany.body.errors?.[0]?.extensions).toEqual({ code: 'BAD_USER_INPUT', reason: 'limit_hit_probes' });
  expect(tooMany.record).toMatchObject({ outcome: 'refused', refusal: { code: 'BAD_USER_INPUT', reason: 'limit_hit_probes' } });
});

test('a supergraph swap resets no budget: a spent principal, hit and failed-authentication budget stay spent on the new supergraph', async () => {
  const g = await start({ principal: '4/10m', hitPrincipal: '1/10m', authFailures: '1/10m' }, '127.0.0.1');
  const hit = '{ container(number: "MSCU1234566") { policeHit { hit } } }';
  const prober = { 'x-forwarded-for': '198.51.100.9' };
  expect((await ask(g, { 'x-agency': 'NL-POLICE' }, hit)).status).toBe(200);
  expect((await ask(g, { 'x-agency': 'NL-POLICE' })).status).toBe(200);
  expect((await ask(g, { 'x-agency': 'NL-POLICE' })).status).toBe(200);
  expect((await ask(g, prober)).status).toBe(401);
  await g.gateway.swapSupergraph(`${supergraphSdl}\n# recomposed\n`);
  // The new supergraph serves (its own caches), with the same buckets: one principal token left, no hit token.
  expect((await ask(g, { 'x-agency': 'NL-POLICE' }, hit)).body.errors?.[0]?.extensions?.reason).toBe('hit_principal_budget');
  expect((await ask(g, { 'x-agency': 'NL-POLICE' })).body.errors?.[0]?.extensions?.reason).toBe('principal_budget');
  expect((await ask(g, prober)).body.errors?.[0]?.extensions?.reason).toBe('auth_failure_budget');
  expect(g.verifications()).toBe(6);
});

test('a burst of bad tokens sent at once cannot outrun the budget: no more verifications of one address run together than it holds', async () => {
  let open = (): void => undefined;
  const gate = new Promise<void>((r) => (open = r));
  const g = await start({ authFailures: '3/10m', principal: '100/1m' }, undefined, gate);
  const burst = Array.from({ length: 12 }, () => ask(g, {}));
  // The three that got a verification slot are waiting inside it; the rest were refused without one.
  while (g.verifications() < 3) await new Promise((r) => setTimeout(r, 10));
  open();
  const statuses = (await Promise.all(burst)).map((r) => r.status).sort();
  expect(statuses).toEqual([401, 401, 401, ...Array.from({ length: 9 }, () => 429)]);
  expect(g.verifications()).toBe(3);
  // And the budget is spent: the next one is refused before verification too.
  expect((await ask(g, {})).body.errors?.[0]?.extensions?.reason).toBe('auth_failure_budget');
  expect(g.verifications()).toBe(3);
});
