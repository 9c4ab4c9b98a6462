import { labelFromRow, openStore, type LabelRow } from '@pactum/subgraph-kit';
import { STORY_CONTAINERS } from '@pactum/demo-world';
import { contentHashesOfTwoSeeds, countRows, entitiesStatementCount, startHarness, type Harness } from '@pactum/demo-world/testing';
import { europolMigrations, resolvers, seedEuropol, typeDefs } from '../index';

const seeded = () => openStore({ file: ':memory:', migrations: europolMigrations, seed: seedEuropol });

describe('europol seed', () => {
  const store = seeded();
  afterAll(() => store.close());

  it('is deterministic and meets the minimum sizes', () => {
    const [first, second] = contentHashesOfTwoSeeds(store, seeded);
    expect(second).toBe(first);
    expect(countRows(store.db, 'siena_messages')).toBeGreaterThanOrEqual(500);
    expect(countRows(store.db, 'intelligence_reports')).toBeGreaterThanOrEqual(500);
    expect(countRows(store.db, 'ocg_members')).toBeGreaterThanOrEqual(100);
  });

  it('has messages and intelligence about every story container, and varied labels', () => {
    for (const n of STORY_CONTAINERS) {
      const m = store.db.prepare('SELECT count(*) AS n FROM message_containers WHERE container_number = ?').get(n) as { n: number };
      const r = store.db.prepare('SELECT count(*) AS n FROM report_containers WHERE container_number = ?').get(n) as { n: number };
      expect({ n, messages: m.n > 0, reports: r.n > 0 }).toEqual({ n, messages: true, reports: true });
    }
    const labels = (store.db.prepare('SELECT * FROM intelligence_reports').all() as LabelRow[]).map((r) => labelFromRow(r));
    expect(labels.filter((l) => l.handling.includes('H2')).length).toBeGreaterThan(20);
    expect(labels.filter((l) => l.handling.includes('H3')).every((l) => l.handlingNote !== null)).toBe(true);
  });
});

describe('europol subgraph over HTTP', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ name: 'europol', typeDefs, resolvers, migrations: europolMigrations, seed: seedEuropol });
  });
  afterAll(() => h.stop());

  it('contributes messages, intelligence and a hit to a container, and support to an investigation', async () => {
    const body = await h.request<{ _entities: Record<string, unknown>[] }>(
      `query ($r: [_Any!]!) { _entities(representations: $r) {
        ... on Container { sienaMessages { id fromAgency } intelligenceReports { sourceReliability } europolHit { hit reference } }
        ... on Investigation { europolSupport analysisProject { id } } } }`,
      { r: [{ __typename: 'Container', number: 'MSCU1234566' }, { __typename: 'Investigation', agency: 'NL-POLICE', localId: 'NL-ONB-2024-0456' },
        { __typename: 'Investigation', agency: 'NL-POLICE', localId: 'NL-ONB-1999-0000' }] },
    );
    expect(body.errors).toBeUndefined();
    const [container, supported, unknown] = body.data?._entities ?? [];
    expect((container?.['sienaMessages'] as unknown[]).length).toBeGreaterThan(0);
    expect((container?.['europolHit'] as { hit: boolean; reference: string }).reference).toMatch(/^HIT-EPL-[0-9A-F]{16}$/);
    expect(supported).toEqual({ europolSupport: true, analysisProject: { id: 'AP-COLA' } });
    expect(unknown).toEqual({ europolSupport: false, analysisProject: null });
  });

  it('answers a person hit and its follow-up', async () => {
    const m = h.store.db.prepare("SELECT id, name, date_of_birth FROM ocg_members WHERE id = 'EPL-P-00001'").get() as { id: string; name: string; date_of_birth: string };
    const hit = await h.request<{ europolPersonHit: { hit: boolean; reference: string } }>('query ($n: String!, $d: LocalDate!) { europolPersonHit(name: $n, dateOfBirth: $d) { hit reference } }', { n: m.name, d: m.date_of_birth });
    expect(hit.data?.europolPersonHit.hit).toBe(true);
    const follow = await h.request<{ europolHitFollowUp: { id: string } }>('query ($r: String!) { europolHitFollowUp(reference: $r) { id } }', { r: hit.data?.europolPersonHit.reference });
    expect(follow.data?.europolHitFollowUp).toEqual({ id: m.id });
    const bad = await h.request('{ europolPersonHit(name: "x", dateOfBirth: "31-12-1990") { hit } }');
    expect(bad.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('batches: 50 containers / 50 investigations / 15 groups cost the same statements as 1', async () => {
    const numbers = (h.store.db.prepare('SELECT DISTINCT container_number FROM message_containers ORDER BY 1 LIMIT 50').all() as { container_number: string }[])
      .map((r) => ({ __typename: 'Container', number: r.container_number }));
    const cSel = '... on Container { sienaMessages { subject label { owner } } intelligenceReports { title organisedCrimeGroup { name } } europolHit { hit } }';
    expect(numbers).toHaveLength(50);
    expect(await entitiesStatementCount(h, cSel, numbers)).toBe(await entitiesStatementCount(h, cSel, numbers.slice(0, 1)));
    const invs = (h.store.db.prepare('SELECT agency, local_id FROM supported_investigations LIMIT 50').all() as { agency: string; local_id: string }[])
      .map((r) => ({ __typename: 'Investigation', agency: r.agency, localId: r.local_id }));
    const iSel = '... on Investigation { europolSupport analysisProject { name } }';
    expect(await entitiesStatementCount(h, iSel, invs)).toBe(await entitiesStatementCount(h, iSel, invs.slice(0, 1)));
    const ocgs = (h.store.db.prepare('SELECT id FROM ocgs').all() as { id: string }[]).map((r) => ({ __typename: 'OrganisedCrimeGroup', id: r.id }));
    const oSel = '... on OrganisedCrimeGroup { name members { name } intelligenceReports { id } }';
    expect(await entitiesStatementCount(h, oSel, ocgs)).toBe(await entitiesStatementCount(h, oSel, ocgs.slice(0, 1)));
  });
});
