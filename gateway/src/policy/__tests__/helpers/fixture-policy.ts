/**
 * A small world for policy tests, independent of the shipped policies and supergraph:
 * two subgraphs (customs owns Container and Seizure; police contributes to Container and
 * owns Investigation and Suspect), composed for real with @apollo/composition, and a
 * policy directory written to a temp folder that each test can alter.
 */
import { mkdtempSync, mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { parse } from 'graphql';
import { composeServices } from '@apollo/composition';
import type { Principal } from '../../../auth/principal';
import type { PolicyRegistries } from '../../registries';

const LINK = `extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key", "@shareable", "@external", "@inaccessible"])`;
const LABEL = `
enum HandlingCode { H0 H1 H2 H3 }
type RecordLabel @shareable { owner: String! handling: [HandlingCode!]! handlingNote: String releasableTo: [String!]! caseRefs: [String!]! europolSupport: Boolean! origin: String }
type Hit @shareable { hit: Boolean! reference: String }`;

const CUSTOMS = `${LINK}
${LABEL}
type Query { container(number: String!): Container  seizures: [Seizure!]!  internalAudit: String @inaccessible  recent: [Labelled!]! }
interface Labelled { label: RecordLabel! sizeOrQuantity: Float! }
type Container implements Labelled @key(fields: "number") { number: String! sizeType: String! label: RecordLabel! seizures: [Seizure!]! sizeOrQuantity: Float! }
type Seizure implements Labelled @key(fields: "id") { id: ID! substance: String! quantityKg: Float! label: RecordLabel! sizeOrQuantity: Float! }`;

const POLICE = `${LINK}
${LABEL}
type Query { investigation(localId: String!): Investigation  personHit(name: String!): Hit! }
type Container @key(fields: "number") { number: String! investigations: [Investigation!]! policeHit: Hit! }
type Investigation @key(fields: "agency localId") { agency: String! localId: String! codeName: String! label: RecordLabel! suspects: [Suspect!]! }
type Suspect @key(fields: "id") { id: ID! name: String! role: String! label: RecordLabel! }
type Seizure @key(fields: "id") { id: ID! @external  note: String }`;

let cached: string | undefined;

/** The fixture supergraph SDL (composed once per test file). */
export function fixtureSupergraph(): string {
  if (cached) return cached;
  const result = composeServices([
    { name: 'customs', typeDefs: parse(CUSTOMS), url: 'http://127.0.0.1:1/graphql' },
    { name: 'police', typeDefs: parse(POLICE), url: 'http://127.0.0.1:2/graphql' },
  ]);
  if (result.errors) throw new Error(result.errors.map((e) => e.message).join('\n'));
  cached = result.supergraphSdl;
  return cached;
}

/** Registries of the fixture world. */
export const fixtureRegistries: PolicyRegistries = {
  agencies: new Map<string, string | undefined>([
    ['NL-CUSTOMS', 'customs'],
    ['NL-POLICE', 'police'],
    ['BE-POLICE', undefined],
    ['EUROPOL', undefined],
  ]),
  purposes: new Set(['drug-trafficking', 'money-laundering', 'hit-follow-up']),
};

export const BASE_FILES: Record<string, string> = {
  'classification.yaml': `clearanceLevels: [RESTRICTED, CONFIDENTIAL, SECRET]
handlingCodes:
  H0: { meaning: law enforcement only }
  H1: { meaning: not evidence }
  H2: { meaning: no onward transmission }
  H3: { meaning: free text, ownerOnly: true }
`,
  'roles.yaml': `roles:
  investigator: { description: investigates }
  analyst: { description: analyses }
`,
  'field-groups.yaml': `groups:
  personal-data:
    description: identifies persons
    explicitOnly: true
    requiresRoleAndClearance: true
    fields:
      Suspect: [name]
`,
  'agreements/customs-own.yaml': `id: customs-own
title: Customs own data
intent: Customs reads its own data.
legalBasis: law
provider: NL-CUSTOMS
recipients: [NL-CUSTOMS]
purposes: [drug-trafficking]
validity: { from: 2020-01-01 }
grants:
  - id: all
    intent: everything
    fields: { Container: "*", Seizure: "*", Query: "*" }
`,
  'agreements/police-own.yaml': `id: police-own
title: Police own data
intent: Police reads its own data.
legalBasis: law
provider: NL-POLICE
recipients: [NL-POLICE]
purposes: [drug-trafficking]
validity: { from: 2020-01-01 }
grants:
  - id: records
    intent: non-personal fields
    fields: { Investigation: "*", Suspect: "*", Container: [investigations, policeHit], Query: "*", Seizure: [note] }
  - id: personal
    intent: names for cleared investigators
    fieldGroups: [personal-data]
    requires: { roles: [investigator], clearance: CONFIDENTIAL }
`,
  'agreements/customs-to-be.yaml': `id: customs-to-be
title: Customs to Belgian police
intent: Seizures for partner police.
legalBasis: joint statement
provider: NL-CUSTOMS
recipients: [BE-POLICE]
purposes: [drug-trafficking]
validity: { from: 2022-01-01, to: 2025-12-31 }
grants:
  - id: seizures
    intent: seizures released to the partner, not H2
    fields: { Seizure: [id, substance, quantityKg, label], Container: [number, label, seizures] }
    rows: { releasableToRecipient: true, excludeHandling: [H2] }
  - id: lookup
    intent: lookup
    fields: { Query: [container, seizures] }
`,
  'agreements/police-to-be.yaml': `id: police-to-be
title: Police to Belgian police
intent: Hits, and JIT files for members.
legalBasis: JIT agreement
provider: NL-POLICE
recipients: [BE-POLICE]
purposes: [drug-trafficking, hit-follow-up]
validity: { from: 2022-01-01, to: 2030-12-31 }
grants:
  - id: hit
    intent: hit/no-hit
    hitOnly: true
    fields: { Container: [policeHit], Query: [personHit] }
  - id: jit-files
    intent: JIT investigations for members
    fields: { Investigation: [agency, localId, codeName, label] }
    requires: { roles: [investigator] }
    rows: { caseMember: { refPattern: "^JIT-" } }
  - id: jit-names
    intent: JIT suspects' names, secret when withheld
    fieldGroups: [personal-data]
    fields: { Suspect: [id, label] }
    requires: { roles: [investigator], clearance: SECRET }
    rows: { caseMember: true, existenceSecret: true, allowRestrictedNotes: ["shareable with JIT members"] }
`,
};

/** A temp policy dir holding BASE_FILES with `overrides` applied (a null value deletes a file). */
export function writePolicyDir(overrides: Record<string, string | null> = {}): { dir: string; write(rel: string, text: string): void; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'pactum-policy-'));
  const write = (rel: string, text: string) => {
    mkdirSync(dirname(join(dir, rel)), { recursive: true });
    writeFileSync(join(dir, rel), text);
  };
  mkdirSync(join(dir, 'agreements'), { recursive: true });
  for (const [rel, text] of Object.entries({ ...BASE_FILES, ...overrides })) {
    if (text !== null) write(rel, text);
  }
  return { dir, write, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A principal for tests. */
export function principal(agency: string, roles: string[] = [], clearance = 'CONFIDENTIAL', cases: string[] = []): Principal {
  return { subject: 'u1', agency, issuer: `https://idp.${agency}`, roles: new Set(roles), clearance, purposes: new Set(), cases: new Set(cases) };
}
