/**
 * Ownership as composition defines it: fields an `@interfaceObject` adds, fields several
 * agencies' subgraphs can answer (`@shareable`, `@provides`), and entity identity (`@key`s).
 */
import { composeServices } from '@apollo/composition';
import { parse } from 'graphql';
import { PolicyValidationError } from '../policy-validation-error';
import { loadPolicy } from '../load-policy';
import { fieldOwners, parseSupergraph } from '../supergraph-model';
import { BASE_FILES, principal, writePolicyDir } from './helpers/fixture-policy';

const LINK = `extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key", "@shareable", "@external", "@provides", "@interfaceObject"])`;
const CATALOG = `${LINK}
type Query { media: [Media!]! }
interface Media @key(fields: "id") { id: ID! title: String! }
type Book implements Media @key(fields: "id") @key(fields: "isbn") { id: ID! isbn: String! title: String! status: String! @shareable publisher: Publisher @shareable }
type Publisher @key(fields: "code") { code: ID! name: String! @shareable }`;
const REVIEWS = `${LINK}
type Query { topRated: [Media!]! }
type Media @key(fields: "id") @interfaceObject { id: ID! rating: Int! }`;
const STOCK = `${LINK}
type Query { inStock: [Book!]! }
type Book @key(fields: "isbn") { isbn: String! status: String! @shareable publisher: Publisher @shareable @provides(fields: "name") }
type Publisher @key(fields: "code") { code: ID! name: String! @external }`;

function supergraph(): string {
  const r = composeServices([
    { name: 'catalog', typeDefs: parse(CATALOG), url: 'http://127.0.0.1:1/' },
    { name: 'reviews', typeDefs: parse(REVIEWS), url: 'http://127.0.0.1:2/' },
    { name: 'stock', typeDefs: parse(STOCK), url: 'http://127.0.0.1:3/' },
  ]);
  if (r.errors) throw new Error(r.errors.map((e) => e.message).join('; '));
  return r.supergraphSdl;
}

const agencies = new Map([
  ['catalog', 'NL-CUSTOMS'],
  ['reviews', 'NL-POLICE'],
  ['stock', 'EUROPOL'],
]);
const registries = {
  agencies: new Map<string, string | undefined>([['NL-CUSTOMS', 'catalog'], ['NL-POLICE', 'reviews'], ['EUROPOL', 'stock'], ['BE-POLICE', undefined]]),
  purposes: new Set(['drug-trafficking']),
};

const sdl = supergraph();
const model = parseSupergraph(sdl);
const owners = (type: string, field: string) => {
  const t = model.types.get(type);
  if (!t) throw new Error(`no type ${type}`);
  return fieldOwners(agencies, t, field);
};

describe('who answers for a field', () => {
  it('a field an interface object adds is owned, on every implementation, by the interface object subgraph', () => {
    expect(model.types.get('Book')?.fields.get('rating')?.graphs).toEqual(['reviews']);
    expect(owners('Book', 'rating')).toEqual(['NL-POLICE']);
    expect(owners('Media', 'rating')).toEqual(['NL-POLICE']);
  });

  it('a @shareable field both subgraphs resolve is owned by both agencies, the type owner first', () => {
    expect(owners('Book', 'status')).toEqual(['NL-CUSTOMS', 'EUROPOL']);
  });

  it('a field returned along a @provides path is owned by the providing subgraph too', () => {
    expect(model.types.get('Publisher')?.fields.get('name')?.providedBy).toEqual(['stock']);
    expect(owners('Publisher', 'name')).toEqual(['NL-CUSTOMS', 'EUROPOL']);
  });

  it("an entity's key fields, of every @key, belong to the type's owner alone", () => {
    expect(owners('Book', 'id')).toEqual(['NL-CUSTOMS']);
    expect(owners('Book', 'isbn')).toEqual(['NL-CUSTOMS']);
  });

  it('a field a subgraph of no agency can answer has no owner', () => {
    expect(fieldOwners(new Map([['catalog', 'NL-CUSTOMS'], ['reviews', 'NL-POLICE']]), model.types.get('Book') ?? fail('Book'), 'status')).toBeUndefined();
  });
});

describe('deciding a field several agencies answer for', () => {
  const agreement = (provider: string, fields: string) => `id: ${provider.toLowerCase()}-to-be
title: ${provider} to BE
intent: test
legalBasis: test
provider: ${provider}
recipients: [BE-POLICE]
purposes: [drug-trafficking]
validity: { from: 2020-01-01 }
grants:
  - id: g
    intent: test
    fields: ${fields}
`;
  const load = (files: Record<string, string>) => {
    const fx = writePolicyDir({ 'field-groups.yaml': null, ...Object.fromEntries(Object.keys(BASE_FILES).filter((f) => f.startsWith('agreements/')).map((f) => [f, null])), ...files });
    try {
      return loadPolicy({ dir: fx.dir, supergraphSdl: sdl, registries });
    } finally {
      fx.cleanup();
    }
  };
  const be = principal('BE-POLICE');
  const at = new Date('2024-06-01T00:00:00Z');

  it('is denied while one of its owners grants it and the other does not', () => {
    const policy = load({ 'agreements/customs.yaml': agreement('NL-CUSTOMS', '{ Book: [status, title], Query: [media] }') });
    const profile = policy.profileFor(be, { code: 'drug-trafficking' }, at);
    expect(profile.field('Book', 'title')).toMatchObject({ effect: 'allow' });
    expect(profile.field('Book', 'status')).toEqual({ effect: 'deny', reason: 'NO_AGREEMENT' });
    const story = policy.explain(be, { code: 'drug-trafficking' }, at, 'Book', 'status');
    expect(story.steps.map((s) => s.detail).join('\n')).toMatch(/NL-CUSTOMS, EUROPOL: each must release it/);
  });

  it('is allowed once every owner grants it, naming the first owner grant', () => {
    const policy = load({
      'agreements/customs.yaml': agreement('NL-CUSTOMS', '{ Book: [status] }'),
      'agreements/police.yaml': agreement('NL-POLICE', '{ Book: [rating] }'),
      'agreements/europol.yaml': agreement('EUROPOL', '{ Book: [status] }'),
    });
    const profile = policy.profileFor(be, { code: 'drug-trafficking' }, at);
    expect(profile.field('Book', 'status')).toEqual({ effect: 'allow', grant: { agreement: 'nl-customs-to-be', grant: 'g' } });
    expect(profile.field('Media', 'rating')).toEqual({ effect: 'allow', grant: { agreement: 'nl-police-to-be', grant: 'g' } });
  });

  it('a grant may name a field its provider answers for with others, but not one it does not answer for', () => {
    let error: unknown;
    try {
      load({ 'agreements/europol.yaml': agreement('EUROPOL', '{ Book: [status, title] }') });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(PolicyValidationError);
    const problems = (error as PolicyValidationError).problems;
    expect(problems.map((p) => p.kind)).toEqual(['not_owner']);
    expect(problems[0]?.message).toMatch(/Book\.title is owned by NL-CUSTOMS, not by the provider EUROPOL/);
  });
});

function fail(what: string): never {
  throw new Error(`missing ${what}`);
}
