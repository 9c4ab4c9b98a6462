import { labelFromRow, openStore, type LabelRow } from '@pactum/subgraph-kit';
import { contentHashesOfTwoSeeds, countRows, entitiesStatementCount, startHarness, type Harness } from '@pactum/demo-world/testing';
import { eurojustMigrations, resolvers, seedEurojust, typeDefs } from '../index';

const seeded = () => openStore({ file: ':memory:', migrations: eurojustMigrations, seed: seedEurojust });

describe('eurojust seed', () => {
  const store = seeded();
  afterAll(() => store.close());

  it('is deterministic and meets the minimum sizes', () => {
    const [first, second] = contentHashesOfTwoSeeds(store, seeded);
    expect(second).toBe(first);
    expect(countRows(store.db, 'judicial_cases')).toBeGreaterThanOrEqual(50);
    expect(countRows(store.db, 'jits')).toBeGreaterThanOrEqual(20);
    expect(countRows(store.db, 'mla_requests')).toBeGreaterThanOrEqual(100);
    expect(countRows(store.db, 'arrest_warrants')).toBeGreaterThanOrEqual(50);
  });

  it('links the story case to both story investigations and to BE, FR and ES national cases', () => {
    const links = store.db.prepare("SELECT agency, local_id FROM national_case_links WHERE case_local_id = 'EJ-2024-0173' ORDER BY agency, local_id").all();
    expect(links).toEqual(expect.arrayContaining([
      { agency: 'NL-POLICE', local_id: 'NL-ONB-2024-0456' }, { agency: 'NL-POLICE', local_id: 'NL-ONB-2024-0312' },
    ]));
    expect(new Set((links as { agency: string }[]).map((l) => l.agency))).toEqual(new Set(['NL-POLICE', 'BE-POLICE', 'FR-POLICE', 'ES-POLICE']));
    const labels = (store.db.prepare('SELECT * FROM judicial_cases').all() as LabelRow[]).map((r) => labelFromRow(r));
    expect(labels.filter((l) => l.handling.includes('H1')).length).toBeGreaterThan(5);
  });
});

describe('eurojust subgraph over HTTP', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ name: 'eurojust', typeDefs, resolvers, migrations: eurojustMigrations, seed: seedEurojust });
  });
  afterAll(() => h.stop());

  it('answers the story case with its JIT, MLA requests, warrants and national cases', async () => {
    const body = await h.request<{ judicialCase: { jit: { id: string; members: string[] }; mlaRequests: unknown[]; arrestWarrants: { subjectName: string }[]; nationalCases: { agency: string; investigation: { localId: string } | null }[] } }>(
      '{ judicialCase(localId: "EJ-2024-0173") { jit { id members } mlaRequests { id } arrestWarrants { subjectName } nationalCases { agency investigation { localId } } } }',
    );
    expect(body.errors).toBeUndefined();
    const c = body.data?.judicialCase;
    expect(c?.jit.id).toBe('JIT-2024-07');
    expect(c?.jit.members).toEqual(expect.arrayContaining(['NL-POLICE', 'BE-POLICE', 'FR-POLICE', 'ES-POLICE']));
    expect(c?.mlaRequests.length).toBeGreaterThan(0);
    expect(c?.arrestWarrants.length).toBeGreaterThan(0);
    expect(c?.nationalCases.filter((n) => n.investigation !== null).map((n) => n.agency)).toEqual(['NL-POLICE', 'NL-POLICE']);
    expect(c?.nationalCases.find((n) => n.agency === 'BE-POLICE')?.investigation).toBeNull();
  });

  it('contributes judicial cases to an investigation only where a case links it', async () => {
    const body = await h.request<{ _entities: { judicialCases: { localId: string }[] }[] }>(
      'query ($r: [_Any!]!) { _entities(representations: $r) { ... on Investigation { judicialCases { localId } } } }',
      { r: [{ __typename: 'Investigation', agency: 'NL-POLICE', localId: 'NL-ONB-2024-0456' }, { __typename: 'Investigation', agency: 'NL-POLICE', localId: 'NL-ONB-1999-0000' }] },
    );
    expect(body.data?._entities).toEqual([{ judicialCases: [{ localId: 'EJ-2024-0173' }] }, { judicialCases: [] }]);
  });

  it('returns null for an unknown case', async () => {
    const body = await h.request<{ judicialCase: null }>('{ judicialCase(localId: "EJ-1999-0000") { title } }');
    expect(body.errors).toBeUndefined();
    expect(body.data?.judicialCase).toBeNull();
  });

  it('batches: 50 case references and 40 linked investigations cost the same statements as 1', async () => {
    const cases = (h.store.db.prepare('SELECT agency, local_id FROM judicial_cases ORDER BY jit_id IS NULL, local_id LIMIT 50').all() as { agency: string; local_id: string }[])
      .map((r) => ({ __typename: 'JudicialCase', agency: r.agency, localId: r.local_id }));
    const sel = '... on JudicialCase { title label { owner } jit { name } mlaRequests { subject } arrestWarrants { offence } nationalCases { localId } }';
    expect(cases).toHaveLength(50);
    expect(await entitiesStatementCount(h, sel, cases)).toBe(await entitiesStatementCount(h, sel, cases.slice(0, 1)));
    const invs = (h.store.db.prepare("SELECT l.agency, l.local_id FROM national_case_links l JOIN judicial_cases c ON c.local_id = l.case_local_id WHERE l.agency = 'NL-POLICE' GROUP BY l.agency, l.local_id ORDER BY max(c.jit_id IS NOT NULL) DESC, l.local_id").all() as { agency: string; local_id: string }[])
      .map((r) => ({ __typename: 'Investigation', agency: r.agency, localId: r.local_id }));
    const iSel = '... on Investigation { judicialCases { title jit { id } } }';
    expect(invs.length).toBeGreaterThanOrEqual(40);
    expect(await entitiesStatementCount(h, iSel, invs)).toBe(await entitiesStatementCount(h, iSel, invs.slice(0, 1)));
  });
});
