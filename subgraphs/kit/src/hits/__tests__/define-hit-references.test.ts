import type { IncomingMessage } from 'node:http';
import { KitOptionsError } from '../../errors';
import { subgraphTypeDefs } from '../../sdl';
import { ALLOW_UNAUTHENTICATED, createStoreSubgraph, type RunningStoreSubgraph, type SubgraphContext } from '../../server';
import { postGraphQL } from '../../server/__tests__/post-graphql';
import { defineHitReferences, HIT_REFS_TABLE, hitReferencePattern } from '..';

const T0 = Date.parse('2026-06-01T12:00:00.000Z');
let clock = T0;
const hits = defineHitReferences({ prefix: 'HIT-TST-', kinds: ['thing'], ttlSec: 3600, now: () => new Date(clock) });

const typeDefs = subgraphTypeDefs(`
  type Query { check(id: String!): String checks(ids: [String!]!): [String] follow(reference: String!): String }
`);
const resolvers = {
  Query: {
    check: (_: unknown, a: { id: string }, ctx: SubgraphContext) => hits.issue(ctx, 'thing', a.id),
    checks: (_: unknown, a: { ids: string[] }, ctx: SubgraphContext) => Promise.all(a.ids.map((id) => hits.issue(ctx, 'thing', id))),
    follow: (_: unknown, a: { reference: string }, ctx: SubgraphContext) => hits.resolve(ctx, 'thing', a.reference) ?? null,
  },
};
// Stands in for the gateway context-token verifier: the agency the (test) token vouches for.
const byHeader = async (req: IncomingMessage) => ({ subject: 'kit-test', agency: String(req.headers['x-agency'] ?? 'NL-CUSTOMS'), purpose: 'test' });

let running: RunningStoreSubgraph;
beforeAll(async () => {
  running = await createStoreSubgraph({ name: 'hits', typeDefs, resolvers, migrations: [HIT_REFS_TABLE], port: 0, dbFile: ':memory:', authenticate: byHeader });
});
afterAll(() => running.stop());
beforeEach(() => {
  clock = T0;
});

const as = (agency: string) => ({ 'x-agency': agency });
const check = async (id: string, agency: string) => {
  const reply = await postGraphQL(running.url, 'query ($id: String!) { check(id: $id) }', { id }, as(agency));
  return (reply.body.data as { check: string }).check;
};
const follow = (reference: string, agency: string) => postGraphQL(running.url, 'query ($r: String!) { follow(reference: $r) }', { r: reference }, as(agency));

describe('defineHitReferences over HTTP', () => {
  it('issues to the verified caller\'s agency and resolves only for it', async () => {
    const reference = await check('thing-1', 'NL-CUSTOMS');
    expect(reference).toMatch(hitReferencePattern('HIT-TST-'));
    expect(await check('thing-1', 'FR-POLICE')).not.toBe(reference);
    const ok = await follow(reference, 'NL-CUSTOMS');
    expect(ok.body).toEqual({ data: { follow: 'thing-1' } });
  });

  it('answers a guessed, expired, other agency\'s or malformed reference exactly like an unknown one', async () => {
    const unknown = await follow(`HIT-TST-${'Z'.repeat(32)}`, 'NL-CUSTOMS');
    expect(unknown.status).toBe(200);
    expect(unknown.body).toEqual({ data: { follow: null } });
    const french = await check('thing-2', 'FR-POLICE');
    const customs = await check('thing-2', 'NL-CUSTOMS');
    const replies = {
      guessed: await follow(`HIT-TST-${'A'.repeat(32)}`, 'NL-CUSTOMS'),
      otherAgency: await follow(french, 'NL-CUSTOMS'),
      malformed: await follow('HIT-TST-not a reference', 'NL-CUSTOMS'),
      expired: await (async () => {
        clock = T0 + 3600 * 1000;
        return follow(customs, 'NL-CUSTOMS');
      })(),
    };
    for (const [what, reply] of Object.entries(replies)) expect({ what, status: reply.status, body: reply.body }).toEqual({ what, status: 200, body: unknown.body });
    clock = T0;
    expect((await follow(customs, 'NL-CUSTOMS')).body).toEqual({ data: { follow: 'thing-2' } });
  });

  it('issues a request\'s hits in one batch: 40 cost the same statements as 1', async () => {
    const statementsFor = async (ids: string[], agency: string) => {
      running.store.resetStatementCount();
      const reply = await postGraphQL(running.url, 'query ($ids: [String!]!) { checks(ids: $ids) }', { ids }, as(agency));
      expect((reply.body.data as { checks: string[] }).checks).toHaveLength(ids.length);
      return running.store.statementCount();
    };
    const ids = Array.from({ length: 40 }, (_, i) => `batch-${i}`);
    const one = await statementsFor(ids.slice(0, 1), 'BE-POLICE');
    expect(one).toBeGreaterThan(0);
    expect(await statementsFor(ids, 'ES-POLICE')).toBe(one);
  });

  it('refuses to issue or resolve without a verified caller: masked, nothing stored', async () => {
    const open = await createStoreSubgraph({ name: 'hits-open', typeDefs, resolvers, migrations: [HIT_REFS_TABLE], port: 0, dbFile: ':memory:', authenticate: ALLOW_UNAUTHENTICATED, onInternalError: () => {} });
    try {
      const issued = await postGraphQL(open.url, '{ check(id: "thing-1") }');
      expect(issued.body.data).toEqual({ check: null });
      expect(issued.body.errors?.map((e) => [e.message, e.extensions?.['code']])).toEqual([['Internal server error', 'INTERNAL_SERVER_ERROR']]);
      const resolved = await postGraphQL(open.url, '{ follow(reference: "HIT-TST-x") }');
      expect(resolved.body.errors?.[0]?.extensions?.['code']).toBe('INTERNAL_SERVER_ERROR');
      expect(open.store.db.prepare('SELECT count(*) AS n FROM hit_refs').get()).toEqual({ n: 0 });
    } finally {
      await open.stop();
    }
  });

  it('checks its options when defined', () => {
    expect(() => defineHitReferences({ prefix: 'nope', kinds: ['thing'] })).toThrow(KitOptionsError);
    expect(() => defineHitReferences({ prefix: 'HIT-', kinds: ['thing'], now: 'today' as unknown as () => Date })).toThrow(/options\.now must be a function/);
  });
});
