/** The rewrite cache's bounds: bytes as well as entries, heavy rewrites not cached, keys that carry the policy version. */
import { parse } from 'graphql';
import { createRewriteCache } from '../index';
import { fakeProfile, fixtureFacts } from './fixtures/fake-policy';
import { composeFixture } from './fixtures/fixture-subgraphs';

const { apiSchema: schema } = composeFixture();
const open = fakeProfile({ key: 'open', allow: ['Query.*', 'Container.*', 'Seizure.*', 'PortCall.*', 'RecordLabel.*'] });
const query = (i: number) => `query D${i} { container(number: "X") { number sizeType seizures { id } } }`;
const input = (i: number, profile = open) => ({ schema, document: parse(query(i)), operationName: `D${i}`, profile, facts: fixtureFacts, queryHash: `hash-${i}` });

describe('createRewriteCache bounds', () => {
  it('evicts by estimated bytes: never holds more than maxBytes, whatever the entry bound', () => {
    const cache = createRewriteCache({ maxEntries: 10_000, maxBytes: 200_000, maxEntryBytes: 100_000 });
    let last: ReturnType<typeof cache.rewrite> | undefined;
    for (let i = 0; i < 200; i++) last = cache.rewrite(input(i));
    expect(cache.bytes).toBeLessThanOrEqual(200_000);
    expect(cache.size).toBeGreaterThan(0);
    expect(cache.size).toBeLessThan(200);
    // The most recent rewrite is still served from the cache.
    expect(cache.rewrite(input(199))).toBe(last);
  });

  it('does not cache a rewrite heavier than maxEntryBytes: computed afresh each time, nothing kept', () => {
    const cache = createRewriteCache({ maxBytes: 1_000_000, maxEntryBytes: 2_000 });
    const a = cache.rewrite(input(1));
    expect(cache.rewrite(input(1))).not.toBe(a);
    expect([cache.size, cache.bytes]).toEqual([0, 0]);
  });

  it('keys by policy version too: a profile of another policy version never gets this one\'s rewrite', () => {
    const cache = createRewriteCache();
    const a = cache.rewrite(input(1));
    const b = cache.rewrite(input(1, { ...open, policyVersion: 'another' }));
    expect(b).not.toBe(a);
    expect(cache.size).toBe(2);
  });
});
