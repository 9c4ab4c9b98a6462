/**
 * The gateway's rate limits over the real local Redis: per principal and per agency, hit/no-hit
 * budgets apart, keys from the principal only; and Redis going away mid-run — cut (connections
 * reset) and stalled (nothing answers) — hit/no-hit requests refused, ordinary ones limited by
 * the replica alone, both logged once, and shared buckets again once Redis is back. Failed
 * authentications by client address: the budget, the block remembered in process, shared by the
 * replicas through Redis; hit/no-hit probes costing a token each.
 */
import Redis from 'ioredis';
import { createMemoryLimiter, createRateLimits, createRedisLimiter, parseBudget, RateLimitedError, RateLimitUnavailableError, type RateLimitConfig, type RateLimits } from '../index';
import { assertRedisReachable, dropKeys, RedisFaultProxy, TEST_REDIS_URL, uniquePrefix } from './support/redis-harness';

const budget = (text: string) => parseBudget('T', text);
const config = (prefix: string, budgets: Record<string, string>): RateLimitConfig => ({
  budgets: Object.fromEntries(Object.entries(budgets).map(([k, v]) => [k, budget(v)])),
  redisUrl: TEST_REDIS_URL,
  redisPrefix: prefix,
});

const JAN = { agency: 'NL-POLICE', subject: 'j.devries' };
const PIET = { agency: 'NL-POLICE', subject: 'p.jansen' };
const MARC = { agency: 'BE-POLICE', subject: 'm.peeters' };

async function refusal(p: Promise<void>): Promise<unknown> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  return undefined;
}

beforeAll(async () => {
  await assertRedisReachable();
});

const opened: RateLimits[] = [];
const prefixes: string[] = [];
afterEach(async () => {
  for (const l of opened.splice(0)) await l.close();
});
afterAll(async () => {
  for (const p of prefixes) await dropKeys(p);
});

async function limits(budgets: Record<string, string>, url = TEST_REDIS_URL, log: string[] = []): Promise<{ limits: RateLimits; prefix: string; log: string[] }> {
  const prefix = uniquePrefix('rate-limits');
  prefixes.push(prefix);
  const shared = createRedisLimiter({ url, prefix, commandTimeoutMs: 200 });
  const made = createRateLimits(config(prefix, budgets), { shared, log: (line) => log.push(line) });
  opened.push(made);
  if (!url.endsWith(':1')) expect(await made.connected(3000)).toBe(true);
  return { limits: made, prefix, log };
}

describe('budgets', () => {
  it('per principal: a principal is refused 429 with a retry-after, another of the same agency is not', async () => {
    const { limits: l } = await limits({ principal: '2/1m', agency: '100/1m' });
    await l.admit(JAN);
    await l.admit(JAN);
    const refused = await refusal(l.admit(JAN));
    expect(refused).toBeInstanceOf(RateLimitedError);
    expect(refused).toMatchObject({ code: 'RATE_LIMITED', httpStatus: 429, reason: 'principal_budget', scope: 'principal' });
    // 2 a minute: a token every 30 s, a little of which has passed.
    expect((refused as RateLimitedError).retryAfterSeconds).toBeGreaterThan(25);
    expect((refused as RateLimitedError).retryAfterSeconds).toBeLessThanOrEqual(30);
    await expect(l.admit(PIET)).resolves.toBeUndefined();
  });

  it('per agency: the agency budget is shared by its principals, other agencies untouched', async () => {
    const { limits: l } = await limits({ principal: '100/1m', agency: '3/1m' });
    await l.admit(JAN);
    await l.admit(PIET);
    await l.admit(JAN);
    const refused = await refusal(l.admit(PIET));
    expect(refused).toMatchObject({ reason: 'agency_budget', scope: 'agency' });
    expect((refused as RateLimitedError).retryAfterSeconds).toBeLessThanOrEqual(20);
    await expect(l.admit(MARC)).resolves.toBeUndefined();
  });

  it('hit/no-hit budgets are apart from the ordinary ones and lower', async () => {
    const { limits: l } = await limits({ principal: '100/1m', agency: '100/1m', hitPrincipal: '1/1m', hitAgency: '10/1m' });
    await l.admitHitCheck(JAN);
    expect(await refusal(l.admitHitCheck(JAN))).toMatchObject({ code: 'RATE_LIMITED', reason: 'hit_principal_budget', scope: 'hitPrincipal' });
    // The ordinary budget is untouched by hit checks.
    for (let i = 0; i < 10; i++) await l.admit(JAN);
    await expect(l.admitHitCheck(PIET)).resolves.toBeUndefined();
  });

  it('a budget set off counts nothing', async () => {
    const { limits: l } = await limits({ agency: '1/1m' });
    await l.admit(JAN);
    expect(await refusal(l.admit(JAN))).toMatchObject({ scope: 'agency' });
    await expect(l.admitHitCheck(JAN)).resolves.toBeUndefined();
  });

  it('the keys hold the agency and a hash of the subject, never the subject itself', async () => {
    const { limits: l, prefix } = await limits({ principal: '5/1m', agency: '5/1m', hitPrincipal: '5/1m', hitAgency: '5/1m' });
    await l.admit(JAN);
    await l.admitHitCheck(JAN);
    const client = new Redis(TEST_REDIS_URL);
    try {
      const keys = (await client.keys(`${prefix}*`)).map((k) => k.slice(prefix.length)).sort();
      expect(keys).toEqual([expect.stringMatching(/^a:NL-POLICE$/), expect.stringMatching(/^hit:a:NL-POLICE$/), expect.stringMatching(/^hit:p:[\w-]{32}$/), expect.stringMatching(/^p:[\w-]{32}$/)]);
      expect(keys.join(' ')).not.toContain('devries');
    } finally {
      client.disconnect();
    }
  });

  it('two gateways on one Redis share the buckets', async () => {
    const prefix = uniquePrefix('shared');
    prefixes.push(prefix);
    const made = [0, 1].map(() => createRateLimits(config(prefix, { principal: '4/1m' }), { shared: createRedisLimiter({ url: TEST_REDIS_URL, prefix }), log: () => undefined }));
    opened.push(...made);
    for (const m of made) expect(await m.connected(3000)).toBe(true);
    const [a, b] = made as [RateLimits, RateLimits];
    const outcomes = await Promise.all([a, b, a, b, a, b].map((l) => refusal(l.admit(JAN))));
    expect(outcomes.filter((o) => o === undefined)).toHaveLength(4);
    expect(outcomes.filter((o) => o instanceof RateLimitedError)).toHaveLength(2);
  });

  it('in memory (no Redis) the same budgets hold, and hit checks are never unavailable', async () => {
    const made = createRateLimits({ budgets: { principal: budget('1/1m'), hitPrincipal: budget('1/1m') }, redisPrefix: 'x:' }, { local: createMemoryLimiter() });
    opened.push(made);
    expect(made.store).toBe('memory');
    await made.admit(JAN);
    expect(await refusal(made.admit(JAN))).toBeInstanceOf(RateLimitedError);
    await made.admitHitCheck(JAN);
    expect(await refusal(made.admitHitCheck(JAN))).toBeInstanceOf(RateLimitedError);
  });
});

describe('failed authentications by client address', () => {
  it('in memory: the budget of failures, then the address is screened out until a token is back; other addresses and principals untouched', async () => {
    let now = 0;
    const made = createRateLimits(
      { budgets: { authFailures: budget('3/1m'), principal: budget('100/1m') }, redisPrefix: 'x:' },
      { local: createMemoryLimiter({ now: () => now }), localAddresses: createMemoryLimiter({ now: () => now }), now: () => now },
    );
    opened.push(made);
    expect(() => made.screen('198.51.100.4')).not.toThrow();
    expect(await made.countAuthFailure('198.51.100.4')).toBe(0);
    expect(await made.countAuthFailure('198.51.100.4')).toBe(0);
    // The third failure spends the budget: a token every 20 s.
    expect(await made.countAuthFailure('198.51.100.4')).toBe(20_000);
    let refused: unknown;
    try {
      made.screen('198.51.100.4');
    } catch (e) {
      refused = e;
    }
    expect(refused).toBeInstanceOf(RateLimitedError);
    expect(refused).toMatchObject({ code: 'RATE_LIMITED', httpStatus: 429, reason: 'auth_failure_budget', scope: 'authFailures', retryAfterSeconds: 20 });
    expect(() => made.screen('198.51.100.5')).not.toThrow();
    await expect(made.admit(JAN)).resolves.toBeUndefined();
    now += 19_000;
    expect(() => made.screen('198.51.100.4')).toThrow(expect.objectContaining({ retryAfterSeconds: 1 }));
    now += 1_000;
    expect(() => made.screen('198.51.100.4')).not.toThrow();
    // One token back: one more failure is verified, and blocks again.
    expect(await made.countAuthFailure('198.51.100.4')).toBe(20_000);
    expect(() => made.screen('198.51.100.4')).toThrow(RateLimitedError);
  });

  it('the budget set off: failures never block', async () => {
    const made = createRateLimits({ budgets: { principal: budget('1/1m') }, redisPrefix: 'x:' });
    opened.push(made);
    for (let i = 0; i < 20; i++) expect(await made.countAuthFailure('198.51.100.4')).toBe(0);
    expect(() => made.screen('198.51.100.4')).not.toThrow();
  });

  it('with Redis the replicas fill one bucket: a replica that saw no failure blocks at the first one it sees; the key holds no address', async () => {
    const prefix = uniquePrefix('auth-failures');
    prefixes.push(prefix);
    const made = [0, 1].map(() => createRateLimits(config(prefix, { authFailures: '3/1m' }), { shared: createRedisLimiter({ url: TEST_REDIS_URL, prefix }), log: () => undefined }));
    opened.push(...made);
    for (const m of made) expect(await m.connected(3000)).toBe(true);
    const [a, b] = made as [RateLimits, RateLimits];
    expect(await a.countAuthFailure('203.0.113.77')).toBe(0);
    expect(await a.countAuthFailure('203.0.113.77')).toBe(0);
    expect(await a.countAuthFailure('203.0.113.77')).toBeGreaterThan(15_000);
    expect(() => a.screen('203.0.113.77')).toThrow(RateLimitedError);
    // b has not seen the block yet: its next failure finds the shared bucket empty, and blocks.
    expect(() => b.screen('203.0.113.77')).not.toThrow();
    expect(await b.countAuthFailure('203.0.113.77')).toBeGreaterThan(15_000);
    expect(() => b.screen('203.0.113.77')).toThrow(RateLimitedError);
    const client = new Redis(TEST_REDIS_URL);
    try {
      const keys = (await client.keys(`${prefix}*`)).map((k) => k.slice(prefix.length));
      expect(keys).toEqual([expect.stringMatching(/^f:[\w-]{32}$/)]);
      expect(keys.join(' ')).not.toContain('203.0.113');
    } finally {
      client.disconnect();
    }
  });

  it('Redis unreachable: failures are counted by this replica alone, and still block', async () => {
    const made = createRateLimits(config(uniquePrefix('auth-failures-down'), { authFailures: '2/1m' }), {
      shared: createRedisLimiter({ url: 'redis://127.0.0.1:1', prefix: 'x:', commandTimeoutMs: 200 }),
      log: () => undefined,
    });
    opened.push(made);
    expect(await made.countAuthFailure('203.0.113.78')).toBe(0);
    expect(await made.countAuthFailure('203.0.113.78')).toBeGreaterThan(0);
    expect(() => made.screen('203.0.113.78')).toThrow(RateLimitedError);
  });
});

describe('hit/no-hit probes', () => {
  it('several probes in one request take a token each, from all hit buckets or none', async () => {
    const { limits: l } = await limits({ hitPrincipal: '5/1m', hitAgency: '100/1m' });
    await l.admitHitCheck(JAN, 3);
    expect(await refusal(l.admitHitCheck(JAN, 3))).toMatchObject({ code: 'RATE_LIMITED', reason: 'hit_principal_budget' });
    // The refused request took nothing: two are left.
    await l.admitHitCheck(JAN, 2);
    expect(await refusal(l.admitHitCheck(JAN))).toMatchObject({ reason: 'hit_principal_budget' });
  });

  it('more probes than a hit budget could ever hold: a bad request (400), not a retry', async () => {
    const { limits: l } = await limits({ hitPrincipal: '5/1m', hitAgency: '100/1m' });
    const refused = await refusal(l.admitHitCheck(JAN, 6));
    expect(refused).toMatchObject({ code: 'BAD_USER_INPUT', httpStatus: 400, reason: 'limit_hit_probes' });
    expect((refused as Error).message).toBe('the operation asks 6 hit/no-hit probes; at most 5 fit in one request (the hit/no-hit budget)');
    // Nothing was taken.
    await l.admitHitCheck(JAN, 5);
  });
});

describe('Redis going away', () => {
  let proxy: RedisFaultProxy;
  let url: string;
  beforeEach(async () => {
    proxy = new RedisFaultProxy();
    url = await proxy.start();
  });
  afterEach(async () => proxy.cut());

  it('cut mid-run: hit checks refused 503, ordinary requests limited by this replica alone; back: shared again', async () => {
    const log: string[] = [];
    const { limits: l } = await limits({ principal: '3/1m', hitPrincipal: '5/1m' }, url, log);
    await l.admit(JAN); // shared bucket: 2 left
    await l.admitHitCheck(JAN);

    await proxy.cut();
    const hit = await refusal(l.admitHitCheck(JAN));
    expect(hit).toBeInstanceOf(RateLimitUnavailableError);
    expect(hit).toMatchObject({ code: 'RATE_LIMIT_UNAVAILABLE', httpStatus: 503, reason: 'rate_limiter_unavailable', retryAfterSeconds: 1 });
    // The local fallback has its own full bucket of 3, and holds it.
    for (let i = 0; i < 3; i++) await l.admit(JAN);
    expect(await refusal(l.admit(JAN))).toMatchObject({ scope: 'principal' });
    expect(await refusal(l.admitHitCheck(PIET))).toBeInstanceOf(RateLimitUnavailableError);
    expect(log).toEqual([expect.stringContaining('the shared limiter (Redis) cannot be asked')]);

    await proxy.start();
    // ioredis reconnects with a backoff of at most a second.
    for (let i = 0; i < 150 && (await refusal(l.admitHitCheck(PIET))) !== undefined; i++) await new Promise((r) => setTimeout(r, 100));
    expect(log).toEqual([expect.stringContaining('cannot be asked'), expect.stringContaining('answers again')]);
    // The shared bucket still remembers the request made before the cut: 2 left, not 3.
    await l.admit(JAN);
    await l.admit(JAN);
    expect(await refusal(l.admit(JAN))).toMatchObject({ scope: 'principal' });
  }, 20_000);

  it('stalled (connections open, nothing answers): the command times out and the same rules apply', async () => {
    const log: string[] = [];
    const { limits: l } = await limits({ principal: '10/1m', hitPrincipal: '10/1m' }, url, log);
    await l.admitHitCheck(JAN);
    proxy.freeze();
    expect(await refusal(l.admitHitCheck(JAN))).toBeInstanceOf(RateLimitUnavailableError);
    await expect(l.admit(JAN)).resolves.toBeUndefined();
    expect(log).toHaveLength(1);
    proxy.thaw();
  }, 20_000);

  it('the store state (for /readyz) follows Redis: up, down once cut, up again once back; memory is always up', async () => {
    const { limits: l } = await limits({ principal: '10/1m' }, url);
    expect(l.store).toBe('redis');
    expect(await l.storeState()).toBe('up');
    await proxy.cut();
    expect(await l.storeState()).toBe('down');
    await proxy.start();
    let state = await l.storeState();
    for (let i = 0; i < 150 && state !== 'up'; i++) {
      await new Promise((r) => setTimeout(r, 100));
      state = await l.storeState();
    }
    expect(state).toBe('up');
    const memory = createRateLimits({ budgets: {}, redisPrefix: 'x:' }, { local: createMemoryLimiter() });
    opened.push(memory);
    expect(await memory.storeState()).toBe('up');
  }, 20_000);

  it('stalled: the PING times out and the store is down', async () => {
    const { limits: l } = await limits({ principal: '10/1m' }, url);
    proxy.freeze();
    expect(await l.storeState()).toBe('down');
    proxy.thaw();
  }, 20_000);

  it('unreachable from the start: the gateway still admits ordinary requests, refuses hit checks', async () => {
    const log: string[] = [];
    const { limits: l } = await limits({ principal: '10/1m', hitPrincipal: '10/1m' }, 'redis://127.0.0.1:1', log);
    await expect(l.admit(JAN)).resolves.toBeUndefined();
    expect(await refusal(l.admitHitCheck(JAN))).toBeInstanceOf(RateLimitUnavailableError);
    expect(log).toHaveLength(1);
  });
});
