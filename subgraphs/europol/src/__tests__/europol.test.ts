import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { labelFromRow, openStore, type LabelRow } from '@pactum/subgraph-kit';
import { STORY_CONTAINERS } from '@pactum/demo-world';
import { callerFromTestHeader, contentHashesOfTwoSeeds, countRows, entitiesStatementCount, startHarness, TEST_AGENCY_HEADER, type Harness } from '@pactum/demo-world/testing';
import { createEuropolResolvers, europolMigrations, seedEuropol, typeDefs } from '../index';

const T0 = Date.parse('2026-06-01T12:00:00.000Z');
const DAY = 24 * 60 * 60 * 1000;
let clock = T0;
const as = (agency: string) => ({ [TEST_AGENCY_HEADER]: agency });

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
    // References are random and issued when a hit is answered, never seeded.
    expect(countRows(store.db, 'hit_refs')).toBe(0);
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

describe('europol store migrations', () => {
  it('replaces an old store\'s seeded hit_refs (schema 1) with the issued-on-demand table, dropping the old references', () => {
    const dir = mkdtempSync(join(tmpdir(), 'europol-migrate-'));
    try {
      const file = join(dir, 'europol.sqlite');
      const old = openStore({ file, migrations: europolMigrations.slice(0, 1) });
      old.db.prepare("INSERT INTO hit_refs (reference, kind, record_id) VALUES ('HIT-EPL-0123456789ABCDEF', 'person', 'EPL-P-00001')").run();
      old.close();
      const store = openStore({ file, migrations: europolMigrations });
      try {
        expect(store.db.pragma('user_version', { simple: true })).toBe(2);
        expect((store.db.prepare("SELECT name FROM pragma_table_info('hit_refs') ORDER BY cid").all() as { name: string }[]).map((c) => c.name))
          .toEqual(['reference', 'kind', 'record_id', 'issued_to', 'issued_at', 'expires_at']);
        expect(countRows(store.db, 'hit_refs')).toBe(0);
      } finally {
        store.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('europol subgraph over HTTP', () => {
  let h: Harness;
  beforeAll(async () => {
    const resolvers = createEuropolResolvers({ now: () => new Date(clock) });
    h = await startHarness({ name: 'europol', typeDefs, resolvers, migrations: europolMigrations, seed: seedEuropol, authenticate: callerFromTestHeader });
  });
  afterAll(() => h.stop());
  beforeEach(() => {
    clock = T0;
  });

  it('contributes messages, intelligence and a hit to a container, and support to an investigation', async () => {
    const body = await h.request<{ _entities: Record<string, unknown>[] }>(
      `query ($r: [_Any!]!) { _entities(representations: $r) {
        ... on Container { sienaMessages { id fromAgency } intelligenceReports { sourceReliability } europolHit { hit reference } }
        ... on Investigation { europolSupport analysisProject { id } } } }`,
      { r: [{ __typename: 'Container', number: 'MSCU1234566' }, { __typename: 'Investigation', agency: 'NL-POLICE', localId: 'NL-ONB-2024-0456' },
        { __typename: 'Investigation', agency: 'NL-POLICE', localId: 'NL-ONB-1999-0000' }, { __typename: 'Container', number: 'MSCU1234545' }] },
    );
    expect(body.errors).toBeUndefined();
    const [container, supported, unknown, unmentioned] = body.data?._entities ?? [];
    expect((container?.['sienaMessages'] as unknown[]).length).toBeGreaterThan(0);
    expect((container?.['europolHit'] as { hit: boolean; reference: string }).reference).toMatch(/^HIT-EPL-[A-Z2-7]{32}$/);
    expect(unmentioned?.['europolHit']).toEqual({ hit: false, reference: null });
    expect(supported).toEqual({ europolSupport: true, analysisProject: { id: 'AP-COLA' } });
    expect(unknown).toEqual({ europolSupport: false, analysisProject: null });
  });

  const MEMBER = "SELECT id, name, date_of_birth FROM ocg_members WHERE id = 'EPL-P-00001'";
  const personHit = async (agency: string) => {
    const m = h.store.db.prepare(MEMBER).get() as { id: string; name: string; date_of_birth: string };
    const hit = await h.request<{ europolPersonHit: { hit: boolean; reference: string } }>(
      'query ($n: String!, $d: LocalDate!) { europolPersonHit(name: $n, dateOfBirth: $d) { hit reference } }', { n: m.name, d: m.date_of_birth }, as(agency));
    expect(hit.data?.europolPersonHit.hit).toBe(true);
    return hit.data?.europolPersonHit.reference ?? '';
  };
  const followUp = (reference: string, agency: string) =>
    h.request<{ europolHitFollowUp: { id: string } | null }>('query ($r: String!) { europolHitFollowUp(reference: $r) { id } }', { r: reference }, as(agency));

  it('answers a person hit with a reference issued to the asking agency, and its follow-up', async () => {
    const reference = await personHit('NL-CUSTOMS');
    expect(reference).toMatch(/^HIT-EPL-[A-Z2-7]{32}$/);
    expect((await followUp(reference, 'NL-CUSTOMS')).data?.europolHitFollowUp).toEqual({ id: 'EPL-P-00001' });
    expect(await personHit('NL-CUSTOMS')).toBe(reference);
    expect(await personHit('NL-POLICE')).not.toBe(reference);
    const bad = await h.request('{ europolPersonHit(name: "x", dateOfBirth: "31-12-1990") { hit } }', {}, as('NL-CUSTOMS'));
    expect(bad.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('answers a guessed, expired, other agency\'s or malformed reference exactly like an unknown one', async () => {
    const customs = await personHit('NL-CUSTOMS');
    const police = await personHit('NL-POLICE');
    const unknown = await followUp(`HIT-EPL-${'Q'.repeat(32)}`, 'NL-CUSTOMS');
    expect(unknown).toEqual({ data: { europolHitFollowUp: null } });
    const replies: Record<string, unknown> = {
      guessed: await followUp(`HIT-EPL-${'B'.repeat(32)}`, 'NL-CUSTOMS'),
      "another agency's": await followUp(police, 'NL-CUSTOMS'),
      malformed: await followUp('HIT-EPL-%%%', 'NL-CUSTOMS'),
      'a member id': await followUp('EPL-P-00001', 'NL-CUSTOMS'),
    };
    clock = T0 + DAY;
    replies['expired'] = await followUp(customs, 'NL-CUSTOMS');
    for (const [what, reply] of Object.entries(replies)) expect({ what, reply }).toEqual({ what, reply: unknown });
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
