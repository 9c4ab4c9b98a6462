import { ALLOW_UNAUTHENTICATED, createSubgraphServer, type RunningSubgraph } from '../../server';
import { subgraphTypeDefs } from '../../sdl';
import { postGraphQL } from '../../server/__tests__/post-graphql';
import { scalarResolvers } from '..';

/** A tiny subgraph that echoes each scalar, and returns one invalid stored value. */
const SDL = `
type Query {
  container(n: ContainerNumber!): ContainerNumber
  imo(n: IMO!): IMO
  iban(n: IBAN!): IBAN
  port(n: UNLocode!): UNLocode
  at(n: DateTime!): DateTime
  day(n: LocalDate!): LocalDate
  storedBad: ContainerNumber
  storedDate: DateTime
}
`;

let server: RunningSubgraph;
beforeAll(async () => {
  server = await createSubgraphServer({
    authenticate: ALLOW_UNAUTHENTICATED,
    name: 'scalars',
    port: 0,
    typeDefs: subgraphTypeDefs(SDL),
    resolvers: {
      ...scalarResolvers,
      Query: {
        container: (_: unknown, a: { n: string }) => a.n,
        imo: (_: unknown, a: { n: string }) => a.n,
        iban: (_: unknown, a: { n: string }) => a.n,
        port: (_: unknown, a: { n: string }) => a.n,
        at: (_: unknown, a: { n: string }) => a.n,
        day: (_: unknown, a: { n: string }) => a.n,
        storedBad: () => 'MSCU1234567',
        storedDate: () => new Date(Date.UTC(2024, 2, 1, 8, 30)),
      },
    },
    onInternalError: () => undefined,
  });
});
afterAll(() => server.stop());

const cases: Array<[field: string, type: string, valid: string, invalid: string, message: string]> = [
  ['container', 'ContainerNumber', 'MSCU1234566', 'MSCU1234567', 'container number MSCU1234567: check digit should be 6'],
  ['imo', 'IMO', '9074729', '9074728', 'IMO number 9074728: check digit should be 9'],
  ['iban', 'IBAN', 'NL91ABNA0417164300', 'NL91ABNA0417164301', 'IBAN NL91ABNA0417164301: check digits should be 64'],
  ['port', 'UNLocode', 'NLRTM', 'QQRTM', 'UN/LOCODE QQRTM: QQ is not an ISO 3166 country code'],
  ['at', 'DateTime', '2024-03-01T08:30:00Z', '2024-03-01 08:30', 'DateTime 2024-03-01 08:30: must be ISO-8601 with a time zone, e.g. 2024-03-01T08:30:00Z'],
  ['day', 'LocalDate', '2024-02-29', '2023-02-29', 'LocalDate 2023-02-29: not a calendar date'],
];

describe.each(cases)('%s (%s)', (field, type, valid, invalid, message) => {
  it('accepts a valid literal and variable', async () => {
    expect((await postGraphQL(server.url, `{ ${field}(n: ${JSON.stringify(valid)}) }`)).body).toEqual({ data: { [field]: valid } });
    expect((await postGraphQL(server.url, `query($n: ${type}!) { ${field}(n: $n) }`, { n: valid })).body).toEqual({ data: { [field]: valid } });
  });

  it('refuses an invalid literal with BAD_USER_INPUT and the exact message', async () => {
    const r = await postGraphQL(server.url, `{ ${field}(n: ${JSON.stringify(invalid)}) }`);
    expect(r.status).toBe(400);
    expect(r.body.errors).toHaveLength(1);
    expect(r.body.errors?.[0]).toMatchObject({ message, extensions: { code: 'BAD_USER_INPUT' } });
  });

  it('refuses an invalid variable with BAD_USER_INPUT naming the problem', async () => {
    const r = await postGraphQL(server.url, `query($n: ${type}!) { ${field}(n: $n) }`, { n: invalid });
    expect(r.status).toBe(400);
    expect(r.body.errors?.[0]?.extensions?.['code']).toBe('BAD_USER_INPUT');
    expect(r.body.errors?.[0]?.message).toBe(`Variable "$n" got invalid value ${JSON.stringify(invalid)}; ${message}`);
  });

  it('refuses a non-string literal and variable', async () => {
    const lit = await postGraphQL(server.url, `{ ${field}(n: 42) }`);
    expect(lit.body.errors?.[0]).toMatchObject({ message: `${type} must be a string, got 42`, extensions: { code: 'BAD_USER_INPUT' } });
    const variable = await postGraphQL(server.url, `query($n: ${type}!) { ${field}(n: $n) }`, { n: { toString: 'x' } });
    expect(variable.body.errors?.[0]?.message).toContain(`${type} must be a string, got an object`);
    expect(variable.body.errors?.[0]?.extensions?.['code']).toBe('BAD_USER_INPUT');
  });
});

describe('serialising results', () => {
  it('refuses an invalid stored identifier without echoing it', async () => {
    const r = await postGraphQL(server.url, '{ storedBad }');
    expect(r.body.data).toEqual({ storedBad: null });
    expect(r.body.errors?.[0]).toMatchObject({ path: ['storedBad'], extensions: { code: 'INTERNAL_SERVER_ERROR' } });
    expect(JSON.stringify(r.body)).not.toContain('MSCU1234567');
  });

  it('writes a Date as an ISO-8601 string', async () => {
    expect((await postGraphQL(server.url, '{ storedDate }')).body).toEqual({ data: { storedDate: '2024-03-01T08:30:00.000Z' } });
  });
});
