import { subgraphTypeDefs } from '@pactum/subgraph-kit';

/**
 * EUROJUST owns judicial cases, Joint Investigation Teams, mutual legal assistance requests
 * and European Arrest Warrants, and the links between national cases. It contributes to
 * `Investigation` the judicial cases that link it.
 */
export const eurojustSdl = /* GraphQL */ `
  "A Eurojust case coordinating national proceedings, e.g. EJ-2024-0173."
  type JudicialCase @key(fields: "agency localId") {
    "Always EUROJUST."
    agency: String!
    localId: String!
    title: String
    "ISO 3166 alpha-2 countries involved."
    countries: [String!]
    status: CaseStatus
    openedAt: LocalDate
    label: RecordLabel
    jit: Jit
    mlaRequests: [MlaRequest!]
    arrestWarrants: [ArrestWarrant!]
    nationalCases: [NationalCaseRef!]
  }

  enum CaseStatus {
    OPEN
    COORDINATION_MEETING
    CLOSED
  }

  "A Joint Investigation Team set up for a case."
  type Jit @key(fields: "id") {
    id: ID!
    name: String
    "Agency ids of the JIT's members."
    members: [String!]
    validFrom: LocalDate
    validTo: LocalDate
    label: RecordLabel
  }

  "A national case linked to a Eurojust case (Eurojust owns these links)."
  type NationalCaseRef {
    agency: String
    localId: String
    country: String
    "Set when the national case is an investigation another subgraph owns (NL-POLICE)."
    investigation: Investigation
  }

  enum MlaStatus {
    SENT
    RECEIVED
    EXECUTED
    REFUSED
  }

  "A mutual legal assistance request between judicial authorities."
  type MlaRequest @key(fields: "id") {
    id: ID!
    fromCountry: String
    toCountry: String
    subject: String
    status: MlaStatus
    sentAt: LocalDate
    label: RecordLabel
  }

  enum WarrantStatus {
    ISSUED
    EXECUTED
    WITHDRAWN
  }

  "A European Arrest Warrant. The subject's name and date of birth are personal data."
  type ArrestWarrant @key(fields: "id") {
    id: ID!
    issuingCountry: String
    "Personal data."
    subjectName: String
    "Personal data."
    subjectDateOfBirth: LocalDate
    offence: String
    status: WarrantStatus
    issuedAt: LocalDate
    label: RecordLabel
  }

  type Investigation @key(fields: "agency localId") {
    agency: String!
    localId: String!
    "Eurojust cases that link this investigation (empty when none does)."
    judicialCases: [JudicialCase!]
  }

  type Query {
    judicialCase(localId: String!): JudicialCase
    jit(id: ID!): Jit
  }
`;

/** The eurojust subgraph's full SDL: federation link + kit SDL + the agency types. */
export const typeDefs = subgraphTypeDefs(eurojustSdl);
