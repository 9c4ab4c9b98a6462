import { callerFromTestHeader, entitiesStatementCount, startHarness, TEST_AGENCY_HEADER, type Harness } from '@pactum/demo-world/testing';
import { createPoliceResolvers, policeMigrations, seedPolice, typeDefs } from '../index';

interface HitBody { policePersonHit: { hit: boolean; reference: string | null } }

const T0 = Date.parse('2026-06-01T12:00:00.000Z');
const DAY = 24 * 60 * 60 * 1000;
let clock = T0;
const as = (agency: string) => ({ [TEST_AGENCY_HEADER]: agency });

describe('police subgraph over HTTP', () => {
  let h: Harness;
  beforeAll(async () => {
    const resolvers = createPoliceResolvers({ now: () => new Date(clock) });
    h = await startHarness({ name: 'police', typeDefs, resolvers, migrations: policeMigrations, seed: seedPolice, authenticate: callerFromTestHeader });
  });
  afterAll(() => h.stop());
  beforeEach(() => {
    clock = T0;
  });

  it('answers an investigation with suspects, containers and seized assets', async () => {
    const body = await h.request<{ investigation: { agency: string; codeName: string; suspects: { id: string }[]; containers: { number: string }[]; label: { caseRefs: string[] } } }>(
      '{ investigation(localId: "NL-ONB-2024-0456") { agency codeName label { caseRefs } suspects { id } containers { number } seizedAssets { kind } } }',
    );
    expect(body.errors).toBeUndefined();
    const inv = body.data?.investigation;
    expect(inv?.agency).toBe('NL-POLICE');
    expect(inv?.label.caseRefs).toEqual(['NL-ONB-2024-0456', 'EJ-2024-0173', 'JIT-2024-07']);
    expect(inv?.suspects.length).toBe(5);
    expect(inv?.containers.map((c) => c.number)).toEqual(expect.arrayContaining(['MSCU1234566', 'MAEU8123457', 'HLXU7032104']));
  });

  const SUSPECT = "SELECT id, name, date_of_birth FROM suspects WHERE id = 'NLP-S-00001'";
  const personHit = async (agency: string) => {
    const suspect = h.store.db.prepare(SUSPECT).get() as { id: string; name: string; date_of_birth: string };
    const hit = await h.request<HitBody>('query ($n: String!, $d: LocalDate!) { policePersonHit(name: $n, dateOfBirth: $d) { hit reference } }',
      { n: `  ${suspect.name.toUpperCase()} `, d: suspect.date_of_birth }, as(agency));
    expect(hit.data?.policePersonHit.hit).toBe(true);
    return hit.data?.policePersonHit.reference ?? '';
  };
  const followUp = (reference: string, agency: string) =>
    h.request<{ policeHitFollowUp: { id: string } | null }>('query ($r: String!) { policeHitFollowUp(reference: $r) { id } }', { r: reference }, as(agency));
  const containerFollowUp = (reference: string, agency: string) =>
    h.request<{ policeContainerHitFollowUp: { localId: string }[] }>('query ($r: String!) { policeContainerHitFollowUp(reference: $r) { localId } }', { r: reference }, as(agency));

  it('answers a person hit with a random reference issued to the asking agency, and the follow-up returns the suspect', async () => {
    const reference = await personHit('NL-CUSTOMS');
    expect(reference).toMatch(/^HIT-NLP-[A-Z2-7]{32}$/);
    expect(reference).not.toContain('00001');
    expect((await followUp(reference, 'NL-CUSTOMS')).data?.policeHitFollowUp).toEqual({ id: 'NLP-S-00001' });
    // Asked again, the same agency gets the same reference; another agency gets its own.
    expect(await personHit('NL-CUSTOMS')).toBe(reference);
    const french = await personHit('FR-POLICE');
    expect(french).toMatch(/^HIT-NLP-[A-Z2-7]{32}$/);
    expect(french).not.toBe(reference);
    expect(h.store.db.prepare("SELECT issued_to, issued_at, expires_at FROM hit_refs WHERE kind = 'person' AND record_id = 'NLP-S-00001' ORDER BY issued_to").all()).toEqual([
      { issued_to: 'FR-POLICE', issued_at: '2026-06-01T12:00:00.000Z', expires_at: '2026-06-02T12:00:00.000Z' },
      { issued_to: 'NL-CUSTOMS', issued_at: '2026-06-01T12:00:00.000Z', expires_at: '2026-06-02T12:00:00.000Z' },
    ]);
    const miss = await h.request<HitBody>('{ policePersonHit(name: "Nobody Known", dateOfBirth: "1990-01-01") { hit reference } }', {}, as('NL-CUSTOMS'));
    expect(miss.data?.policePersonHit).toEqual({ hit: false, reference: null });
  });

  it('answers a guessed, expired, other agency\'s or malformed person reference exactly like an unknown one', async () => {
    const customs = await personHit('NL-CUSTOMS');
    const french = await personHit('FR-POLICE');
    const unknown = await followUp(`HIT-NLP-${'Q'.repeat(32)}`, 'NL-CUSTOMS');
    expect(unknown).toEqual({ data: { policeHitFollowUp: null } });
    const replies: Record<string, unknown> = {
      guessed: await followUp(`HIT-NLP-${'A'.repeat(16)}${'7'.repeat(16)}`, 'NL-CUSTOMS'),
      'old deterministic shape': await followUp('HIT-NLP-0123456789ABCDEF', 'NL-CUSTOMS'),
      "another agency's": await followUp(french, 'NL-CUSTOMS'),
      'a container reference': await followUp(await containerHitReference('MSCU1234566', 'NL-CUSTOMS'), 'NL-CUSTOMS'),
      malformed: await followUp("HIT-NLP-' OR 1=1 --", 'NL-CUSTOMS'),
      'a suspect id': await followUp('NLP-S-00001', 'NL-CUSTOMS'),
    };
    clock = T0 + DAY;
    replies['expired'] = await followUp(customs, 'NL-CUSTOMS');
    for (const [what, reply] of Object.entries(replies)) expect({ what, reply }).toEqual({ what, reply: unknown });
    clock = T0 + DAY - 1;
    expect((await followUp(customs, 'NL-CUSTOMS')).data?.policeHitFollowUp).toEqual({ id: 'NLP-S-00001' });
  });

  const containerHitReference = async (number: string, agency: string) => {
    const body = await h.request<{ _entities: { policeHit: { hit: boolean; reference: string | null } }[] }>(
      'query ($r: [_Any!]!) { _entities(representations: $r) { ... on Container { policeHit { hit reference } } } }',
      { r: [{ __typename: 'Container', number }] }, as(agency),
    );
    return body.data?._entities[0]?.policeHit.reference ?? '';
  };

  it('tells whether a container is of police interest, without the investigation; the reference follows up for its agency only', async () => {
    const body = await h.request<{ _entities: { policeHit: { hit: boolean; reference: string | null } }[] }>(
      'query ($r: [_Any!]!) { _entities(representations: $r) { ... on Container { policeHit { hit reference } } } }',
      { r: [{ __typename: 'Container', number: 'MSCU1234566' }, { __typename: 'Container', number: 'MSCU1234545' }] }, as('NL-CUSTOMS'),
    );
    expect(body.data?._entities[0]?.policeHit.hit).toBe(true);
    expect(body.data?._entities[1]?.policeHit).toEqual({ hit: false, reference: null });
    const reference = body.data?._entities[0]?.policeHit.reference ?? '';
    expect(reference).toMatch(/^HIT-NLP-[A-Z2-7]{32}$/);
    expect((await containerFollowUp(reference, 'NL-CUSTOMS')).data?.policeContainerHitFollowUp.map((i) => i.localId)).toContain('NL-ONB-2024-0456');
    const unknown = await containerFollowUp(`HIT-NLP-${'Q'.repeat(32)}`, 'NL-CUSTOMS');
    expect(unknown).toEqual({ data: { policeContainerHitFollowUp: [] } });
    expect(await containerFollowUp(reference, 'BE-POLICE')).toEqual(unknown);
    expect(await containerFollowUp('MSCU1234566', 'NL-CUSTOMS')).toEqual(unknown);
    clock = T0 + 2 * DAY;
    expect(await containerFollowUp(reference, 'NL-CUSTOMS')).toEqual(unknown);
  });

  it('refuses a malformed IBAN and date with BAD_USER_INPUT', async () => {
    const iban = await h.request('{ seizedAssetByIban(iban: "NL91ABNA0417164301") { id } }');
    expect(iban.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(iban.errors?.[0]?.message).toMatch(/^IBAN NL91ABNA0417164301: check digits should be \d\d$/);
    const date = await h.request('{ policePersonHit(name: "x", dateOfBirth: "1990-13-45") { hit } }', {}, as('NL-CUSTOMS'));
    expect(date.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('batches: 50 investigation references with relations cost the same statements as 1; so do 50 containers', async () => {
    const ids = (h.store.db.prepare('SELECT agency, local_id FROM investigations ORDER BY local_id LIMIT 50').all() as { agency: string; local_id: string }[])
      .map((r) => ({ __typename: 'Investigation', agency: r.agency, localId: r.local_id }));
    const invSelection = '... on Investigation { codeName label { owner } suspects { name investigations { localId } } containers { number } seizedAssets { iban } }';
    expect(await entitiesStatementCount(h, invSelection, ids)).toBe(await entitiesStatementCount(h, invSelection, ids.slice(0, 1)));
    const numbers = (h.store.db.prepare('SELECT DISTINCT container_number FROM investigation_containers ORDER BY 1 LIMIT 50').all() as { container_number: string }[])
      .map((r) => ({ __typename: 'Container', number: r.container_number }));
    const cSelection = '... on Container { policeHit { hit } investigations { codeName suspects { id } } }';
    expect(numbers).toHaveLength(50);
    expect(await entitiesStatementCount(h, cSelection, numbers)).toBe(await entitiesStatementCount(h, cSelection, numbers.slice(0, 1)));
    const suspects = (h.store.db.prepare('SELECT id FROM suspects LIMIT 50').all() as { id: string }[]).map((r) => ({ __typename: 'Suspect', id: r.id }));
    const sSelection = '... on Suspect { name investigations { codeName } }';
    expect(await entitiesStatementCount(h, sSelection, suspects)).toBe(await entitiesStatementCount(h, sSelection, suspects.slice(0, 1)));
  });
});
