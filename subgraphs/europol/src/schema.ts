import { subgraphTypeDefs } from '@pactum/subgraph-kit';

/**
 * EUROPOL owns SIENA message exchanges, intelligence reports, organised crime groups and
 * analysis projects. It contributes to `Container` the messages and intelligence about it
 * and a hit/no-hit answer, and to `Investigation` whether Europol supports it.
 */
export const europolSdl = /* GraphQL */ `
  "A message exchanged over SIENA (Secure Information Exchange Network Application)."
  type SienaMessage @key(fields: "id") {
    id: ID!
    sentAt: DateTime
    fromAgency: String
    toAgencies: [String!]
    subject: String
    body: String
    label: RecordLabel
  }

  "Source reliability, Europol 4x4 evaluation."
  enum SourceReliability {
    A
    B
    C
    X
  }

  "An analytical intelligence report; informationAccuracy is 1 (known true) to 4 (unknown)."
  type IntelligenceReport @key(fields: "id") {
    id: ID!
    title: String
    summary: String
    sourceReliability: SourceReliability
    informationAccuracy: Int
    producedAt: DateTime
    label: RecordLabel
    organisedCrimeGroup: OrganisedCrimeGroup
  }

  "An organised crime group known to Europol."
  type OrganisedCrimeGroup @key(fields: "id") {
    id: ID!
    name: String
    activities: [String!]
    countries: [String!]
    label: RecordLabel
    members: [OcgMember!]
    intelligenceReports: [IntelligenceReport!]
  }

  "A person Europol links to a group. The id is pseudonymous; name and date of birth are personal data."
  type OcgMember @key(fields: "id") {
    id: ID!
    "Personal data."
    name: String
    "Personal data."
    dateOfBirth: LocalDate
    nationality: String
    role: String
    label: RecordLabel
  }

  "A Europol analysis project (e.g. AP Cola for cocaine)."
  type AnalysisProject @key(fields: "id") {
    id: ID!
    name: String
    focus: String
    label: RecordLabel
  }

  "Hit/no-hit answer: whether the agency holds something, and an opaque reference for a justified follow-up. Never the record."
  type Hit @shareable {
    hit: Boolean!
    reference: String
  }

  type Container @key(fields: "number") {
    number: ContainerNumber!
    "SIENA messages that mention this container."
    sienaMessages: [SienaMessage!]
    "Intelligence reports about this container."
    intelligenceReports: [IntelligenceReport!]
    "Whether EUROPOL holds anything on this container."
    europolHit: Hit
  }

  type Investigation @key(fields: "agency localId") {
    agency: String!
    localId: String!
    "Whether the investigation is supported by Europol."
    europolSupport: Boolean
    analysisProject: AnalysisProject
  }

  type Query {
    ocg(id: ID!): OrganisedCrimeGroup
    "Does EUROPOL know a person with this name and date of birth?"
    europolPersonHit(name: String!, dateOfBirth: LocalDate!): Hit
    "The person behind a Europol person hit reference (a justified follow-up)."
    europolHitFollowUp(reference: String!): OcgMember
  }
`;

/** The europol subgraph's full SDL: federation link + kit SDL + the agency types. */
export const typeDefs = subgraphTypeDefs(europolSdl);
