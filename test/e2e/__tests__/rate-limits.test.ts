/**
 * Rate limits end to end: two gateway replicas sharing their buckets in the real local Redis
 * (reached through a proxy the test can cut), real tokens, the real audit trail. A spent budget
 * is 429 with `retry-after`, audited and counted; hit/no-hit documents have their own lower
 * budget however the hit field is reached; nothing a client writes in a header moves a request
 * to another bucket; with Redis cut, hit/no-hit requests are refused 503 and ordinary ones served,
 * and `/readyz` reports Redis down (and `pactum_rate_limit_store_up` 0) while staying ready.
 * Before authentication: an address whose requests fail authentication (garbage, expired,
 * unknown-issuer, unknown-key tokens) is refused before verification once its budget is spent,
 * across both replicas; behind the trusted proxy (here: the test itself, on 127.0.0.1) the client
 * is the address the proxy appended. A principal refused 403 spends its own budget; aliased
 * hit/no-hit probes cost a token each; a batch is refused before anything is counted or run.
 */
import path from 'node:path';
import { assertRedisReachable, dropKeys, RedisFaultProxy, uniquePrefix } from '@pactum/gateway/src/ratelimit/__tests__/support/redis-harness';
import { loadGatewayConfig, startGateway, type RunningGateway } from '@pactum/gateway/src/testing';
import { readOperationsManifest } from '@pactum/schema';
import { runAuditCli } from '../../src/run-audit-cli';
import { startFleet, type Fleet } from '../../src/stack';
import { NL_CUSTOMS_OFFICER, NL_INVESTIGATOR } from '../../src/story-principals';

const HIT_CHECK = readOperationsManifest().operations.find((o) => o.name === 'ContainerHitCheck')?.body as string;
const ORDINARY = '{ container(number: "MSCU1234566") { number } }';
/** The hit field behind an alias in an inline fragment, inside a named fragment. */
const HIT_HIDDEN = 'query Sly { container(number: "MSCU1234566") { ...F } } fragment F on Container { number ... on Container { innocent: policeHit { hit } } }';

let fleet: Fleet;
let proxy: RedisFaultProxy;
let prefix: string;
const replicas: RunningGateway[] = [];
const auditFile = (i: number) => path.join(fleet.stateDir, 'audit', `replica-${i}.sqlite`);

beforeAll(async () => {
  await assertRedisReachable();
  proxy = new RedisFaultProxy();
  const redisUrl = await proxy.start();
  prefix = uniquePrefix('e2e-rate-limits');
  fleet = await startFleet();
  for (const i of [0, 1]) {
    replicas.push(
      await startGateway(
        loadGatewayConfig({
          ...fleet.gatewayEnv,
          PACTUM_AUDIT_FILE: auditFile(i),
          PACTUM_REDIS_URL: redisUrl,
          PACTUM_REDIS_PREFIX: prefix,
          PACTUM_RATE_LIMIT_PRINCIPAL: '4/10m',
          PACTUM_RATE_LIMIT_AGENCY: '1000/1m',
          PACTUM_RATE_LIMIT_HIT_PRINCIPAL: '2/10m',
          PACTUM_RATE_LIMIT_HIT_AGENCY: '1000/1m',
          PACTUM_RATE_LIMIT_AUTH_FAILURES: '4/10m',
          // The test stands for the load balancer: it writes x-forwarded-for as a proxy would.
          PACTUM_TRUSTED_PROXIES: '127.0.0.1',
        }),
      ),
    );
  }
}, 180_000);
afterAll(async () => {
  for (const r of replicas) await r.stop();
  await fleet?.stop();
  await proxy?.cut();
  if (prefix) await dropKeys(prefix);
});

interface Reply {
  status: number;
  retryAfter: string | null;
  body: { data?: unknown; errors?: { message: string; extensions?: { code?: string; reason?: string } }[]; extensions?: { auditId?: string } };
}

let subjects = 0;
/** A token of a principal no other test uses (its own buckets). */
async function freshToken(base = NL_INVESTIGATOR): Promise<string> {
  subjects++;
  return fleet.keys.token({ ...base, sub: `${base.sub}.rl${subjects}` });
}

async function ask(replica: number, token: string, query: string, headers: Record<string, string> = {}): Promise<Reply> {
  const res = await fetch((replicas[replica] as RunningGateway).url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'x-purpose': 'drug-trafficking', ...headers },
    body: JSON.stringify({ query, variables: { number: 'MSCU1234566' } }),
  });
  return { status: res.status, retryAfter: res.headers.get('retry-after'), body: (await res.json()) as Reply['body'] };
}

async function recordOf(replica: number, reply: Reply): Promise<{ outcome: string; httpStatus: number; principal: { agency: string; subject: string }; refusal?: { code: string; reason: string } }> {
  const id = reply.body.extensions?.auditId as string;
  const out = await runAuditCli(['query', '--id', id, '--format', 'jsonl', '--file', auditFile(replica)]);
  expect(out.code).toBe(0);
  return JSON.parse(out.stdout.trim());
}

/** `/readyz` of a replica, polled until its rate-limit store is `state` (probe results are reused for a second). */
async function readyWithStore(replica: number, state: 'up' | 'down'): Promise<{ status: number; body: { status: string; rateLimits?: { store: string; state: string } } }> {
  const url = (replicas[replica] as RunningGateway).url.replace('/graphql', '/readyz');
  let last: { status: number; body: { status: string; rateLimits?: { store: string; state: string } } } | undefined;
  for (let i = 0; i < 100; i++) {
    const res = await fetch(url);
    last = { status: res.status, body: (await res.json()) as NonNullable<typeof last>['body'] };
    if (last.body.rateLimits?.state === state) return last;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`/readyz never reported the rate-limit store ${state}: ${JSON.stringify(last?.body)}`);
}

async function storeUpGauge(replica: number): Promise<string | undefined> {
  const text = await (await fetch((replicas[replica] as RunningGateway).url.replace('/graphql', '/metrics'))).text();
  return /^pactum_rate_limit_store_up\{store="redis"\} (\d)$/m.exec(text)?.[1];
}

async function refusals(replica: number, scope: string): Promise<number> {
  const metric = await (replicas[replica] as RunningGateway).metrics.registry.getSingleMetric('pactum_rate_limit_refusals_total')?.get();
  return metric?.values.find((v) => v.labels.scope === scope)?.value ?? 0;
}

test('a principal past its budget is refused 429 with retry-after, audited and counted; the budget holds across both replicas', async () => {
  const token = await freshToken();
  const before = await refusals(1, 'principal');
  // Four requests, alternating replicas: one shared bucket of 4.
  for (const replica of [0, 1, 0, 1]) expect((await ask(replica, token, ORDINARY)).status).toBe(200);
  const refused = await ask(1, token, ORDINARY);
  expect(refused.status).toBe(429);
  expect(refused.body.data).toBeUndefined();
  expect(refused.body.errors?.[0]?.extensions).toEqual({ code: 'RATE_LIMITED', reason: 'principal_budget' });
  // 4 per 10 minutes: a token every 150 s.
  expect(Number(refused.retryAfter)).toBeGreaterThanOrEqual(1);
  expect(Number(refused.retryAfter)).toBeLessThanOrEqual(150);
  expect(await recordOf(1, refused)).toMatchObject({ outcome: 'refused', httpStatus: 429, principal: { agency: 'NL-POLICE' }, refusal: { code: 'RATE_LIMITED', reason: 'principal_budget' } });
  expect(await refusals(1, 'principal')).toBe(before + 1);
  // Another principal is not affected.
  expect((await ask(0, await freshToken(), ORDINARY)).status).toBe(200);
});

test('headers cannot move a request into another bucket: the key is the verified principal', async () => {
  const token = await freshToken();
  for (let i = 0; i < 4; i++) expect((await ask(0, token, ORDINARY)).status).toBe(200);
  for (const headers of <Record<string, string>[]>[
    { 'x-forwarded-for': '10.0.0.9' },
    { 'x-real-ip': '10.0.0.8' },
    { 'x-agency': 'BE-POLICE' },
    { 'x-subject': 'someone.else' },
    { 'x-request-id': 'fresh-id-1' },
  ]) {
    const reply = await ask(0, token, ORDINARY, headers);
    expect({ headers, status: reply.status }).toEqual({ headers, status: 429 });
  }
});

test('hit/no-hit documents have their own lower budget, however the hit field is spelt; ordinary requests go on', async () => {
  const token = await freshToken();
  expect((await ask(0, token, HIT_CHECK)).status).toBe(200);
  expect((await ask(1, token, HIT_HIDDEN)).status).toBe(200);
  const refused = await ask(0, token, HIT_CHECK);
  expect(refused.status).toBe(429);
  expect(refused.body.errors?.[0]?.extensions).toEqual({ code: 'RATE_LIMITED', reason: 'hit_principal_budget' });
  expect(refused.retryAfter).toMatch(/^\d+$/);
  expect((await ask(0, token, HIT_HIDDEN)).body.errors?.[0]?.extensions?.reason).toBe('hit_principal_budget');
  expect(await recordOf(0, refused)).toMatchObject({ outcome: 'refused', httpStatus: 429, refusal: { code: 'RATE_LIMITED', reason: 'hit_principal_budget' } });
  // Another principal's hit budget is untouched.
  expect((await ask(0, await freshToken(), HIT_CHECK)).status).toBe(200);
  expect(await refusals(0, 'hit_principal')).toBeGreaterThanOrEqual(1);
});

test('an agency other than the asking one keeps its own buckets', async () => {
  const police = await freshToken();
  for (let i = 0; i < 4; i++) await ask(0, police, ORDINARY);
  expect((await ask(0, police, ORDINARY)).status).toBe(429);
  expect((await ask(0, await freshToken(NL_CUSTOMS_OFFICER), ORDINARY)).status).toBe(200);
});

test('Redis cut mid-run: hit/no-hit requests are refused 503 and audited, ordinary requests are served by each replica alone; back, shared again', async () => {
  const token = await freshToken();
  expect((await ask(0, token, ORDINARY)).status).toBe(200);
  expect(await readyWithStore(0, 'up')).toMatchObject({ status: 200, body: { status: 'ready', rateLimits: { store: 'redis', state: 'up' } } });
  expect(await storeUpGauge(0)).toBe('1');
  await proxy.cut();
  try {
    // Reported, never a reason to be unready: the replica still serves ordinary requests.
    expect(await readyWithStore(0, 'down')).toMatchObject({ status: 200, body: { status: 'ready', rateLimits: { store: 'redis', state: 'down' } } });
    expect(await storeUpGauge(0)).toBe('0');
    const hit = await ask(0, token, HIT_CHECK);
    expect(hit.status).toBe(503);
    expect(hit.retryAfter).toBe('1');
    expect(hit.body.errors?.[0]?.extensions).toEqual({ code: 'RATE_LIMIT_UNAVAILABLE', reason: 'rate_limiter_unavailable' });
    expect(await recordOf(0, hit)).toMatchObject({ outcome: 'refused', httpStatus: 503, refusal: { code: 'RATE_LIMIT_UNAVAILABLE' } });
    expect(await refusals(0, 'unavailable')).toBeGreaterThanOrEqual(1);
    // Ordinary requests: each replica's own bucket of 4 for this principal.
    for (let i = 0; i < 4; i++) expect((await ask(1, token, ORDINARY)).status).toBe(200);
    expect((await ask(1, token, ORDINARY)).status).toBe(429);
  } finally {
    await proxy.start();
  }
  // ioredis reconnects with a backoff of at most a second.
  let reply: Reply | undefined;
  for (let i = 0; i < 150; i++) {
    reply = await ask(0, await freshToken(), HIT_CHECK);
    if (reply.status === 200) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  expect(reply?.status).toBe(200);
  expect((await readyWithStore(0, 'up')).status).toBe(200);
}, 60_000);

/** Tokens that fail verification, each in its own way, none of them cheap to tell apart from a real one without checking. */
async function failingTokens(): Promise<string[]> {
  const real = await freshToken();
  const [header = '', payload = '', signature = ''] = real.split('.');
  const json = (part: string) => JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as Record<string, unknown>;
  const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const expired = await fleet.keys.token({ ...NL_INVESTIGATOR, sub: 'j.devries.expired', ttl: '1h', now: () => new Date(Date.now() - 3 * 3600_000) });
  return [
    `${header}.${payload}.${signature.slice(0, -4)}AAAA`,
    expired,
    `${header}.${encode({ ...json(payload), iss: 'https://idp.nowhere.example' })}.${signature}`,
    `${encode({ ...json(header), kid: 'made-up-kid' })}.${payload}.${signature}`,
  ];
}

test('an address failing authentication past its budget is refused 429 before verification, on both replicas (a token already verified there excepted); other addresses, and what a client writes left of the proxy, change nothing', async () => {
  const client = '198.51.100.23';
  const before = await refusals(1, 'auth_failures');
  // A colleague behind the same address, signed in on replica 0 before the trouble starts.
  const colleague = await freshToken();
  expect((await ask(0, colleague, ORDINARY, { 'x-forwarded-for': client })).status).toBe(200);
  const reasons: (string | undefined)[] = [];
  const [badSignature, expired, unknownIssuer, unknownKey] = await failingTokens();
  for (const [replica, token] of [[0, badSignature], [1, expired], [0, unknownIssuer], [1, unknownKey]] as const) {
    const reply = await ask(replica, token as string, ORDINARY, { 'x-forwarded-for': client });
    expect(reply.status).toBe(401);
    reasons.push(reply.body.errors?.[0]?.extensions?.reason);
  }
  expect(reasons).toEqual(['bad_signature', 'token_expired', 'unknown_issuer', 'unknown_key']);
  // The fourth failure emptied the bucket: replica 1 refuses that address at once, whatever the client writes left of the proxy's entry.
  const spoofed = await ask(1, badSignature as string, ORDINARY, { 'x-forwarded-for': `10.9.9.9, ${client}` });
  expect(spoofed.status).toBe(429);
  // The bucket is shared through Redis: replica 0 learns at the next failure it verifies, then refuses too —
  // a valid token from that address included, since it is refused before its token is looked at.
  expect((await ask(0, badSignature as string, ORDINARY, { 'x-forwarded-for': client })).status).toBe(401);
  const refused = await ask(0, await freshToken(), ORDINARY, { 'x-forwarded-for': `203.0.113.1, ${client}` });
  expect(refused.status).toBe(429);
  expect(refused.body.errors?.[0]?.extensions).toEqual({ code: 'RATE_LIMITED', reason: 'auth_failure_budget' });
  // 4 per 10 minutes: a token every 150 s.
  expect(Number(refused.retryAfter)).toBeGreaterThan(100);
  expect(Number(refused.retryAfter)).toBeLessThanOrEqual(150);
  const record = await recordOf(0, refused);
  expect(record).toMatchObject({ outcome: 'refused', httpStatus: 429, refusal: { code: 'RATE_LIMITED', reason: 'auth_failure_budget' } });
  expect(record.principal ?? null).toBeNull();
  expect(await refusals(1, 'auth_failures')).toBe(before + 1);
  // The colleague's token, verified by replica 0 before, still passes there; a token never verified does not.
  expect((await ask(0, colleague, ORDINARY, { 'x-forwarded-for': client })).status).toBe(200);
  // Another client behind the same proxy is served.
  expect((await ask(1, await freshToken(), ORDINARY, { 'x-forwarded-for': '198.51.100.24' })).status).toBe(200);
});

test('a principal refused 403 for a purpose its token does not permit spends its own budget, then gets 429 recorded against it', async () => {
  const token = await freshToken();
  for (let i = 0; i < 4; i++) expect((await ask(0, token, ORDINARY, { 'x-purpose': 'money-laundering' })).status).toBe(403);
  const refused = await ask(1, token, ORDINARY, { 'x-purpose': 'money-laundering' });
  expect(refused.status).toBe(429);
  expect(await recordOf(1, refused)).toMatchObject({ outcome: 'refused', httpStatus: 429, principal: { agency: 'NL-POLICE' }, refusal: { reason: 'principal_budget' } });
  expect((await ask(0, token, ORDINARY)).status).toBe(429);
});

test('aliased hit/no-hit probes cost a token each: two containers in one request spend a budget of two; three are a 400', async () => {
  const probes = (n: number) => `{ ${['MSCU1234566', 'MAEU8123457', 'HLXU7032104'].slice(0, n).map((c, i) => `p${i}: container(number: "${c}") { policeHit { hit } }`).join(' ')} }`;
  const token = await freshToken();
  const tooMany = await ask(0, token, probes(3));
  expect(tooMany.status).toBe(400);
  expect(tooMany.body.errors?.[0]?.extensions).toEqual({ code: 'BAD_USER_INPUT', reason: 'limit_hit_probes' });
  expect((await ask(0, token, probes(2))).status).toBe(200);
  expect((await ask(1, token, HIT_CHECK)).body.errors?.[0]?.extensions?.reason).toBe('hit_principal_budget');
});

test('a batch of hit checks is refused whole before anything runs, and spends no hit budget', async () => {
  const token = await freshToken();
  const res = await fetch((replicas[0] as RunningGateway).url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'x-purpose': 'drug-trafficking' },
    body: JSON.stringify([0, 1, 2].map(() => ({ query: HIT_CHECK, variables: { number: 'MSCU1234566' } }))),
  });
  expect(res.status).toBe(400);
  expect(((await res.json()) as Reply['body']).errors?.[0]?.extensions?.reason).toBe('batch_not_supported');
  // Both hit tokens are still there.
  expect((await ask(0, token, HIT_CHECK)).status).toBe(200);
  expect((await ask(1, token, HIT_CHECK)).status).toBe(200);
});
