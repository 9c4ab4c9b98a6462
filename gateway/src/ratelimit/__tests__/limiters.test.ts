/**
 * The token bucket's contract, held by both limiters — in this process and in Redis (the Lua
 * script) — against the real local Redis, each test under its own key prefix.
 */
import Redis from 'ioredis';
import { createMemoryLimiter, createRedisLimiter, type BucketSpec, type RateLimiter } from '../index';
import { assertRedisReachable, dropKeys, TEST_REDIS_URL, uniquePrefix } from './support/redis-harness';

const spec = (capacity: number, refillPerSecond: number): BucketSpec => ({ capacity, refillPerSecond });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeAll(async () => {
  await assertRedisReachable();
});

const prefixes: string[] = [];
afterAll(async () => {
  for (const p of prefixes) await dropKeys(p);
});

interface Made {
  limiter: RateLimiter;
  /** A second client on the same buckets (another replica); the memory limiter has none. */
  another?: () => RateLimiter;
}

const kinds: [string, () => Made][] = [
  ['memory', () => ({ limiter: createMemoryLimiter() })],
  [
    'redis',
    () => {
      const prefix = uniquePrefix('limiters');
      prefixes.push(prefix);
      return { limiter: createRedisLimiter({ url: TEST_REDIS_URL, prefix }), another: () => createRedisLimiter({ url: TEST_REDIS_URL, prefix }) };
    },
  ],
];

describe.each(kinds)('%s limiter', (_kind, make) => {
  let made: Made;
  const extra: RateLimiter[] = [];
  beforeEach(async () => {
    made = make();
    // Redis: the first command waits for the connection rather than failing for want of one.
    await (made.limiter as { connected?: (ms: number) => Promise<boolean> }).connected?.(3000);
  });
  afterEach(async () => {
    await made.limiter.close();
    for (const l of extra.splice(0)) await l.close();
  });

  it('a fresh bucket lets `capacity` requests through, then refuses with the wait for one token', async () => {
    const claim = [{ key: 'p:a', spec: spec(3, 0.5) }];
    for (let i = 0; i < 3; i++) expect(await made.limiter.take(claim)).toMatchObject({ allowed: true });
    const refused = await made.limiter.take(claim);
    expect(refused.allowed).toBe(false);
    if (refused.allowed) return;
    expect(refused.bucket).toBe(0);
    // One token at 0.5/s takes up to 2 s; some of it may have refilled already.
    expect(refused.retryAfterMs).toBeGreaterThan(0);
    expect(refused.retryAfterMs).toBeLessThanOrEqual(2000);
  });

  it('takes from all buckets or from none, and names the one that ran out', async () => {
    const wide = { key: 'p:wide', spec: spec(5, 0.01) };
    const narrow = { key: 'a:narrow', spec: spec(1, 0.01) };
    expect(await made.limiter.take([wide, narrow])).toMatchObject({ allowed: true });
    expect(await made.limiter.take([wide, narrow])).toMatchObject({ allowed: false, bucket: 1 });
    // The refused request spent nothing from `wide`: 4 tokens are left, not 3.
    for (let i = 0; i < 4; i++) expect(await made.limiter.take([wide])).toMatchObject({ allowed: true });
    expect(await made.limiter.take([wide])).toMatchObject({ allowed: false, bucket: 0 });
  });

  it('the longest wait decides which bucket is named', async () => {
    const slow = { key: 'slow', spec: spec(1, 0.01) };
    const fast = { key: 'fast', spec: spec(1, 10) };
    expect(await made.limiter.take([fast, slow])).toMatchObject({ allowed: true });
    const refused = await made.limiter.take([fast, slow]);
    expect(refused).toMatchObject({ allowed: false, bucket: 1 });
    if (!refused.allowed) expect(refused.retryAfterMs).toBeGreaterThan(10_000);
  });

  it('a take that leaves a bucket without a whole token says how long until it holds one again', async () => {
    const claim = [{ key: 'ex', spec: spec(2, 0.5) }];
    expect(await made.limiter.take(claim)).toEqual({ allowed: true });
    const last = await made.limiter.take(claim);
    expect(last.allowed).toBe(true);
    if (!last.allowed) return;
    // Empty now; a token at 0.5/s takes up to 2 s (a little may have refilled already).
    expect(last.exhaustedForMs).toBeGreaterThan(1000);
    expect(last.exhaustedForMs).toBeLessThanOrEqual(2000);
    expect((await made.limiter.take(claim)).allowed).toBe(false);
  });

  it('a cost of several tokens is taken from every bucket at once, or refused whole with the wait for all of it', async () => {
    const claim = [{ key: 'cost', spec: spec(5, 0.01) }];
    expect(await made.limiter.take(claim, 3)).toEqual({ allowed: true });
    const refused = await made.limiter.take(claim, 3);
    expect(refused).toMatchObject({ allowed: false, bucket: 0 });
    // Two tokens left, one more needed: at 0.01/s about 100 s.
    if (!refused.allowed) expect(refused.retryAfterMs).toBeGreaterThan(90_000);
    // The refused take spent nothing: the two tokens are still there.
    expect(await made.limiter.take(claim, 2)).toMatchObject({ allowed: true, exhaustedForMs: expect.any(Number) });
    expect((await made.limiter.take(claim)).allowed).toBe(false);
  });

  it('keys are independent', async () => {
    const one = [{ key: 'k:1', spec: spec(1, 0.01) }];
    const two = [{ key: 'k:2', spec: spec(1, 0.01) }];
    expect(await made.limiter.take(one)).toMatchObject({ allowed: true });
    expect((await made.limiter.take(one)).allowed).toBe(false);
    expect(await made.limiter.take(two)).toMatchObject({ allowed: true });
  });

  it('a bucket refills at its rate: after the wait it names, one more request passes', async () => {
    // A token a second: the second take comes well within it; waiting longer than named only adds tokens.
    const claim = [{ key: 'refill', spec: spec(1, 1) }];
    expect(await made.limiter.take(claim)).toMatchObject({ allowed: true });
    const refused = await made.limiter.take(claim);
    expect(refused.allowed).toBe(false);
    if (refused.allowed) return;
    expect(refused.retryAfterMs).toBeLessThanOrEqual(1000);
    await sleep(refused.retryAfterMs + 50);
    expect(await made.limiter.take(claim)).toMatchObject({ allowed: true });
  });

  it('concurrent requests never get more than the capacity (two clients where the store is shared)', async () => {
    const other = made.another?.() ?? made.limiter;
    if (other !== made.limiter) {
      extra.push(other);
      await (other as { connected?: (ms: number) => Promise<boolean> }).connected?.(3000);
    }
    const claim = [{ key: 'race', spec: spec(20, 0.001) }];
    const results = await Promise.all(Array.from({ length: 60 }, (_, i) => (i % 2 === 0 ? made.limiter : other).take(claim)));
    expect(results.filter((r) => r.allowed).length).toBe(20);
  });
});

describe('redis limiter', () => {
  it('keys carry the prefix and expire once the bucket would be full again', async () => {
    const prefix = uniquePrefix('expiry');
    prefixes.push(prefix);
    const limiter = createRedisLimiter({ url: TEST_REDIS_URL, prefix });
    const client = new Redis(TEST_REDIS_URL);
    try {
      await limiter.connected(3000);
      await limiter.take([{ key: 'p:x', spec: spec(10, 1) }]);
      const ttl = await client.pttl(`${prefix}p:x`);
      // 10 tokens at 1/s: full again after 10 s; the key lives that long plus a second.
      expect(ttl).toBeGreaterThan(9_000);
      expect(ttl).toBeLessThanOrEqual(11_000);
    } finally {
      client.disconnect();
      await limiter.close();
    }
  });

  it('rejects at once when Redis cannot be reached (no queueing, no hanging)', async () => {
    const limiter = createRedisLimiter({ url: 'redis://127.0.0.1:1', prefix: uniquePrefix('nowhere') });
    try {
      expect(await limiter.connected(300)).toBe(false);
      await expect(limiter.take([{ key: 'p', spec: spec(1, 1) }])).rejects.toThrow();
    } finally {
      await limiter.close();
    }
  });
});

describe('memory limiter', () => {
  it('forgets buckets that are full again, so it holds only recently active principals', async () => {
    let now = 0;
    const limiter = createMemoryLimiter({ now: () => now, sweepAbove: 10 });
    for (let i = 0; i < 10; i++) await limiter.take([{ key: `old:${i}`, spec: spec(2, 1) }]);
    expect(limiter.size()).toBe(10);
    now += 2000; // every old bucket is full again
    await limiter.take([{ key: 'new:0', spec: spec(2, 1) }]);
    await limiter.take([{ key: 'new:1', spec: spec(2, 1) }]);
    expect(limiter.size()).toBe(2);
  });

  it('capped: past maxBuckets the least recently touched buckets go, however many keys arrive', async () => {
    let now = 0;
    const limiter = createMemoryLimiter({ now: () => now, maxBuckets: 100, sweepAbove: 50 });
    const claim = (key: string) => [{ key, spec: spec(5, 0.001) }];
    await limiter.take(claim('kept'));
    for (let i = 0; i < 1000; i++) {
      now += 1;
      await limiter.take(claim(`addr:${i}`));
      // Touched again now and then: a recent bucket is not the one dropped.
      if (i % 10 === 0) await limiter.take(claim('kept'));
      expect(limiter.size()).toBeLessThanOrEqual(100);
    }
    // 'kept', touched all along (refused takes included), was never dropped: still spent.
    expect((await limiter.take(claim('kept'))).allowed).toBe(false);
    // The oldest addresses were forgotten: a fresh bucket, full again.
    expect(await limiter.take(claim('addr:0'))).toMatchObject({ allowed: true });
  });

  it('refills by the clock it is given', async () => {
    let now = 0;
    const limiter = createMemoryLimiter({ now: () => now });
    const claim = [{ key: 'p', spec: spec(2, 1) }];
    await limiter.take(claim);
    await limiter.take(claim);
    expect(await limiter.take(claim)).toEqual({ allowed: false, bucket: 0, retryAfterMs: 1000 });
    now += 999;
    expect((await limiter.take(claim)).allowed).toBe(false);
    now += 1;
    expect(await limiter.take(claim)).toMatchObject({ allowed: true });
  });
});
