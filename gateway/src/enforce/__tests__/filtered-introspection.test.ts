/**
 * Introspection filtered to what a principal may query: the schema filter on its own, the
 * introspection answer (aliases, fragments, variables), and the per-profile answerer the
 * pipeline uses (filtered `__schema` / `__type`, alone or merged next to data).
 */
import { buildSchema, parse, printSchema } from 'graphql';
import type { AccessProfile, FieldDecision } from '../../policy/types';
import { answerIntrospection, createFilteredIntrospection, filterSchema, introspectionRootFields, profileVisibility } from '../index';

const SDL = `
  "The entry points"
  type Query { container(number: String!): Container  investigation(id: ID!): Investigation  search(term: String): [Result!]!  byStatus(s: Status): [Investigation!] }
  type Container { number: String! investigations: [Investigation!] label: Label }
  type Investigation implements Node { id: ID! codeName: String suspects: [Suspect!] label: Label }
  type Suspect implements Node { id: ID! name: String role: Role }
  interface Node { id: ID! }
  type Label { owner: String }
  union Result = Container | Investigation
  enum Role { ORGANISER LOGISTICS }
  enum Status { OPEN CLOSED }
  type Mutation { flag(number: String!): Boolean }
`;
const schema = buildSchema(SDL);

/** Customs-like: containers only; investigations and suspects denied on every row. */
const customsVisible = (type: string, field: string): boolean =>
  !(type === 'Query' && ['investigation', 'byStatus'].includes(field)) && !(type === 'Container' && field === 'investigations') && type !== 'Investigation' && type !== 'Suspect' && type !== 'Mutation';

describe('filterSchema', () => {
  const filtered = filterSchema(schema, customsVisible);

  it('drops denied fields, types left without fields, and what pointed at them', () => {
    expect(Object.keys(filtered.getQueryType()?.getFields() ?? {})).toEqual(['container', 'search']);
    expect(filtered.getType('Investigation')).toBeUndefined();
    expect(filtered.getType('Suspect')).toBeUndefined();
    expect(Object.keys((filtered.getType('Container') as { getFields(): object }).getFields())).toEqual(['number', 'label']);
  });

  it('drops union members, unreachable enums and interfaces, and an empty mutation root', () => {
    expect(printSchema(filtered)).toContain('union Result = Container');
    expect(filtered.getType('Role')).toBeUndefined();
    expect(filtered.getType('Status')).toBeUndefined();
    expect(filtered.getType('Node')).toBeUndefined();
    expect(filtered.getMutationType()).toBeUndefined();
  });

  it('keeps descriptions and everything that is visible', () => {
    expect(filtered.getQueryType()?.description).toBe('The entry points');
    expect(printSchema(filterSchema(schema, () => true))).toBe(printSchema(schema));
  });

  it('leaves an empty query root (still answering introspection) when nothing is visible', () => {
    const nothing = filterSchema(schema, () => false);
    expect(Object.keys(nothing.getQueryType()?.getFields() ?? {})).toEqual([]);
    const answer = answerIntrospection(nothing, parse('{ __schema { types { name } } }'), introspectionRootFields(parse('{ __schema { types { name } } }')), null, {});
    const names = (answer.data.__schema as { types: { name: string }[] }).types.map((t) => t.name).filter((n) => !n.startsWith('__'));
    expect(names.sort()).toEqual(['Boolean', 'Query', 'String']);
  });

  it('reads "deny" from an access profile as invisible, "allow-if-row" as visible', () => {
    const decisions: Record<string, FieldDecision> = { 'Container.number': { effect: 'allow-if-row' }, 'Container.label': { effect: 'deny', reason: 'NO_AGREEMENT' } };
    const visible = profileVisibility(profileOf((t, f) => decisions[`${t}.${f}`] ?? { effect: 'deny', reason: 'NO_AGREEMENT' }));
    expect([visible('Container', 'number'), visible('Container', 'label'), visible('Container', 'investigations')]).toEqual([true, false, false]);
  });
});

describe('answerIntrospection', () => {
  it('answers aliased __type/__schema in root fragments with variables, against the given schema only', () => {
    const doc = parse(`query Q($n: String!, $c: String!) { ...R  data: container(number: $c) { number } }
      fragment R on Query { a: __type(name: $n) { ...T } b: __type(name: "Container") { ...T } __schema { queryType { name } } }
      fragment T on __Type { name fields { name } }`);
    const fields = introspectionRootFields(doc, 'Q');
    expect(fields.map((f) => f.alias?.value ?? f.name.value)).toEqual(['a', 'b', '__schema']);
    const answer = answerIntrospection(filterSchema(schema, customsVisible), doc, fields, 'Q', { n: 'Suspect', c: 'X' });
    expect(answer.errors).toEqual([]);
    expect(answer.data).toEqual({
      a: null,
      b: { name: 'Container', fields: [{ name: 'number' }, { name: 'label' }] },
      __schema: { queryType: { name: 'Query' } },
    });
  });

  it('finds nothing to answer in a mutation or a data-only query', () => {
    expect(introspectionRootFields(parse('mutation { flag(number: "x") }'))).toEqual([]);
    expect(introspectionRootFields(parse('{ container(number: "x") { __typename number } }'))).toEqual([]);
  });
});

function profileOf(field: (t: string, f: string) => FieldDecision, key = 'p'): AccessProfile {
  return { key, policyVersion: 'v1', field, rowRules: () => undefined };
}

const customsProfile = profileOf((t, f) => (customsVisible(t, f) ? { effect: 'allow', grant: { agreement: 'a', grant: 'g' } } : { effect: 'deny', reason: 'HIT_ONLY' }), 'customs');
const policeProfile = profileOf(() => ({ effect: 'allow', grant: { agreement: 'a', grant: 'g' } }), 'police');

describe('createFilteredIntrospection', () => {
  const introspection = createFilteredIntrospection();
  const profiles: Record<string, AccessProfile> = { 'NL-CUSTOMS': customsProfile, 'NL-POLICE': policeProfile };
  const request = (agency: string, query: string, variables: Record<string, unknown> = {}) => {
    const document = parse(query);
    return { schema, profile: profiles[agency] as AccessProfile, document, operationName: null, variables };
  };
  const answer = (agency: string, query: string) => {
    const r = request(agency, query);
    return introspection.answer(r, introspectionRootFields(r.document)).data;
  };
  const typeNames = (data: unknown): string[] =>
    ((data as { __schema: { types: { name: string }[] } }).__schema.types ?? []).map((t) => t.name).filter((n) => !n.startsWith('__'));

  it('shows each principal its own schema, from one instance (cached per profile)', () => {
    const q = '{ __schema { types { name } } }';
    expect(typeNames(answer('NL-CUSTOMS', q))).not.toContain('Investigation');
    expect(typeNames(answer('NL-POLICE', q))).toEqual(expect.arrayContaining(['Investigation', 'Suspect']));
    expect(typeNames(answer('NL-CUSTOMS', q))).not.toContain('Suspect');
  });

  it('replaces the introspection answered next to data, and leaves the data alone', () => {
    const data: Record<string, unknown> = { container: { number: 'MSCU1234566' }, t: { name: 'Investigation' } };
    introspection.merge(request('NL-CUSTOMS', '{ container(number: "MSCU1234566") { number } t: __type(name: "Investigation") { name } }'), data);
    expect(data).toEqual({ container: { number: 'MSCU1234566' }, t: null });
  });

  it('keeps a root introspection field skipped by @skip absent', () => {
    const data: Record<string, unknown> = { container: { number: 'x' } };
    introspection.merge(request('NL-CUSTOMS', '{ container(number: "x") { number } ... @skip(if: true) { __schema { types { name } } } }'), data);
    expect(data).toEqual({ container: { number: 'x' } });
  });
});
