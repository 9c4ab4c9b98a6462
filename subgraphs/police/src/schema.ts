import { subgraphTypeDefs } from '@pactum/subgraph-kit';

/**
 * NL-POLICE owns investigations, their suspects (pseudonymous per-agency person ids) and
 * the criminal proceeds seized. It contributes to `Container` the investigations that
 * concern a container and a Prüm-style hit/no-hit answer.
 */
export const policeSdl = /* GraphQL */ `
  "A national investigation, keyed by the owning agency and its local reference."
  type Investigation @key(fields: "agency localId") {
    "Owning agency id, always NL-POLICE here."
    agency: String!
    "Local reference, e.g. NL-ONB-2024-0456."
    localId: String!
    codeName: String
    offence: String
    status: InvestigationStatus
    openedAt: LocalDate
    label: RecordLabel
    suspects: [Suspect!]
    containers: [Container!]
    seizedAssets: [SeizedAsset!]
  }

  enum InvestigationStatus {
    OPEN
    SUSPENDED
    CLOSED
  }

  "A person suspected in one or more investigations. The id is pseudonymous (never a national ID number)."
  type Suspect @key(fields: "id") {
    id: ID!
    "Personal data."
    name: String
    "Personal data."
    dateOfBirth: LocalDate
    nationality: String
    "Personal data: travel document numbers."
    documentNumbers: [String!]
    role: SuspectRole
    label: RecordLabel
    investigations: [Investigation!]
  }

  enum SuspectRole {
    ORGANISER
    EXTRACTOR
    LOGISTICS
    MONEY_LAUNDERER
    FACILITATOR
  }

  enum AssetKind {
    BANK_ACCOUNT
    REAL_ESTATE
    VEHICLE
    CASH
  }

  "Criminal proceeds seized or frozen in an investigation."
  type SeizedAsset {
    id: ID
    kind: AssetKind
    "Set for bank accounts."
    iban: IBAN
    description: String
    valueEur: Float
    label: RecordLabel
    investigation: Investigation
  }

  "Hit/no-hit answer: whether the agency holds something, and an opaque reference for a justified follow-up. Never the record."
  type Hit @shareable {
    hit: Boolean!
    reference: String
  }

  type Container @key(fields: "number") {
    number: ContainerNumber!
    "The police investigations that concern this container."
    investigations: [Investigation!]
    "Whether NL-POLICE has an interest in this container."
    policeHit: Hit
  }

  type Query {
    investigation(localId: String!): Investigation
    seizedAssetByIban(iban: IBAN!): SeizedAsset
    "Does NL-POLICE know a person with this name and date of birth?"
    policePersonHit(name: String!, dateOfBirth: LocalDate!): Hit
    "The suspect behind a person hit reference (a justified follow-up)."
    policeHitFollowUp(reference: String!): Suspect
    "The investigations behind a container hit reference (a justified follow-up)."
    policeContainerHitFollowUp(reference: String!): [Investigation!]
  }
`;

/** The police subgraph's full SDL: federation link + kit SDL + the agency types. */
export const typeDefs = subgraphTypeDefs(policeSdl);
