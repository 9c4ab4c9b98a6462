import { generateKeyPairSync } from 'node:crypto';
import { entitiesStatementCount, startHarness, type Harness } from '@pactum/demo-world/testing';
import { createContextTokenVerifier } from '@pactum/subgraph-kit';
import { createMaocSubgraph, maocMigrations, resolvers, seedMaoc, MAOC_SEED, typeDefs } from '../index';

describe('maoc subgraph over HTTP', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ name: 'maoc', typeDefs, resolvers, migrations: maocMigrations, seed: seedMaoc });
  });
  afterAll(() => h.stop());

  it('answers a record with its label, owned by MAOC-N', async () => {
    const body = await h.request<{ maocRecord: { id: string; title: string; recordedOn: string; label: { owner: string; handling: string[] } } }>(
      `{ maocRecord(id: "MAOC-2024-0001") { id title recordedOn label { owner handling } } }`,
    );
    expect(body.errors).toBeUndefined();
    expect(body.data?.maocRecord).toEqual({ id: 'MAOC-2024-0001', title: 'First MAOC-N record', recordedOn: '2024-01-15', label: { owner: 'MAOC-N', handling: ['H0'] } });
  });

  it('returns null for an unknown id and lists records newest first', async () => {
    const body = await h.request<{ maocRecord: null; maocRecords: { id: string }[] }>(`{ maocRecord(id: "nope") { id } maocRecords(first: 2) { id } }`);
    expect(body.errors).toBeUndefined();
    expect(body.data?.maocRecord).toBeNull();
    expect(body.data?.maocRecords.map((r) => r.id)).toEqual(['MAOC-2024-0003', 'MAOC-2024-0002']);
  });

  it('refuses a page larger than the cap with BAD_USER_INPUT', async () => {
    const body = await h.request('{ maocRecords(first: 1000) { id } }');
    expect(body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(body.errors?.[0]?.message).toBe('maocRecords: first must be between 0 and 100, not 1000');
  });

  it('batches: every seeded reference costs the same statements as one', async () => {
    const refs = MAOC_SEED.map((r) => ({ __typename: 'MaocRecord', id: r.id }));
    const one = await entitiesStatementCount(h, '... on MaocRecord { id title label { owner } }', refs.slice(0, 1));
    const all = await entitiesStatementCount(h, '... on MaocRecord { id title label { owner } }', refs);
    expect(all).toBe(one);
  });

  it('with the gateway verifier, refuses a request without a context token (401 UNAUTHENTICATED)', async () => {
    const { publicKey } = generateKeyPairSync('ed25519');
    const running = await createMaocSubgraph({
      port: 0,
      dbFile: ':memory:',
      authenticate: createContextTokenVerifier({ publicKeyJwk: { ...publicKey.export({ format: 'jwk' }), kty: 'OKP' }, audience: 'maoc' }),
    });
    try {
      const res = await fetch(running.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ _service { sdl } }' }) });
      expect(res.status).toBe(401);
      const body = (await res.json()) as { errors: { extensions: { code: string } }[] };
      expect(body.errors[0]?.extensions.code).toBe('UNAUTHENTICATED');
    } finally {
      await running.stop();
    }
  });
});
