/**
 * Introspection and "did you mean" suggestions let no principal enumerate what it may not see:
 * off by default (refused), and when on (`PACTUM_INTROSPECTION=1`) each principal's `__schema` /
 * `__type` shows only what its agreements let it query, for the purpose it declared. Two gateways
 * over one fleet of real subgraphs: one with defaults, one with introspection on.
 */
import { getIntrospectionQuery } from 'graphql';
import { loadGatewayConfig, startGateway, type RunningGateway } from '@pactum/gateway/src/testing';
import { ask, type GraphQLReply } from '../../src/client';
import { NTK_PRINCIPALS, ntkToken, type NtkAgency } from '../../src/ntk-principals';
import { startFleet, type Fleet, type Stack } from '../../src/stack';

let fleet: Fleet;
let closed: RunningGateway;
let open: RunningGateway;

beforeAll(async () => {
  fleet = await startFleet();
  [closed, open] = await Promise.all([
    startGateway(loadGatewayConfig({ ...fleet.gatewayEnv })),
    // The standard introspection query (GraphiQL's) nests 15 levels deep, past the default data limit
    // of 12: introspection has its own ceiling, so the defaults serve it.
    startGateway(loadGatewayConfig({ ...fleet.gatewayEnv, PACTUM_INTROSPECTION: '1' })),
  ]);
}, 120_000);

afterAll(async () => {
  await Promise.all([closed?.stop(), open?.stop()]);
  await fleet?.stop();
});

async function askAs(gateway: RunningGateway, agency: NtkAgency, query: string, variables?: Record<string, unknown>): Promise<GraphQLReply> {
  const principal = NTK_PRINCIPALS[agency];
  // ntkToken only needs the keys of the stack; the fleet has the same.
  const token = await ntkToken({ keys: fleet.keys } as Pick<Stack, 'keys'> as Stack, principal);
  return ask(gateway.url, { token, purpose: principal.purpose, query, ...(variables ? { variables } : {}) });
}

interface IntrospectedType {
  name: string;
  kind: string;
  fields: { name: string }[] | null;
  possibleTypes?: { name: string }[] | null;
}

async function schemaSeenBy(agency: NtkAgency): Promise<Map<string, IntrospectedType>> {
  const reply = await askAs(open, agency, getIntrospectionQuery());
  expect(reply.status).toBe(200);
  expect(reply.body.errors).toBeUndefined();
  const schema = (reply.body.data as { __schema: { types: IntrospectedType[] } }).__schema;
  return new Map(schema.types.map((t) => [t.name, t]));
}
const fieldsOf = (types: Map<string, IntrospectedType>, name: string): string[] | undefined => types.get(name)?.fields?.map((f) => f.name);

describe('introspection is off by default', () => {
  test.each([
    ['__schema', '{ __schema { queryType { name } } }'],
    ['__type', '{ __type(name: "Suspect") { name fields { name } } }'],
  ])('%s is refused, naming no type', async (_what, query) => {
    const reply = await askAs(closed, 'NL-POLICE', query);
    expect(reply.status).toBe(400);
    expect(reply.body.data).toBeUndefined();
    expect(reply.body.errors?.map((e) => e.extensions?.code)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    expect(reply.body.errors?.[0]?.message).toMatch(/introspection is not allowed/i);
    expect(JSON.stringify(reply.body)).not.toContain('codeName');
  });
});

describe('with PACTUM_INTROSPECTION=1, each principal sees the schema it may query', () => {
  test('NL-CUSTOMS sees containers and hits, but no investigation or suspect type, and no Container.investigations', async () => {
    const types = await schemaSeenBy('NL-CUSTOMS');
    expect(fieldsOf(types, 'Container')).toEqual(expect.arrayContaining(['number', 'declarations', 'seizures', 'policeHit']));
    expect(fieldsOf(types, 'Container')).not.toContain('investigations');
    expect(fieldsOf(types, 'Container')).not.toContain('sienaMessages');
    expect(types.has('Investigation')).toBe(false);
    expect(types.has('Suspect')).toBe(false);
    expect(types.has('SuspectRole')).toBe(false);
    expect(fieldsOf(types, 'Query')).not.toContain('investigation');
    expect(fieldsOf(types, 'Hit')).toEqual(['hit', 'reference']);
  });

  test('NL-POLICE (its own data) sees Investigation.suspects and the Suspect fields', async () => {
    const types = await schemaSeenBy('NL-POLICE');
    expect(fieldsOf(types, 'Investigation')).toEqual(expect.arrayContaining(['codeName', 'suspects']));
    expect(fieldsOf(types, 'Suspect')).toEqual(expect.arrayContaining(['name', 'dateOfBirth', 'documentNumbers']));
    // Not its agreements: Europol intelligence is hit-only for the police.
    expect(fieldsOf(types, 'Container')).not.toContain('sienaMessages');
  });

  test('EUROPOL sees investigations but no suspects (its agreement never names them)', async () => {
    const types = await schemaSeenBy('EUROPOL');
    expect(fieldsOf(types, 'Investigation')).toEqual(expect.arrayContaining(['codeName', 'europolSupport']));
    expect(fieldsOf(types, 'Investigation')).not.toContain('suspects');
    expect(types.has('Suspect')).toBe(false);
  });

  test('NL-FIOD sees only the seized-asset lookup it is granted', async () => {
    const types = await schemaSeenBy('NL-FIOD');
    expect(fieldsOf(types, 'Query')).toEqual(['seizedAssetByIban']);
    expect(types.has('Container')).toBe(false);
  });

  test('__type under an alias, through a fragment: a type the principal may not query is null', async () => {
    const query = 'query($n: String!) { t: __type(name: $n) { ...T } c: __type(name: "Container") { ...T } } fragment T on __Type { name fields { name } }';
    const customs = await askAs(open, 'NL-CUSTOMS', query, { n: 'Suspect' });
    expect(customs.body.errors).toBeUndefined();
    expect((customs.body.data as { t: unknown }).t).toBeNull();
    expect((customs.body.data as { c: { fields: { name: string }[] } }).c.fields.map((f) => f.name)).not.toContain('investigations');
    const police = await askAs(open, 'NL-POLICE', query, { n: 'Suspect' });
    expect((police.body.data as { t: { name: string } }).t.name).toBe('Suspect');
  });

  test('introspection mixed with data is filtered too, and the data still answers', async () => {
    const reply = await askAs(open, 'NL-CUSTOMS', '{ container(number: "MSCU1234566") { number } __type(name: "Container") { fields { name } } }');
    expect(reply.body.errors).toBeUndefined();
    const data = reply.body.data as { container: { number: string }; __type: { fields: { name: string }[] } };
    expect(data.container.number).toBe('MSCU1234566');
    expect(data.__type.fields.map((f) => f.name)).not.toContain('investigations');
  });

  test.each([
    ['under @include', '__type(name: "Investigation") @include(if: true) { name }'],
    ['inside a root fragment', '... on Query { __type(name: "Investigation") { name } }'],
    ['beside a split one', 'shown: __type(name: "Container") { name } hidden: __type(name: "Investigation") @skip(if: false) { name }'],
  ])('root introspection %s, mixed with data, is filtered too', async (_where, selection) => {
    const reply = await askAs(open, 'NL-CUSTOMS', `{ container(number: "MSCU1234566") { number } ${selection} }`);
    expect(reply.body.errors).toBeUndefined();
    const data = reply.body.data as Record<string, unknown>;
    expect(data.container).toEqual({ number: 'MSCU1234566' });
    // Customs may query no investigation: the type is not in its schema, whatever the selection's shape.
    expect('__type' in data ? data.__type : data.hidden).toBeNull();
    if ('shown' in data) expect(data.shown).toEqual({ name: 'Container' });
  });
});

describe('error messages make no suggestions', () => {
  test.each([
    ['an unknown field', '{ container(number: "MSCU1234566") { numbe } }', 'Cannot query field "numbe" on type "Container".'],
    ['an unknown field next to a hidden one', '{ container(number: "MSCU1234566") { investigation } }', 'Cannot query field "investigation" on type "Container".'],
    ['an unknown root field', '{ investigatio(localId: "NL-ONB-2024-0456") { codeName } }', 'Cannot query field "investigatio" on type "Query".'],
    ['an unknown type', '{ container(number: "MSCU1234566") { ... on Suspec { name } } }', 'Unknown type "Suspec".'],
    ['an unknown argument', '{ container(numbr: "MSCU1234566") { number } }', 'Unknown argument "numbr" on field "Query.container".'],
  ])('%s: no "Did you mean"', async (_what, query, message) => {
    for (const gateway of [closed, open]) {
      const reply = await askAs(gateway, 'NL-CUSTOMS', query);
      expect(reply.status).toBe(400);
      expect(reply.body.errors?.[0]?.message).toBe(message);
      expect(JSON.stringify(reply.body)).not.toMatch(/did you mean/i);
    }
  });
});
