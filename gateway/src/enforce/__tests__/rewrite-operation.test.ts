/**
 * The rewrite on its own: exact rewritten documents for fragments, interfaces, unions, empty
 * selections; refusals; and the rewrite cache's keying.
 */
import { createHash } from 'node:crypto';
import { parse, print, stripIgnoredCharacters } from 'graphql';
import { BadUserInputError, ForbiddenError } from '../../errors';
import { createRewriteCache, MutationRefusedError, rewriteOperation } from '../index';
import { fakeProfile, fixtureFacts, releasableTo, type CallCounter } from './fixtures/fake-policy';
import { composeFixture } from './fixtures/fixture-subgraphs';

const { apiSchema: schema } = composeFixture();
const facts = fixtureFacts;

const rewrite = (query: string, profile = customs, operationName?: string) =>
  rewriteOperation({ schema, document: parse(query), operationName: operationName ?? null, profile, facts });
const compact = (s: string | null) => (s === null ? null : stripIgnoredCharacters(s));
const expectSource = (actual: string | null, expected: string) => expect(compact(actual)).toBe(compact(print(parse(expected))));

const customs = fakeProfile({
  key: 'customs',
  allow: ['Query.*', 'Mutation.*', 'Container.*', 'Seizure.*', 'PortCall.*', 'RecordLabel.*', 'Hit.*'],
  deny: { 'Container.investigations': 'HIT_ONLY', 'Seizure.label': 'NO_AGREEMENT', 'Investigation.*': 'NO_AGREEMENT' },
});
const be = fakeProfile({
  key: 'be',
  allow: ['Query.*', 'Container.number', 'Seizure.id'],
  row: ['Container.sizeType', 'Seizure.quantityKg'],
  deny: { 'Seizure.substance': 'NO_AGREEMENT' },
  rows: { Container: releasableTo('BE-POLICE'), Seizure: releasableTo('BE-POLICE') },
  labelSubfields: ['owner', 'handling'],
});

describe('rewriteOperation', () => {
  it('inlines named fragments inside introspection, which it passes through (the rewrite has no fragment definitions)', () => {
    const r = rewrite(`
      query I { t: __type(name: "Container") { ...T } __schema { types { ...T } } }
      fragment T on __Type { name fields { ...F } }
      fragment F on __Field { name }
    `);
    expectSource(
      r.source,
      'query I { t: __type(name: "Container") { ... on __Type { name fields { ... on __Field { name } } } } __schema { types { ... on __Type { name fields { ... on __Field { name } } } } } }',
    );
    expect(r.document?.definitions.every((d) => d.kind === 'OperationDefinition')).toBe(true);
  });

  it('inlines fragments, keeps their directives and aliases, and drops denied fields inside them', () => {
    const r = rewrite(`
      query Q($n: String!, $withIds: Boolean!) {
        c: container(number: $n) { ...C investigations { codeName } }
      }
      fragment C on Container { no: number ...S @include(if: $withIds) }
      fragment S on Container { seizures { id label { owner } } }`);
    expectSource(
      r.source,
      `query Q($n: String!, $withIds: Boolean!) {
        c: container(number: $n) {
          ... on Container { no: number ... on Container @include(if: $withIds) { seizures { id __pactum_key_Seizure_id: id } } }
          __pactum_typename: __typename
        }
      }`,
    );
    expect(r.denials).toEqual([
      { path: 'c.seizures.label', coordinate: 'Seizure.label', reason: 'NO_AGREEMENT' },
      { path: 'c.investigations', coordinate: 'Container.investigations', reason: 'HIT_ONLY' },
    ]);
    expect(r.hash).toBe(createHash('sha256').update(r.source ?? '').digest('hex'));
    expect(r.fieldsRequested).toEqual([
      'Query.container', 'Container.number', 'Container.seizures', 'Seizure.id', 'Seizure.label', 'RecordLabel.owner',
      'Container.investigations', 'Investigation.codeName',
    ]);
  });

  it("reads an entity's key from the client's own selection where it always carries it, and injects it elsewhere", () => {
    const r = rewrite('query($x: Boolean!) { container(number: "X") { n: number seizures { id @include(if: $x) quantityKg } } }');
    expectSource(
      r.source,
      `query($x: Boolean!) { container(number: "X") {
          n: number
          seizures { id @include(if: $x) quantityKg __pactum_key_Seizure_id: id }
      } }`,
    );
    const container = r.plan.root.single?.fields[0]?.child?.single;
    expect(container?.keyAliases).toEqual([['n', 'number']]);
    expect(container?.injected).toEqual([]);
    const seizure = container?.fields.find((f) => f.key === 'seizures')?.child?.single;
    expect(seizure?.keyAliases).toEqual([['__pactum_key_Seizure_id', 'id']]);
  });

  it('splits an interface field into the implementations that may see it', () => {
    const r = rewrite('{ records { label { owner } } }');
    expectSource(
      r.source,
      `{ records {
          ... on Container { label { owner } }
          __pactum_typename: __typename
          ... on Container { __pactum_key_Container_number: number }
      } }`,
    );
    expect(r.denials).toEqual([{ path: 'records.label', coordinate: 'Seizure.label', reason: 'NO_AGREEMENT' }]);
    const plan = r.plan.root.single?.fields[0]?.child;
    expect(plan?.typenameAlias).toBe('__pactum_typename');
    expect(plan?.byType.get('Seizure')?.denied.map((d) => d.coordinate)).toEqual(['Seizure.label']);
    expect(plan?.byType.get('Container')?.fields.map((f) => f.coordinate)).toEqual(['Container.label']);
  });

  it('adds the label a row-conditional field needs, per concrete type under a union', () => {
    const r = rewrite('{ search(term: "x") { ... on Container { sizeType } ... on Seizure { id } } }', be);
    expectSource(
      r.source,
      `{ search(term: "x") {
          ... on Container { sizeType } ... on Seizure { id }
          __pactum_typename: __typename
          ... on Container { __pactum_label_Container: label { owner handling } __pactum_key_Container_number: number }
          ... on Seizure { __pactum_key_Seizure_id: id }
      } }`,
    );
  });

  it('removes a selection set left empty, up to the operation, with the reason of its children', () => {
    const p = fakeProfile({ key: 'p', allow: ['Query.*', 'Container.*'], deny: { 'Seizure.substance': 'NO_AGREEMENT' } });
    const r = rewrite('{ container(number: "X") { seizures { substance } } }', p);
    expect(r.document).toBeNull();
    expect(r.hash).toBeNull();
    expect(r.denials).toEqual([
      { path: 'container.seizures.substance', coordinate: 'Seizure.substance', reason: 'NO_AGREEMENT' },
      { path: 'container.seizures', coordinate: 'Container.seizures', reason: 'NO_AGREEMENT' },
      { path: 'container', coordinate: 'Query.container', reason: 'NO_AGREEMENT' },
    ]);
    expect(r.plan.root.single?.denied.map((d) => d.key)).toEqual(['container']);
  });

  it('drops a fragment whose type cannot occur there and keeps __typename', () => {
    const r = rewrite('{ search(term: "x") { __typename ... on Seizure { substance } } }', be);
    expectSource(r.source, '{ search(term: "x") { __typename __pactum_typename: __typename } }');
  });

  it('denies a row-conditional field of a type the profile gives no row rules (fail closed)', () => {
    const noRules = fakeProfile({ key: 'nr', allow: ['Query.*', 'Container.number'], row: ['Container.sizeType'] });
    const r = rewrite('{ container(number: "X") { number sizeType } }', noRules);
    expect(r.denials).toEqual([{ path: 'container.sizeType', coordinate: 'Container.sizeType', reason: 'NOT_IN_POLICY' }]);
  });

  it('refuses a label field the schema does not have', () => {
    const bad = fakeProfile({
      key: 'bad',
      allow: ['Query.*'],
      row: ['Container.sizeType'],
      rows: { Container: releasableTo('X') },
      labelSubfields: ['owner', 'colour'],
    });
    expect(() => rewrite('{ container(number: "X") { sizeType } }', bad)).toThrow(/no field "colour"/);
  });

  it('refuses a mutation with any denied part, naming each', () => {
    let caught: unknown;
    try {
      rewrite('mutation { flagContainer(number: "X") { number investigations { codeName } } }');
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(MutationRefusedError);
    expect(caught).toBeInstanceOf(ForbiddenError);
    const err = caught as MutationRefusedError;
    expect(err.reason).toBe('HIT_ONLY');
    expect(err.denials.map((d) => d.coordinate)).toEqual(['Container.investigations']);
  });

  it('refuses reserved aliases, unknown operations and ambiguous documents', () => {
    expect(() => rewrite('{ container(number: "X") { __pactum_key_number: ownerCode } }')).toThrow(BadUserInputError);
    expect(() => rewrite('query A { containers { number } }', customs, 'B')).toThrow(/no operation named "B"/);
    expect(() => rewrite('query A { containers { number } } query B { containers { number } }')).toThrow(/must name which operation/);
  });
});

describe('createRewriteCache', () => {
  const query = 'query D { container(number: "X") { number sizeType investigations { codeName } } }';
  const input = (profile: typeof customs) => ({ schema, document: parse(query), operationName: 'D', profile, facts, queryHash: 'client-hash' });

  it('never serves one profile the rewrite of another for the same client text', () => {
    const cache = createRewriteCache(10);
    const a = cache.rewrite(input(customs));
    const b = cache.rewrite(input(be));
    expect(a.hash).not.toBe(b.hash);
    expect(a.source).toMatch(/sizeType/);
    expect(a.source).not.toMatch(/investigations/);
    expect(b.source).not.toMatch(/investigations/);
    expect(cache.rewrite(input(customs))).toBe(a);
    expect(cache.rewrite(input(be))).toBe(b);
  });

  it('compiles once per (document, profile): a hit asks the profile nothing', () => {
    const calls: CallCounter = { field: 0 };
    const counted = fakeProfile({ key: 'counted', allow: ['Query.*', 'Container.*'] }, calls);
    const cache = createRewriteCache(10);
    cache.rewrite(input(counted));
    const afterFirst = calls.field;
    expect(afterFirst).toBeGreaterThan(0);
    cache.rewrite(input(counted));
    expect(calls.field).toBe(afterFirst);
  });

  it('is bounded and starts over when the schema changes', () => {
    const cache = createRewriteCache(1);
    const a = cache.rewrite(input(customs));
    cache.rewrite(input(be));
    expect(cache.size).toBe(1);
    expect(cache.rewrite(input(customs))).not.toBe(a);
    const { apiSchema: other } = composeFixture();
    const c = cache.rewrite({ ...input(customs), schema: other });
    expect(cache.size).toBe(1);
    expect(c.source).toBe(a.source);
  });

  it('refuses a profile without a key', () => {
    const cache = createRewriteCache(1);
    expect(() => cache.rewrite(input({ ...customs, key: '' }))).toThrow(/without a key/);
    expect(() => createRewriteCache(0)).toThrow(RangeError);
  });
});
