/**
 * Counting hit/no-hit probes: a root field (by response name) whose selection reaches a `Hit`
 * field, however it is spelt — aliases, inline and named fragments, root-level fragments — in the
 * operation that runs only, and without expanding fragments.
 */
import { buildSchema, getOperationAST, parse } from 'graphql';
import { countHitProbes } from '../hit-probes';

const schema = buildSchema(`
  type Hit { hit: Boolean! reference: String }
  interface Entity { id: ID! }
  type Container implements Entity { id: ID! number: String! policeHit: Hit europolHit: Hit seizures: [Seizure!] }
  type Seizure implements Entity { id: ID! container: Container }
  union Found = Container | Seizure
  type Query {
    container(number: String!): Container
    containers: [Container!]
    seizures(first: Int): [Seizure!]
    entity(id: ID!): Entity
    found(id: ID!): Found
    policePersonHit(name: String!): Hit
    europolPersonHit(name: String!): Hit
  }
  type Mutation { flag(number: String!): Container }
`);

const count = (text: string, operationName?: string): number => {
  const document = parse(text);
  const operation = getOperationAST(document, operationName);
  if (!operation) throw new Error('no operation');
  return countHitProbes(schema, document, operation);
};

test.each([
  ['no hit field', 0, '{ container(number: "A") { number seizures { id } } }'],
  ['one container asked of two agencies (ContainerHitCheck)', 1, '{ container(number: "A") { number policeHit { hit } europolHit { hit } } }'],
  ['one person asked of two agencies at the root (PersonHitCheck)', 2, '{ policePersonHit(name: "x") { hit } europolPersonHit(name: "x") { hit } }'],
  ['three aliased containers', 3, '{ a: container(number: "A") { policeHit { hit } } b: container(number: "B") { policeHit { hit } } c: container(number: "C") { number } d: container(number: "D") { europolHit { hit } } }'],
  ['the same field twice (merged into one answer)', 1, '{ container(number: "A") { number } container(number: "A") { policeHit { hit } } }'],
  ['a hit in a named fragment', 1, 'query Q { container(number: "A") { ...F } } fragment F on Container { number policeHit { hit } }'],
  ['a hit in an inline fragment inside a named one, aliased', 1, 'query Sly { container(number: "A") { ...F } } fragment F on Container { number ... on Container { innocent: policeHit { hit } } }'],
  ['through an interface and a union', 2, '{ entity(id: "1") { ... on Container { policeHit { hit } } } found(id: "2") { ... on Seizure { container { europolHit { hit } } } } }'],
  ['hits below a list count once for their root field', 2, '{ seizures(first: 100) { container { policeHit { hit } } } containers { europolHit { hit } } }'],
  ['root-level fragments: each probe once however often the fragment is spread', 2, 'query Q { ...R ...R ... on Query { ...R } } fragment R on Query { a: container(number: "A") { policeHit { hit } } b: policePersonHit(name: "x") { hit } }'],
  ['a mutation selecting a hit', 1, 'mutation { flag(number: "A") { policeHit { hit } } }'],
  ['introspection and __typename', 0, '{ __typename __schema { types { name } } container(number: "A") { __typename number } }'],
])('%s → %d', (_what, expected, text) => {
  expect(count(text)).toBe(expected);
});

test('only the operation that runs is counted', () => {
  const text = 'query Plain { containers { number } } query Probe { a: container(number: "A") { policeHit { hit } } b: container(number: "B") { policeHit { hit } } }';
  expect(count(text, 'Plain')).toBe(0);
  expect(count(text, 'Probe')).toBe(2);
});

test('a fragment fan-out is walked once per fragment, never expanded (2^40 paths, counted at once)', () => {
  const levels = 40;
  const fragments = Array.from({ length: levels }, (_, i) =>
    i === levels - 1 ? `fragment F${i} on Container { number policeHit { hit } }` : `fragment F${i} on Container { ...F${i + 1} ... on Container { ...F${i + 1} } }`,
  );
  expect(count(`query Q { container(number: "A") { ...F0 } } ${fragments.join(' ')}`)).toBe(1);
});
