/**
 * Abstract types across subgraphs: an entity interface with an `@interfaceObject` adding fields
 * from another subgraph (which its implementations get only through the interface object), interfaces
 * with covariant fields, a union of entities of two subgraphs, and abstract types nested in
 * abstract types.
 */
import { LINK, RECORD_LABEL_SDL, readableLabel, type FidelitySuite } from '../fidelity-suite';

const CATALOG_SDL = `${LINK}
  ${RECORD_LABEL_SDL}
  type Query { media: [Media!]! documents: [Document!]! }
  interface Media @key(fields: "id") { id: ID! title: String! year: Int }
  type Book implements Media @key(fields: "id") { id: ID! title: String! year: Int pages: Int label: RecordLabel! }
  type Film implements Media @key(fields: "id") { id: ID! title: String! year: Int minutes: Int }
  interface Attachment { name: String! }
  type Scan implements Attachment @key(fields: "ref") { ref: ID! name: String! dpi: Int! }
  type Note implements Attachment { name: String! words: Int! }
  interface Document { id: ID! attachment: Attachment! related: [Media!]! }
  type Report implements Document @key(fields: "id") { id: ID! attachment: Scan! related: [Book!]! }
  type Memo implements Document @key(fields: "id") { id: ID! attachment: Note! related: [Media!]! }
`;

const REVIEWS_SDL = `${LINK}
  type Query { topRated: [Media!]! }
  type Media @key(fields: "id") @interfaceObject { id: ID! rating: Int! votes: Int reviews: [Review!]! }
  type Review { stars: Int! text: String }
`;

const SEARCH_SDL = `${LINK}
  type Query { search(term: String!): [SearchHit!]! }
  union SearchHit = Book | Report
  type Book @key(fields: "id", resolvable: false) { id: ID! }
  type Report @key(fields: "id", resolvable: false) { id: ID! }
`;

const BOOKS = [
  { __typename: 'Book', id: 'M1', title: 'Port security handbook', year: 2019, pages: 320, label: readableLabel('AG-CATALOG') },
  { __typename: 'Book', id: 'M3', title: 'Container routes', year: null, pages: null, label: readableLabel('AG-CATALOG') },
];
const FILMS = [{ __typename: 'Film', id: 'M2', title: 'Night shift at the terminal', year: 2021, minutes: 94 }];
const MEDIA = [...BOOKS, ...FILMS].sort((a, b) => a.id.localeCompare(b.id));
const SCANS = [{ __typename: 'Scan', ref: 'SC-9', name: 'manifest.pdf', dpi: 300 }];
const DOCUMENTS = [
  { __typename: 'Report', id: 'D1', attachment: SCANS[0], related: ['M1', 'M3'] },
  { __typename: 'Memo', id: 'D2', attachment: { __typename: 'Note', name: 'call notes', words: 212 }, related: ['M2', 'M1'] },
];
const RATINGS = new Map([
  ['M1', { rating: 4, reviews: [{ stars: 4, text: 'thorough' }, { stars: 5, text: null }] }],
  ['M2', { rating: 2, reviews: [] }],
  ['M3', { rating: 5, reviews: [{ stars: 5, text: 'short' }] }],
]);

const byId = (id: string) => MEDIA.find((m) => m.id === id) ?? null;
const typeOf = (o: { __typename: string }) => o.__typename;

const catalogResolvers = {
  Query: { media: () => MEDIA, documents: () => DOCUMENTS },
  Media: { __resolveType: typeOf, __resolveReference: (ref: { id: string }) => byId(ref.id) },
  Book: { __resolveReference: (ref: { id: string }) => byId(ref.id) },
  Film: { __resolveReference: (ref: { id: string }) => byId(ref.id) },
  Attachment: { __resolveType: typeOf },
  Scan: { __resolveReference: (ref: { ref: string }) => SCANS.find((s) => s.ref === ref.ref) ?? null },
  Document: { __resolveType: typeOf },
  Report: {
    __resolveReference: (ref: { id: string }) => DOCUMENTS.find((d) => d.id === ref.id) ?? null,
    related: (d: { related: string[] }) => d.related.map(byId),
  },
  Memo: {
    __resolveReference: (ref: { id: string }) => DOCUMENTS.find((d) => d.id === ref.id) ?? null,
    related: (d: { related: string[] }) => d.related.map(byId),
  },
};

const rated = (id: string) => ({ id, votes: id === 'M3' ? null : id.length * 7, ...(RATINGS.get(id) ?? { rating: 0, reviews: [] }) });
const reviewsResolvers = {
  Query: { topRated: () => ['M3', 'M2', 'M1'].map(rated) },
  Media: { __resolveReference: (ref: { id: string }) => rated(ref.id) },
};

const searchResolvers = {
  Query: { search: () => [{ __typename: 'Report', id: 'D1' }, { __typename: 'Book', id: 'M3' }] },
  SearchHit: { __resolveType: typeOf },
};

export const abstractTypesSuite: FidelitySuite = {
  name: 'interfaces, interface objects, covariant fields and unions across subgraphs',
  subgraphs: [
    { name: 'catalog', agency: 'AG-CATALOG', sdl: CATALOG_SDL, resolvers: catalogResolvers },
    { name: 'reviews', agency: 'AG-REVIEWS', sdl: REVIEWS_SDL, resolvers: reviewsResolvers },
    { name: 'search', agency: 'AG-SEARCH', sdl: SEARCH_SDL, resolvers: searchResolvers },
  ],
  queries: [
    { name: 'reads interface fields of the defining subgraph', query: '{ media { id title } }' },
    { name: 'reads fields an interface object adds to the interface', query: '{ media { title rating reviews { stars text } } }' },
    { name: 'reads interface-object fields through a concrete type condition', query: '{ media { ... on Book { pages rating } ... on Film { minutes } } }' },
    { name: 'enters through the interface object and reads the concrete types', query: '{ topRated { id rating title ... on Book { pages label { owner } } __typename } }' },
    { name: 'reads an interface-object field on the interface only the interface object implements it through', query: '{ topRated { ... on Media { rating reviews { stars } } } }' },
    { name: 'reads a covariant interface field through the interface', query: '{ documents { id attachment { name } } }' },
    {
      name: 'reads a covariant interface field with concrete type conditions inside',
      query: '{ documents { attachment { name ... on Scan { dpi } ... on Note { words } } } }',
    },
    { name: 'reads a covariant list field through the interface', query: '{ documents { related { id title rating } } }' },
    {
      name: 'reaches one response key through an interface-typed and an object-typed parent',
      query: '{ documents { attachment { name } ... on Report { attachment { dpi ref } } } }',
    },
    {
      name: 'reaches one response key through interface and object parents with list results',
      query: '{ documents { related { title } ... on Report { related { pages rating } } ... on Memo { related { ... on Film { minutes } } } } }',
    },
    {
      name: 'reads a union of entities from two subgraphs with nested abstract selections',
      query: '{ search(term: "port") { __typename ... on Media { title rating } ... on Report { attachment { name dpi } related { title } } ... on Document { id } } }',
    },
    {
      name: 'reads nested fragments on interfaces and unions',
      query:
        'query Q { search(term: "x") { ...Hit } } fragment Hit on SearchHit { ... on Book { ...M } ... on Document { related { ...M } } } fragment M on Media { id title ... on Book { pages } }',
    },
    {
      name: 'honours @skip inside an abstract selection',
      query: 'query Q($s: Boolean = true) { media { id rating @skip(if: $s) ... on Book @skip(if: $s) { pages } } }',
    },
  ],
};
