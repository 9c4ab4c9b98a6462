import { generateKeyPairSync } from 'node:crypto';
import { STORY_VESSELS } from '@pactum/demo-world';
import { contentHashesOfTwoSeeds, entitiesStatementCount, startHarness, type Harness } from '@pactum/demo-world/testing';
import { createContextTokenVerifier, openStore } from '@pactum/subgraph-kit';
import { createMaocSubgraph, INTERDICTIONS, maocMigrations, resolvers, seedMaoc, typeDefs } from '../index';

describe('maoc subgraph over HTTP', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ name: 'maoc', typeDefs, resolvers, migrations: maocMigrations, seed: seedMaoc });
  });
  afterAll(() => h.stop());

  it('adds to a story vessel its interest, interdictions (with containers searched) and tracking with AIS gaps', async () => {
    const body = await h.request<{ _entities: { maocInterest: { riskLevel: string }; interdictions: { id: string; actingCountry: string; quantityKg: number; containers: { number: string }[]; label: { owner: string } }[]; trackingReports: { aisGapHours: number | null; nearPort: string | null }[] }[] }>(
      `query ($r: [_Any!]!) { _entities(representations: $r) { ... on Vessel {
         maocInterest { riskLevel } interdictions { id actingCountry quantityKg containers { number } label { owner } } trackingReports { aisGapHours nearPort } } } }`,
      { r: [{ __typename: 'Vessel', imo: '9463786' }] },
    );
    expect(body.errors).toBeUndefined();
    const v = body.data?._entities[0];
    expect(v?.maocInterest.riskLevel).toBe('HIGH');
    expect(v?.interdictions).toEqual([{ id: 'MAOC-INT-2024-0011', actingCountry: 'ES', quantityKg: 1240, containers: [{ number: 'MAEU8123457' }], label: { owner: 'MAOC-N' } }]);
    expect(v?.trackingReports.map((t) => t.aisGapHours)).toEqual([null, 42]);
  });

  it('lists interdictions newest first and finds the ones that searched a container', async () => {
    const body = await h.request<{ interdictions: { id: string; vessel: { imo: string } }[]; _entities: { interdictions: { id: string }[] }[] }>(
      `query ($r: [_Any!]!) { interdictions(first: 2) { id vessel { imo } } _entities(representations: $r) { ... on Container { interdictions { id } } } }`,
      { r: [{ __typename: 'Container', number: 'HLXU7032104' }, { __typename: 'Container', number: 'MSCU1234566' }] },
    );
    expect(body.errors).toBeUndefined();
    expect(body.data?.interdictions).toEqual([
      { id: 'MAOC-INT-2025-0004', vessel: { imo: '9074729' } },
      { id: 'MAOC-INT-2024-0031', vessel: { imo: '9587128' } },
    ]);
    expect(body.data?._entities).toEqual([{ interdictions: [{ id: 'MAOC-INT-2024-0023' }] }, { interdictions: [] }]);
  });

  it('returns null for an unknown interdiction and an empty answer for a vessel it does not watch', async () => {
    const body = await h.request<{ interdiction: null; _entities: { maocInterest: null; interdictions: [] }[] }>(
      `query ($r: [_Any!]!) { interdiction(id: "MAOC-INT-1999-0001") { id } _entities(representations: $r) { ... on Vessel { maocInterest { id } interdictions { id } } } }`,
      { r: [{ __typename: 'Vessel', imo: '9300001' }] },
    );
    expect(body.errors).toBeUndefined();
    expect(body.data).toEqual({ interdiction: null, _entities: [{ maocInterest: null, interdictions: [] }] });
  });

  it('refuses a page larger than the cap, or negative, with BAD_USER_INPUT', async () => {
    const negative = await h.request('{ vesselsOfInterest(first: -1) { id } }');
    expect(negative.errors?.[0]?.message).toBe('vesselsOfInterest: first must be between 0 and 100, not -1');
    const big = await h.request('{ interdictions(first: 1000) { id } }');
    expect(big.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(big.errors?.[0]?.message).toBe('interdictions: first must be between 0 and 100, not 1000');
  });

  it('batches: the four story vessels with every relation cost the same statements as one', async () => {
    const selection = '... on Vessel { maocInterest { reason label { owner } } interdictions { id containers { number } label { owner } } trackingReports { id label { owner } } }';
    const refs = STORY_VESSELS.map((v) => ({ __typename: 'Vessel', imo: v.imo }));
    expect(await entitiesStatementCount(h, selection, refs)).toBe(await entitiesStatementCount(h, selection, refs.slice(0, 1)));
  });

  it('seeds deterministically, every row labelled by MAOC-N', () => {
    const [a, b] = contentHashesOfTwoSeeds(h.store, () => openStore({ file: ':memory:', migrations: maocMigrations, seed: seedMaoc }));
    expect(a).toBe(b);
    const owners = h.store.db.prepare('SELECT DISTINCT owner FROM interdictions UNION SELECT owner FROM tracking_reports UNION SELECT owner FROM vessels_of_interest').all();
    expect(owners).toEqual([{ owner: 'MAOC-N' }]);
    expect(INTERDICTIONS.every((i) => STORY_VESSELS.some((v) => v.imo === i.imo))).toBe(true);
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
