import { containerCheckDigit } from '../../identifiers';
import { scalarResolvers } from '../../scalars';
import { subgraphTypeDefs } from '../../sdl';
import { ALLOW_UNAUTHENTICATED, createSubgraphServer, type RunningSubgraph, type SubgraphContext } from '../../server';
import { postGraphQL } from '../../server/__tests__/post-graphql';
import { openStore, type Store } from '../../store';
import { loaderFor, rowsByKey, rowsGroupedByKey } from '..';

interface ContainerRow { number: string; kind: string }
interface SeizureRow { id: number; container: string; kg: number }

const numbers = Array.from({ length: 60 }, (_, i) => {
  const first10 = `TGHU${String(100000 + i * 37).padStart(6, '0')}`;
  return `${first10}${containerCheckDigit(first10)}`;
});

let store: Store;
let server: RunningSubgraph;

beforeAll(async () => {
  store = openStore({
    file: ':memory:',
    migrations: ['CREATE TABLE containers (number TEXT PRIMARY KEY, kind TEXT NOT NULL); CREATE TABLE seizures (id INTEGER PRIMARY KEY, container TEXT NOT NULL, kg REAL NOT NULL)'],
    seed: (db) => {
      numbers.forEach((n, i) => {
        db.prepare('INSERT INTO containers VALUES (?, ?)').run(n, i % 2 ? 'reefer' : 'dry');
        for (let j = 0; j < i % 4; j++) db.prepare('INSERT INTO seizures (container, kg) VALUES (?, ?)').run(n, j + 1);
      });
    },
  });
  const byNumber = (ctx: SubgraphContext) =>
    loaderFor(ctx.loaders, 'Container.byNumber', rowsByKey<string, ContainerRow>(store.db, 'SELECT * FROM containers WHERE number IN (SELECT value FROM json_each(?))', (r) => r.number));
  const seizures = (ctx: SubgraphContext) =>
    loaderFor(ctx.loaders, 'Container.seizures', rowsGroupedByKey<string, SeizureRow>(store.db, 'SELECT * FROM seizures WHERE container IN (SELECT value FROM json_each(?)) ORDER BY id', (r) => r.container));
  server = await createSubgraphServer({
    authenticate: ALLOW_UNAUTHENTICATED,
    name: 'customs',
    port: 0,
    typeDefs: subgraphTypeDefs(`
      type Query { containers(numbers: [ContainerNumber!]!): [Container]! }
      type Container @key(fields: "number") { number: ContainerNumber! kind: String! seizures: [Seizure!]! }
      type Seizure { kg: Float! }
    `),
    resolvers: {
      ...scalarResolvers,
      Query: { containers: (_: unknown, a: { numbers: string[] }, ctx: SubgraphContext) => byNumber(ctx).loadMany(a.numbers) },
      Container: {
        __resolveReference: (ref: { number: string }, ctx: SubgraphContext) => byNumber(ctx).load(ref.number),
        seizures: (c: ContainerRow, _: unknown, ctx: SubgraphContext) => seizures(ctx).load(c.number),
      },
    },
  });
});
afterAll(async () => {
  await server.stop();
  store.close();
});

async function statementsFor(query: string, variables: Record<string, unknown>): Promise<number> {
  store.resetStatementCount();
  const r = await postGraphQL(server.url, query, variables);
  expect(r.body.errors).toBeUndefined();
  return store.statementCount();
}

const ENTITIES = 'query($r: [_Any!]!) { _entities(representations: $r) { ... on Container { number kind seizures { kg } } } }';

describe('batching through a real subgraph', () => {
  it('resolves N entity references with a constant number of statements', async () => {
    const reps = (n: number) => numbers.slice(0, n).map((number) => ({ __typename: 'Container', number }));
    const five = await statementsFor(ENTITIES, { r: reps(5) });
    const sixty = await statementsFor(ENTITIES, { r: reps(60) });
    expect(five).toBe(2); // one for the containers, one for all their seizures
    expect(sixty).toBe(five);
  });

  it('returns the right rows for each entity', async () => {
    const r = await postGraphQL(server.url, ENTITIES, { r: [numbers[3], numbers[0], numbers[2]].map((number) => ({ __typename: 'Container', number })) });
    expect(r.body.data).toEqual({
      _entities: [
        { number: numbers[3], kind: 'reefer', seizures: [{ kg: 1 }, { kg: 2 }, { kg: 3 }] },
        { number: numbers[0], kind: 'dry', seizures: [] },
        { number: numbers[2], kind: 'dry', seizures: [{ kg: 1 }, { kg: 2 }] },
      ],
    });
  });

  it('keeps list relations constant too', async () => {
    const q = 'query($n: [ContainerNumber!]!) { containers(numbers: $n) { number seizures { kg } } }';
    expect(await statementsFor(q, { n: numbers.slice(0, 3) })).toBe(await statementsFor(q, { n: numbers.slice(0, 50) }));
  });
});
