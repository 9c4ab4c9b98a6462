import { subgraphTypeDefs } from '@pactum/subgraph-kit';

/**
 * NL-CUSTOMS owns the physical side of the trade: containers, what was declared for them,
 * how they were scanned, what was seized, and which vessels called at which port.
 * Kit scalars (ContainerNumber, IMO, UNLocode, DateTime, LocalDate) and `RecordLabel`
 * come from the kit's shared SDL.
 */
export const customsSdl = /* GraphQL */ `
  "An ISO 6346 shipping container, owned by NL-CUSTOMS; other agencies contribute fields."
  type Container @key(fields: "number") {
    number: ContainerNumber!
    "BIC owner code (first three letters of the number)."
    ownerCode: String
    "ISO 6346 size/type code, e.g. 45R1 for a 40' high-cube reefer."
    sizeType: String
    reefer: Boolean
    label: RecordLabel
    declarations: [CustomsDeclaration!]
    scans: [Scan!]
    seizures: [Seizure!]
    portCalls: [PortCall!]
  }

  "A sea-going vessel by IMO number; name and flag are public registry data."
  type Vessel @key(fields: "imo") {
    imo: IMO!
    name: String
    "ISO 3166 alpha-2 flag state."
    flag: String
    portCalls: [PortCall!]
  }

  "A company by European Unique Identifier (EUID), e.g. an importer."
  type Company @key(fields: "euid") {
    euid: String!
    name: String
    country: String
    vatNumber: String
    label: RecordLabel
    declarations: [CustomsDeclaration!]
  }

  "An import declaration lodged for a container."
  type CustomsDeclaration {
    id: ID
    "Movement Reference Number."
    mrn: String
    importer: Company
    goodsDescription: String
    hsCode: String
    origin: UNLocode
    destination: UNLocode
    lodgedAt: DateTime
    label: RecordLabel
  }

  enum ScanResult {
    CLEAR
    ANOMALY
    INCONCLUSIVE
  }

  "A non-intrusive (X-ray) inspection of a container."
  type Scan {
    id: ID
    scannedAt: DateTime
    port: UNLocode
    result: ScanResult
    label: RecordLabel
  }

  "Drugs or other goods seized from a container at a port."
  type Seizure @key(fields: "id") {
    id: ID!
    container: Container
    port: UNLocode
    seizedAt: DateTime
    substance: String
    quantityKg: Float
    label: RecordLabel
  }

  "A vessel's call at a port (a container arrives with one)."
  type PortCall {
    id: ID
    vessel: Vessel
    port: UNLocode
    arrivedAt: DateTime
    departedAt: DateTime
    label: RecordLabel
  }

  type Query {
    container(number: ContainerNumber!): Container
    vessel(imo: IMO!): Vessel
    company(euid: String!): Company
    "Latest seizures first, optionally at one port; first is capped at 100."
    seizures(port: UNLocode, first: Int = 20): [Seizure!]
  }
`;

/** The customs subgraph's full SDL: federation link + kit SDL + the agency types. */
export const typeDefs = subgraphTypeDefs(customsSdl);
