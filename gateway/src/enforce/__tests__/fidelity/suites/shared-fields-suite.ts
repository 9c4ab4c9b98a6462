/**
 * Fields several subgraphs can resolve, and the directives that steer the planner between
 * them: `@shareable` (each subgraph answers differently, so the oracle sees which one was
 * asked), `@external` + `@requires`, `@provides`, `@override` and `@inaccessible`.
 */
import { LINK, RECORD_LABEL_SDL, readableLabel, type FidelitySuite } from '../fidelity-suite';

const CARGO_SDL = `${LINK}
  ${RECORD_LABEL_SDL}
  type Query { shipments: [Shipment!]! carriers: [Carrier!]! }
  type Shipment @key(fields: "id") {
    id: ID!
    weightKg: Float! @shareable
    status: String! @shareable
    insured: Boolean!
    internalRef: String @inaccessible
    carrier: Carrier @shareable
    label: RecordLabel!
  }
  type Carrier @key(fields: "code") { code: ID! name: String! @shareable country: String }
`;

const DUTY_SDL = `${LINK}
  type Query { manifest: [Shipment!]! @provides(fields: "weightKg") }
  type Shipment @key(fields: "id") {
    id: ID!
    weightKg: Float! @external
    internalRef: String @external
    dutyEur: Float! @requires(fields: "weightKg internalRef")
    status: String! @shareable
    insured: Boolean! @override(from: "cargo")
    carrier: Carrier @shareable @provides(fields: "name")
  }
  type Carrier @key(fields: "code") { code: ID! name: String! @external }
`;

const SHIPMENTS = [
  { id: 'SH-1', weightKg: 12000, status: 'CLEARED', insured: false, internalRef: 'r-17', carrier: { code: 'MSC' }, label: readableLabel('AG-CARGO') },
  { id: 'SH-2', weightKg: 800.5, status: 'HELD', insured: false, internalRef: null, carrier: null, label: readableLabel('AG-CARGO') },
  { id: 'SH-3', weightKg: 21000, status: 'CLEARED', insured: false, internalRef: 'r-4', carrier: { code: 'MAEU' }, label: readableLabel('AG-CARGO') },
];
const CARRIERS = [
  { code: 'MSC', name: 'Mediterranean Shipping Company', country: 'CH' },
  { code: 'MAEU', name: 'Maersk', country: 'DK' },
];
// Duty's own view: a different status text and the insurance it now owns; the same weights
// (it provides them on `manifest`) and carrier names (it provides them on `carrier`).
const DUTY = new Map([
  ['SH-1', { status: 'cleared (duty)', insured: true, carrier: { code: 'MSC', name: 'MSC (duty copy)' } }],
  ['SH-2', { status: 'held (duty)', insured: false, carrier: null }],
  ['SH-3', { status: 'cleared (duty)', insured: true, carrier: { code: 'MAEU', name: 'Maersk (duty copy)' } }],
]);

const cargoResolvers = {
  Query: { shipments: () => SHIPMENTS, carriers: () => CARRIERS },
  Shipment: {
    __resolveReference: (ref: { id: string }) => SHIPMENTS.find((s) => s.id === ref.id) ?? null,
    carrier: (s: { carrier: { code: string } | null }) => (s.carrier ? CARRIERS.find((c) => c.code === s.carrier?.code) ?? null : null),
  },
  Carrier: { __resolveReference: (ref: { code: string }) => CARRIERS.find((c) => c.code === ref.code) ?? null },
};

const dutyResolvers = {
  Query: {
    manifest: () => SHIPMENTS.slice().reverse().map((s) => ({ id: s.id, weightKg: s.weightKg })),
  },
  Shipment: {
    __resolveReference: (ref: { id: string; weightKg?: number; internalRef?: string | null }) => ref,
    dutyEur: (s: { weightKg: number; internalRef?: string | null }) => Math.round(s.weightKg * 0.35 * 100) / 100 + (s.internalRef ? 1 : 0),
    status: (s: { id: string }) => DUTY.get(s.id)?.status ?? 'unknown (duty)',
    insured: (s: { id: string }) => DUTY.get(s.id)?.insured ?? false,
    carrier: (s: { id: string }) => DUTY.get(s.id)?.carrier ?? null,
  },
};

export const sharedFieldsSuite: FidelitySuite = {
  name: 'shareable, external/requires, provides, override and inaccessible fields',
  subgraphs: [
    { name: 'cargo', agency: 'AG-CARGO', sdl: CARGO_SDL, resolvers: cargoResolvers },
    { name: 'duty', agency: 'AG-DUTY', sdl: DUTY_SDL, resolvers: dutyResolvers },
  ],
  queries: [
    { name: 'answers a shareable field from the subgraph of the root field (cargo)', query: '{ shipments { id status } }' },
    { name: 'answers a shareable field from the subgraph of the root field (duty)', query: '{ manifest { id status } }' },
    { name: 'fetches the required fields for a @requires field', query: '{ shipments { id dutyEur } }' },
    { name: 'uses the provided weight on the providing path', query: '{ manifest { id weightKg dutyEur } }' },
    { name: 'uses the provided carrier name on the providing path', query: '{ manifest { id carrier { code name } } }' },
    { name: 'fetches the carrier country from its owner after a provided name', query: '{ manifest { carrier { name country } } }' },
    { name: 'answers an overridden field from the subgraph that took it over', query: '{ shipments { id insured } manifest { id insured } }' },
    { name: 'mixes a labelled row with fields of both subgraphs', query: '{ manifest { label { owner releasableTo } weightKg status insured } }' },
    { name: 'answers the shareable field next to a shareable object field', query: '{ shipments { status carrier { name } } }' },
    { name: 'answers aliases of a shareable field at two places', query: '{ shipments { s1: status c: carrier { n: name } } manifest { s2: status } }' },
    {
      name: 'keeps the planner choice under fragments spread on the entity',
      query: 'query Q { manifest { ...S } shipments { ...S } } fragment S on Shipment { id status insured carrier { name } }',
    },
  ],
};
