import { parse } from 'graphql';
import { ByteLruCache, cacheBudget, CACHE_HEAP_SHARE, CACHE_WEIGHTS, countAstNodes, estimateContextTokenBytes, estimateVerifiedTokenBytes, keyValueCache } from '../index';

/** Every value weighs its length in bytes (plus the fixed entry overhead of 48). */
const weighed = (maxBytes: number, extra: Partial<ConstructorParameters<typeof ByteLruCache<string, string>>[0]> = {}) =>
  new ByteLruCache<string, string>({ maxBytes, sizeOf: (v) => v.length, ...extra });

describe('ByteLruCache', () => {
  it('evicts the least recently used entries until the bytes fit, a hit counting as a use', () => {
    const cache = weighed(3 * (48 + 100), { maxEntryBytes: 400 });
    for (const k of ['a', 'b', 'c']) cache.set(k, 'x'.repeat(100));
    expect(cache.bytes).toBe(3 * 148);
    cache.get('a');
    cache.set('d', 'x'.repeat(100));
    expect([cache.has('a'), cache.has('b'), cache.has('c'), cache.has('d')]).toEqual([true, false, true, true]);
    // One heavy entry pushes out as many light ones as it must.
    cache.set('e', 'x'.repeat(248));
    expect(cache.size).toBe(2);
    expect(cache.bytes).toBeLessThanOrEqual(cache.maxBytes);
  });

  it('bounds entries too, whatever they weigh', () => {
    const cache = weighed(1_000_000, { maxEntries: 2 });
    cache.set('a', '');
    cache.set('b', '');
    cache.set('c', '');
    expect(cache.size).toBe(2);
    expect(cache.get('a')).toBeUndefined();
  });

  it('does not cache an entry heavier than maxEntryBytes, and forgets what the key held before', () => {
    const cache = weighed(10_000, { maxEntryBytes: 1000 });
    expect(cache.set('k', 'small')).toBe(true);
    expect(cache.set('k', 'x'.repeat(2000))).toBe(false);
    expect(cache.get('k')).toBeUndefined();
    expect(cache.bytes).toBe(0);
    // Default threshold: an eighth of the whole.
    expect(weighed(8000).maxEntryBytes).toBe(1000);
  });

  it('replacing a key re-weighs it; clear and delete give the bytes back', () => {
    const cache = weighed(10_000, { maxEntryBytes: 10_000 });
    cache.set('k', 'x'.repeat(10));
    cache.set('k', 'x'.repeat(20));
    expect(cache.bytes).toBe(68);
    expect(cache.delete('k')).toBe(true);
    expect(cache.delete('k')).toBe(false);
    cache.set('j', 'x');
    cache.clear();
    expect([cache.size, cache.bytes]).toEqual([0, 0]);
  });

  it('weighs an entry whose estimate is not a number as the overhead alone, never negative', () => {
    const cache = new ByteLruCache<string, number>({ maxBytes: 1000, maxEntryBytes: 1000, sizeOf: (v) => v });
    cache.set('nan', Number.NaN);
    cache.set('neg', -5);
    expect(cache.bytes).toBe(96);
  });

  it.each([0, -1, 1.5, Number.NaN])('refuses a bound of %p', (bound) => {
    expect(() => weighed(bound)).toThrow(RangeError);
    expect(() => weighed(100, { maxEntries: bound })).toThrow(RangeError);
  });
});

describe('keyValueCache', () => {
  it("is Apollo's KeyValueCache over the same bounded LRU", async () => {
    const kv = keyValueCache<string>({ maxBytes: 200, maxEntryBytes: 200, sizeOf: (v) => v.length });
    await kv.set('a', 'x'.repeat(100));
    expect(await kv.get('a')).toBe('x'.repeat(100));
    await kv.set('b', 'x'.repeat(100));
    expect(await kv.get('a')).toBeUndefined();
    expect(await kv.delete('b')).toBe(true);
    expect(kv.lru.bytes).toBe(0);
  });
});

describe('cacheBudget', () => {
  it(`gives all caches together ${CACHE_HEAP_SHARE * 100} % of the heap, split by weight`, () => {
    const heap = 240 * 2 ** 20; // heap_size_limit of a default gateway (--max-old-space-size=192)
    const budget = cacheBudget(heap);
    const parts = Object.keys(CACHE_WEIGHTS).map((name) => budget[name as keyof typeof CACHE_WEIGHTS]);
    expect(parts.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(budget.totalBytes);
    expect(budget.totalBytes).toBe(Math.floor(heap * CACHE_HEAP_SHARE));
    expect(budget.rewrites).toBeGreaterThan(budget.contextTokens);
    // Each share is its weight's part of the total, exactly.
    const weightSum = Object.values(CACHE_WEIGHTS).reduce((a, b) => a + b, 0);
    for (const [name, weight] of Object.entries(CACHE_WEIGHTS)) {
      expect([name, budget[name as keyof typeof CACHE_WEIGHTS]]).toEqual([name, Math.floor((budget.totalBytes * weight) / weightSum)]);
    }
    expect(() => cacheBudget(0)).toThrow(RangeError);
  });

  it('keeps the verified and context tokens of 10 000 signed-in users in a default gateway', () => {
    const budget = cacheBudget(240 * 2 ** 20);
    // A principal as a token's claims give it, keyed by the token's digest (43 characters).
    const digest = 'x'.repeat(43);
    const strings = ['nl-police-investigator.01234', 'NL-POLICE', 'https://idp.politie.example', 'SECRET', 'investigator', 'drug-trafficking', 'NL-ONB-2024-0456', 'jti-0123456789abcdef'];
    expect(Math.floor(budget.verifiedTokens / estimateVerifiedTokenBytes(digest, strings))).toBeGreaterThanOrEqual(10_000);
    // One subgraph asked per user: the memo key, and a context token of ~430 characters.
    const key = `kid-0123456789abcdefghijklmnopqrstuvwxyzABCDEFG\u0000customs\u0000NL-POLICE\u0000nl-police-investigator.01234\u0000drug-trafficking\u0000NL-ONB-2024-0456`;
    expect(Math.floor(budget.contextTokens / estimateContextTokenBytes(key, 'e'.repeat(430)))).toBeGreaterThanOrEqual(10_000);
  });
});

describe('countAstNodes', () => {
  it('counts every node, names and values included, and nothing of the locations', () => {
    // Document, OperationDefinition, SelectionSet, Field a, Name a, Field b, Name b, Argument, Name x, IntValue
    expect(countAstNodes(parse('{ a b(x: 1) }'))).toBe(10);
    expect(countAstNodes(null, parse('{ a }'))).toBe(5);
  });
});
