import { entitiesStatementCount, startHarness, type Harness } from '@pactum/demo-world/testing';
import { policeMigrations, resolvers, seedPolice, typeDefs } from '../index';

interface HitBody { policePersonHit: { hit: boolean; reference: string | null } }

describe('police subgraph over HTTP', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ name: 'police', typeDefs, resolvers, migrations: policeMigrations, seed: seedPolice });
  });
  afterAll(() => h.stop());

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

  it('answers a person hit with an opaque reference, and the follow-up returns the suspect', async () => {
    const suspect = h.store.db.prepare("SELECT id, name, date_of_birth FROM suspects WHERE id = 'NLP-S-00001'").get() as { id: string; name: string; date_of_birth: string };
    const hit = await h.request<HitBody>('query ($n: String!, $d: LocalDate!) { policePersonHit(name: $n, dateOfBirth: $d) { hit reference } }',
      { n: `  ${suspect.name.toUpperCase()} `, d: suspect.date_of_birth });
    expect(hit.data?.policePersonHit.hit).toBe(true);
    const reference = hit.data?.policePersonHit.reference ?? '';
    expect(reference).toMatch(/^HIT-NLP-[0-9A-F]{16}$/);
    expect(reference).not.toContain(suspect.id);
    const followUp = await h.request<{ policeHitFollowUp: { id: string } | null }>('query ($r: String!) { policeHitFollowUp(reference: $r) { id } }', { r: reference });
    expect(followUp.data?.policeHitFollowUp).toEqual({ id: suspect.id });
    const miss = await h.request<HitBody>('{ policePersonHit(name: "Nobody Known", dateOfBirth: "1990-01-01") { hit reference } }');
    expect(miss.data?.policePersonHit).toEqual({ hit: false, reference: null });
    const unknown = await h.request<{ policeHitFollowUp: null }>('{ policeHitFollowUp(reference: "HIT-NLP-0000000000000000") { id } }');
    expect(unknown.data?.policeHitFollowUp).toBeNull();
  });

  it('tells whether a container is of police interest, without the investigation', async () => {
    const body = await h.request<{ _entities: { policeHit: { hit: boolean; reference: string | null } }[] }>(
      'query ($r: [_Any!]!) { _entities(representations: $r) { ... on Container { policeHit { hit reference } } } }',
      { r: [{ __typename: 'Container', number: 'MSCU1234566' }, { __typename: 'Container', number: 'MSCU1234545' }] },
    );
    expect(body.data?._entities[0]?.policeHit.hit).toBe(true);
    expect(body.data?._entities[1]?.policeHit).toEqual({ hit: false, reference: null });
    const reference = body.data?._entities[0]?.policeHit.reference ?? '';
    const followUp = await h.request<{ policeContainerHitFollowUp: { localId: string }[] }>('query ($r: String!) { policeContainerHitFollowUp(reference: $r) { localId } }', { r: reference });
    expect(followUp.data?.policeContainerHitFollowUp.map((i) => i.localId)).toContain('NL-ONB-2024-0456');
  });

  it('refuses a malformed IBAN and date with BAD_USER_INPUT', async () => {
    const iban = await h.request('{ seizedAssetByIban(iban: "NL91ABNA0417164301") { id } }');
    expect(iban.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(iban.errors?.[0]?.message).toMatch(/^IBAN NL91ABNA0417164301: check digits should be \d\d$/);
    const date = await h.request('{ policePersonHit(name: "x", dateOfBirth: "1990-13-45") { hit } }');
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
