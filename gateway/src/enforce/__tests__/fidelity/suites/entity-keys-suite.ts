/**
 * Entities joined across subgraphs by simple, compound and multiple keys (one subgraph knows a
 * vessel only by its MMSI, so the planner must hop through the other key), with aliases,
 * fragments, `@skip`/`@include` and a failing resolver.
 */
import { GraphQLError } from 'graphql';
import { LINK, RECORD_LABEL_SDL, readableLabel, type FidelitySuite } from '../fidelity-suite';

const REGISTRY_SDL = `${LINK}
  ${RECORD_LABEL_SDL}
  type Query { vessels: [Vessel!]! vessel(imo: ID!): Vessel berth(port: String!, code: String!): Berth }
  type Vessel @key(fields: "imo") @key(fields: "mmsi") {
    imo: ID!
    mmsi: String!
    name: String!
    flag: String
    label: RecordLabel!
  }
  type Berth @key(fields: "port code") { port: String! code: String! depthM: Float }
`;

const TRACKING_SDL = `${LINK}
  type Query { sightings: [Vessel!]! }
  type Vessel @key(fields: "mmsi") { mmsi: String! lastPosition: Position berth: Berth speedKn: Float }
  type Berth @key(fields: "port code") { port: String! code: String! occupants: [Vessel!]! }
  type Position { lat: Float! lon: Float! }
`;

const VESSELS = [
  { imo: '9321483', mmsi: '244650000', name: 'MSC ANNA', flag: 'PA', label: readableLabel('AG-REGISTRY') },
  { imo: '9703291', mmsi: '219018000', name: 'MAERSK EDMONTON', flag: null, label: readableLabel('AG-REGISTRY') },
  { imo: '9811000', mmsi: '636092000', name: 'EVER GIVEN', flag: 'PA', label: readableLabel('AG-REGISTRY') },
];
const BERTHS = [
  { port: 'NLRTM', code: 'EMX-2', depthM: 16.6 },
  { port: 'BEANR', code: 'K1742', depthM: 14.5 },
];
const TRACKS: Record<string, { lastPosition: { lat: number; lon: number } | null; berth: { port: string; code: string } | null; speedKn: number | null }> = {
  '244650000': { lastPosition: { lat: 51.95, lon: 4.05 }, berth: { port: 'NLRTM', code: 'EMX-2' }, speedKn: 0 },
  '219018000': { lastPosition: null, berth: null, speedKn: 12.5 },
  '636092000': { lastPosition: { lat: 51.23, lon: 4.4 }, berth: { port: 'BEANR', code: 'K1742' }, speedKn: null },
};

const registryResolvers = {
  Query: {
    vessels: () => VESSELS,
    vessel: (_: unknown, a: { imo: string }) => VESSELS.find((v) => v.imo === a.imo) ?? null,
    berth: (_: unknown, a: { port: string; code: string }) => BERTHS.find((b) => b.port === a.port && b.code === a.code) ?? null,
  },
  Vessel: {
    __resolveReference: (ref: { imo?: string; mmsi?: string }) => VESSELS.find((v) => v.imo === ref.imo || v.mmsi === ref.mmsi) ?? null,
    flag: (v: { flag: string | null; name: string }) => {
      if (v.name === 'EVER GIVEN') throw new GraphQLError('flag register unavailable');
      return v.flag;
    },
  },
  Berth: { __resolveReference: (ref: { port: string; code: string }) => BERTHS.find((b) => b.port === ref.port && b.code === ref.code) ?? null },
};

const trackingResolvers = {
  Query: { sightings: () => Object.keys(TRACKS).reverse().map((mmsi) => ({ mmsi })) },
  Vessel: {
    __resolveReference: (ref: { mmsi: string }) => ({ mmsi: ref.mmsi }),
    lastPosition: (v: { mmsi: string }) => TRACKS[v.mmsi]?.lastPosition ?? null,
    berth: (v: { mmsi: string }) => TRACKS[v.mmsi]?.berth ?? null,
    speedKn: (v: { mmsi: string }) => TRACKS[v.mmsi]?.speedKn ?? null,
  },
  Berth: {
    __resolveReference: (ref: { port: string; code: string }) => ref,
    occupants: (b: { port: string; code: string }) =>
      Object.entries(TRACKS)
        .filter(([, t]) => t.berth?.port === b.port && t.berth.code === b.code)
        .map(([mmsi]) => ({ mmsi })),
  },
};

export const entityKeysSuite: FidelitySuite = {
  name: 'entities with simple, compound and multiple keys',
  subgraphs: [
    { name: 'registry', agency: 'AG-REGISTRY', sdl: REGISTRY_SDL, resolvers: registryResolvers },
    { name: 'tracking', agency: 'AG-TRACKING', sdl: TRACKING_SDL, resolvers: trackingResolvers },
  ],
  queries: [
    { name: 'reads one subgraph only', query: '{ vessels { imo name } }' },
    { name: 'joins a vessel to the subgraph that knows it only by its second key', query: '{ vessels { name lastPosition { lat lon } speedKn } }' },
    { name: 'joins back from the second key to the first', query: '{ sightings { mmsi speedKn name imo } }' },
    {
      name: 'follows a compound key both ways',
      query: '{ berth(port: "NLRTM", code: "EMX-2") { depthM occupants { name berth { port code depthM } } } }',
    },
    { name: 'keeps a null entity argument result null', query: '{ vessel(imo: "0000000") { name speedKn } }' },
    { name: 'answers aliases of one field with different arguments', query: '{ a: vessel(imo: "9321483") { n: name } b: vessel(imo: "9703291") { n: name s: speedKn } }' },
    {
      name: 'expands named fragments used twice at different places',
      query: 'query Q { vessels { ...V berth { occupants { ...V } } } } fragment V on Vessel { imo name lastPosition { lat } }',
    },
    {
      name: 'honours @skip and @include with variables',
      query: 'query Q($full: Boolean!, $brief: Boolean!) { vessels { name flag @include(if: $full) speedKn @skip(if: $brief) berth @include(if: $full) { port } } }',
      variables: { full: false, brief: false },
    },
    {
      name: 'honours @include on an inline fragment around a joined field',
      query: 'query Q($on: Boolean!) { vessels { name ... @include(if: $on) { speedKn lastPosition { lon } } } }',
      variables: { on: true },
    },
    { name: 'passes a failing resolver error through at its path', query: '{ vessels { name flag } }', expectErrors: true },
    { name: 'answers __typename at every level', query: '{ __typename sightings { __typename name berth { __typename code } } }' },
    { name: 'selects the label itself', query: '{ vessels { name label { owner handling } } }' },
  ],
};
