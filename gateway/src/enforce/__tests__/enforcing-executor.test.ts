/**
 * Enforcement end to end through a real @apollo/gateway (its query planner and plan cache) over
 * two fixture subgraphs on loopback ports, with hand-built access profiles.
 */
import { fakePolicy, fakeProfile, releasableTo } from './fixtures/fake-policy';
import { startEnforcedGateway, type EnforcedGateway } from './fixtures/start-enforced-gateway';

const EVERYTHING = ['Query.*', 'Mutation.*', 'Container.*', 'Seizure.*', 'PortCall.*', 'RecordLabel.*', 'Hit.*', 'Investigation.*', 'Person.*'];

const policy = fakePolicy({
  // Full reader of the fixture world.
  'NL-POLICE': fakeProfile({ key: 'full', allow: EVERYTHING }),
  // Reads customs data, sees only whether police hold something on a container.
  'NL-CUSTOMS': fakeProfile({
    key: 'customs',
    allow: ['Query.*', 'Mutation.*', 'Container.*', 'Seizure.*', 'PortCall.*', 'RecordLabel.*', 'Hit.*'],
    deny: { 'Container.investigations': 'HIT_ONLY', 'Investigation.*': 'NO_AGREEMENT', 'Person.*': 'NO_AGREEMENT' },
  }),
  // Partner police: rows released by label.
  'BE-POLICE': fakeProfile({
    key: 'be',
    allow: ['Query.*', 'Container.number', 'Seizure.id', 'RecordLabel.*'],
    row: ['Container.sizeType', 'Container.seizures', 'Seizure.substance', 'Seizure.quantityKg'],
    deny: { 'Container.ownerCode': 'NO_AGREEMENT', 'Container.investigations': 'NO_AGREEMENT', 'Investigation.*': 'NO_AGREEMENT', 'Mutation.flagContainer': 'NO_AGREEMENT' },
    rows: { Container: releasableTo('BE-POLICE'), Seizure: releasableTo('BE-POLICE') },
  }),
  // Like BE-POLICE, but a seizure's quantity is denied on its rows.
  'FR-POLICE': fakeProfile({
    key: 'fr',
    allow: ['Query.*', 'Container.number', 'Seizure.id', 'Container.seizures'],
    row: ['Seizure.quantityKg'],
    rows: { Seizure: releasableTo('BE-POLICE', ['quantityKg']) },
  }),
  // Row rules that fail while judging a row.
  'XX-BROKEN': fakeProfile({
    key: 'broken',
    allow: ['Query.*', 'Container.number'],
    row: ['Container.sizeType'],
    rows: {
      Container: () => {
        throw new Error('row rules exploded');
      },
    },
  }),
  // May not read a container's (non-null) size type.
  'ES-POLICE': fakeProfile({ key: 'es', allow: ['Query.*', 'Container.number'], deny: { 'Container.sizeType': 'NO_AGREEMENT' } }),
});

let gw: EnforcedGateway;
beforeAll(async () => {
  gw = await startEnforcedGateway(() => policy);
});
afterAll(async () => {
  await gw.stop();
});

const DOSSIER = `query Dossier($n: String!) {
  container(number: $n) { number ownerCode policeHit { hit reference } investigations { localId codeName suspects { name } } }
}`;
const FULL_DATA = {
  container: {
    number: 'MSCU1234566',
    ownerCode: 'MSC',
    policeHit: { hit: true, reference: 'HIT-7f3a' },
    investigations: [{ localId: 'NL-ONB-2024-0456', codeName: 'BANANA SPLIT', suspects: [{ name: 'J. Jansen' }] }],
  },
};
const CUSTOMS_DATA = {
  container: { number: 'MSCU1234566', ownerCode: 'MSC', policeHit: { hit: true, reference: 'HIT-7f3a' }, investigations: null },
};
const HIT_ONLY_ERROR = {
  message: 'Not released: Container.investigations (HIT_ONLY)',
  path: ['container', 'investigations'],
  extensions: { code: 'FORBIDDEN', reason: 'HIT_ONLY' },
};

describe('cache isolation: the same client text never gets another principal plan or rewrite', () => {
  // Two spellings of one operation, so each order starts with a cold plan cache for its text.
  const textA = DOSSIER;
  const textB = DOSSIER.replace('container(number: $n)', 'container(number:$n)');
  const vars = { variables: { n: 'MSCU1234566' } };

  it('restricted principal first, then the full one', async () => {
    const restricted = await gw.run('NL-CUSTOMS', textA, vars);
    const full = await gw.run('NL-POLICE', textA, vars);
    expect(restricted.body).toEqual({ data: CUSTOMS_DATA, errors: [HIT_ONLY_ERROR] });
    expect(full.body).toEqual({ data: FULL_DATA });
    expect(restricted.report?.executedOperationHash).not.toEqual(full.report?.executedOperationHash);
  });

  it('full principal first, then the restricted one', async () => {
    const full = await gw.run('NL-POLICE', textB, vars);
    gw.police.received.length = 0;
    const restricted = await gw.run('NL-CUSTOMS', textB, vars);
    // Even though post-processing would mask it, the full principal's plan must not have run.
    expect(gw.police.received.join('\n')).not.toMatch(/investigations/);
    const fullAgain = await gw.run('NL-POLICE', textB, vars);
    expect(full.body).toEqual({ data: FULL_DATA });
    expect(restricted.body).toEqual({ data: CUSTOMS_DATA, errors: [HIT_ONLY_ERROR] });
    expect(fullAgain.body).toEqual({ data: FULL_DATA });
  });

  it('asks no subgraph for a denied field (data minimisation)', async () => {
    gw.police.received.length = 0;
    await gw.run('NL-CUSTOMS', textA, vars);
    expect(gw.police.received.length).toBeGreaterThan(0); // policeHit is released
    expect(gw.police.received.join('\n')).not.toMatch(/investigations|codeName|suspects/);
    gw.police.received.length = 0;
    await gw.run('NL-POLICE', textA, vars);
    expect(gw.police.received.join('\n')).toMatch(/investigations/);
  });

  it('reports the denial, the grants and the released entities by key', async () => {
    const { report } = await gw.run('NL-CUSTOMS', textA, vars);
    expect(report?.fieldDenials).toEqual([{ path: 'container.investigations', coordinate: 'Container.investigations', reason: 'HIT_ONLY' }]);
    expect(report?.fieldsRequested).toEqual(
      expect.arrayContaining(['Query.container', 'Container.number', 'Container.investigations', 'Investigation.codeName', 'Person.name']),
    );
    expect(report?.released).toEqual([{ type: 'Container', key: 'MSCU1234566', owner: 'NL-CUSTOMS' }]);
    expect(report?.grants).toEqual(expect.arrayContaining([{ agreement: 'test-agreement', grant: 'g-Container.ownerCode' }]));
    expect(report?.policyVersion).toBe('test-v1');
  });
});

describe('rows', () => {
  it('drops failing rows from lists silently and keeps subgraph error paths right', async () => {
    const { body, report, text } = await gw.run('BE-POLICE', '{ containers { number sizeType seizures { id substance quantityKg } } }');
    expect(text).not.toMatch(/__pactum/);
    expect(body.data).toEqual({
      containers: [
        {
          number: 'MSCU1234566',
          sizeType: '45R1',
          seizures: [
            { id: 'S1', substance: 'cocaine', quantityKg: 120.5 },
            { id: 'S3', substance: null, quantityKg: 3 },
          ],
        },
      ],
    });
    // S2 (H2) was withheld, so the register error on S3 moves from index 2 to 1.
    expect(body.errors).toHaveLength(1);
    expect(body.errors?.[0]).toMatchObject({ message: 'substance register unavailable', path: ['containers', 0, 'seizures', 1, 'substance'] });
    expect(report?.rowDenials).toEqual([
      { type: 'Seizure', key: 'S2', owner: 'NL-CUSTOMS', path: 'containers.0.seizures.1', reason: 'HANDLING_RESTRICTED' },
      { type: 'Container', key: 'MAEU8123457', owner: 'NL-CUSTOMS', path: 'containers.1', reason: 'HANDLING_RESTRICTED' },
      { type: 'Container', key: 'HLXU7032104', owner: 'NL-CUSTOMS', path: 'containers.1', reason: 'HANDLING_RESTRICTED' },
    ]);
    expect(report?.released).toEqual(
      expect.arrayContaining([
        { type: 'Container', key: 'MSCU1234566', owner: 'NL-CUSTOMS' },
        { type: 'Seizure', key: 'S1', owner: 'NL-CUSTOMS' },
        { type: 'Seizure', key: 'S3', owner: 'NL-CUSTOMS' },
      ]),
    );
    expect(report?.released).toHaveLength(3);
    expect(JSON.stringify(report)).not.toMatch(/cocaine|45R1|22G1/);
  });

  it('turns a failing single row into null + FORBIDDEN', async () => {
    const { body } = await gw.run('BE-POLICE', '{ container(number: "MAEU8123457") { number sizeType } }');
    expect(body).toEqual({
      data: { container: null },
      errors: [{ message: 'Not released: row withheld (HANDLING_RESTRICTED)', path: ['container'], extensions: { code: 'FORBIDDEN', reason: 'HANDLING_RESTRICTED' } }],
    });
  });

  it('says nothing about a row whose existence is secret', async () => {
    const { body, report } = await gw.run('BE-POLICE', '{ container(number: "HLXU7032104") { number sizeType } }');
    expect(body).toEqual({ data: { container: null } });
    expect(report?.rowDenials).toEqual([{ type: 'Container', key: 'HLXU7032104', owner: 'NL-CUSTOMS', path: 'container', reason: 'HANDLING_RESTRICTED' }]);
  });

  it('never shows the injected selections, through interfaces and unions too', async () => {
    const { body, text } = await gw.run('BE-POLICE', '{ search(term: "x") { __typename ... on Container { number sizeType } ... on Seizure { id quantityKg } } }');
    expect(text).not.toMatch(/__pactum/);
    expect(body).toEqual({
      data: {
        search: [
          { __typename: 'Container', number: 'MSCU1234566', sizeType: '45R1' },
          { __typename: 'Seizure', id: 'S1', quantityKg: 120.5 },
        ],
      },
    });
  });

  it('nulls a field the row verdict denies and propagates through non-null wrappers', async () => {
    const { body } = await gw.run('FR-POLICE', '{ container(number: "MSCU1234566") { number seizures { id quantityKg } } }');
    expect(body.data).toEqual({ container: null });
    expect(body.errors?.[0]).toEqual({
      message: 'Not released: Seizure.quantityKg (HANDLING_RESTRICTED)',
      path: ['container', 'seizures', 0, 'quantityKg'],
      extensions: { code: 'FORBIDDEN', reason: 'HANDLING_RESTRICTED' },
    });
  });
});

describe('shape of the original query', () => {
  it('propagates the null of a denied non-null field to the nearest nullable parent', async () => {
    const a = await gw.run('ES-POLICE', '{ container(number: "MSCU1234566") { number sizeType } }');
    expect(a.body).toEqual({
      data: { container: null },
      errors: [{ message: 'Not released: Container.sizeType (NO_AGREEMENT)', path: ['container', 'sizeType'], extensions: { code: 'FORBIDDEN', reason: 'NO_AGREEMENT' } }],
    });
    const b = await gw.run('ES-POLICE', '{ strictContainer(number: "MSCU1234566") { number sizeType } }');
    expect(b.body.data).toBeNull();
    expect(b.body.errors?.[0]?.path).toEqual(['strictContainer', 'sizeType']);
  });

  it('keeps aliases and honours @skip/@include on denied fields', async () => {
    const q = 'query($s: Boolean!) { c: container(number: "MSCU1234566") { num: number own: ownerCode @skip(if: $s) } }';
    const skipped = await gw.run('BE-POLICE', q, { variables: { s: true } });
    expect(skipped.body).toEqual({ data: { c: { num: 'MSCU1234566' } } });
    const asked = await gw.run('BE-POLICE', q, { variables: { s: false } });
    expect(asked.body).toEqual({
      data: { c: { num: 'MSCU1234566', own: null } },
      errors: [{ message: 'Not released: Container.ownerCode (NO_AGREEMENT)', path: ['c', 'own'], extensions: { code: 'FORBIDDEN', reason: 'NO_AGREEMENT' } }],
    });
  });

  it('applies variable defaults to @skip/@include on denied fields (the key stays, null + error)', async () => {
    const q = 'query($i: Boolean = true) { c: container(number: "MSCU1234566") { num: number own: ownerCode @include(if: $i) } }';
    const defaulted = await gw.run('BE-POLICE', q);
    expect(defaulted.body).toEqual({
      data: { c: { num: 'MSCU1234566', own: null } },
      errors: [{ message: 'Not released: Container.ownerCode (NO_AGREEMENT)', path: ['c', 'own'], extensions: { code: 'FORBIDDEN', reason: 'NO_AGREEMENT' } }],
    });
    const excluded = await gw.run('BE-POLICE', q, { variables: { i: false } });
    expect(excluded.body).toEqual({ data: { c: { num: 'MSCU1234566' } } });
  });

  it('executes a rewrite whose variables are no longer all used', async () => {
    const q = 'query($a: String!, $l: String!) { containers { number } investigation(agency: $a, localId: $l) { codeName } }';
    const { body } = await gw.run('BE-POLICE', q, { variables: { a: 'NL-POLICE', l: 'NL-ONB-2024-0456' } });
    // `number` is released whatever the row, so no label is checked and every container shows.
    expect(body.data).toEqual({ containers: [{ number: 'MSCU1234566' }, { number: 'MAEU8123457' }, { number: 'HLXU7032104' }], investigation: null });
    expect(body.errors?.map((e) => e.extensions?.reason)).toEqual(['NO_AGREEMENT']);
  });

  it('does not call the gateway at all when nothing is left to execute', async () => {
    const before = gw.innerCalls.count;
    const { body, report } = await gw.run('BE-POLICE', '{ investigation(agency: "NL-POLICE", localId: "NL-ONB-2024-0456") { codeName offence } }');
    expect(gw.innerCalls.count).toBe(before);
    expect(body).toEqual({
      data: { investigation: null },
      errors: [{ message: 'Not released: Query.investigation (NO_AGREEMENT)', path: ['investigation'], extensions: { code: 'FORBIDDEN', reason: 'NO_AGREEMENT' } }],
    });
    expect(report?.executedOperationHash).toBeUndefined();
    expect(report?.fieldDenials.map((d) => d.coordinate).sort()).toEqual(['Investigation.codeName', 'Investigation.offence', 'Query.investigation']);
  });

  it('refuses a client alias in the reserved namespace', async () => {
    const { body } = await gw.run('NL-POLICE', '{ container(number: "MSCU1234566") { __pactum_label: number } }');
    expect(body.data).toBeUndefined();
    expect(body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'reserved_alias' });
  });
});

describe('mutations', () => {
  it('refuses a mutation with a denied root field before any subgraph call', async () => {
    gw.customs.received.length = 0;
    const before = gw.innerCalls.count;
    const { body, http, report } = await gw.run('BE-POLICE', 'mutation { flagContainer(number: "MSCU1234566") { number } }');
    expect(body.data).toBeUndefined();
    expect(body.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'NO_AGREEMENT' });
    expect(http).toBe(403);
    expect(gw.innerCalls.count).toBe(before);
    expect(gw.customs.received).toEqual([]);
    expect(report?.fieldDenials).toEqual([{ path: 'flagContainer', coordinate: 'Mutation.flagContainer', reason: 'NO_AGREEMENT' }]);
  });

  it('refuses a mutation whose selection has any denied part', async () => {
    gw.customs.received.length = 0;
    const { body } = await gw.run('NL-CUSTOMS', 'mutation { flagContainer(number: "MSCU1234566") { number investigations { codeName } } }');
    expect(body.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'HIT_ONLY' });
    expect(gw.customs.received).toEqual([]);
  });

  it('runs a mutation that is allowed in full', async () => {
    const { body } = await gw.run('NL-POLICE', 'mutation { flagContainer(number: "MSCU1234566") { number investigations { localId } } }');
    expect(body).toEqual({ data: { flagContainer: { number: 'MSCU1234566', investigations: [{ localId: 'NL-ONB-2024-0456' }] } } });
  });
});

describe('failing closed', () => {
  it('releases no data when judging a row throws', async () => {
    const { body } = await gw.run('XX-BROKEN', '{ container(number: "MSCU1234566") { number sizeType } }');
    expect(body.data).toBeUndefined();
    expect(body.errors).toHaveLength(1);
  });

  it('releases no data when no profile can be built for the principal', async () => {
    const before = gw.innerCalls.count;
    const { body } = await gw.run('NOBODY', '{ container(number: "MSCU1234566") { number } }');
    expect(body.data).toBeUndefined();
    expect(gw.innerCalls.count).toBe(before);
  });

  it('leaves __typename and introspection to the server stage', async () => {
    const { body } = await gw.run('ES-POLICE', '{ __typename __schema { queryType { name } } c: container(number: "MSCU1234566") { __typename number } }');
    expect(body).toEqual({ data: { __typename: 'Query', __schema: { queryType: { name: 'Query' } }, c: { __typename: 'Container', number: 'MSCU1234566' } } });
  });
});
