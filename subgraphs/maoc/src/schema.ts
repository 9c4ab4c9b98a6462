import { subgraphTypeDefs } from '@pactum/subgraph-kit';

/**
 * MAOC-N (Maritime Analysis and Operations Centre – Narcotics, Lisbon) watches the Atlantic routes
 * for its member states: which vessels are of interest and why, where they were seen (tracking
 * reports, with the gaps in their AIS transponder signal), and the interdictions at sea that its
 * members' navies, coast guards and customs cutters carried out. It extends the shared `Vessel`
 * (owned by NL-CUSTOMS) by IMO number, and `Container` by its number for the containers searched.
 *
 * Nullability rule (subgraphs/README.md): every output field nullable, lists `[T!]`, keys non-null.
 */
export const maocSdl = /* GraphQL */ `
  "A sea-going vessel by IMO number (owned by NL-CUSTOMS); MAOC-N adds what it knows at sea."
  type Vessel @key(fields: "imo") {
    imo: IMO!
    "Why MAOC-N watches this vessel, when it does."
    maocInterest: VesselOfInterest
    "Interdictions at sea of this vessel, newest first."
    interdictions: [Interdiction!]
    "Positions reported for this vessel, newest first."
    trackingReports: [TrackingReport!]
  }

  "MAOC-N's reason for watching a vessel."
  type VesselOfInterest @key(fields: "id") {
    id: ID!
    vessel: Vessel
    listedOn: LocalDate
    reason: String
    "LOW, MEDIUM or HIGH, as MAOC-N's analysts rate it."
    riskLevel: String
    label: RecordLabel
  }

  "A maritime interdiction: a boarding at sea coordinated through MAOC-N."
  type Interdiction @key(fields: "id") {
    id: ID!
    interdictedAt: DateTime
    "Position of the boarding, decimal degrees (WGS 84)."
    latitude: Float
    longitude: Float
    "Sea area in words, e.g. 'Atlantic, 300 nm W of the Canary Islands'."
    seaArea: String
    vessel: Vessel
    "ISO 3166 alpha-2 code of the state whose assets acted."
    actingCountry: String
    "The asset that boarded (ship, aircraft, unit)."
    actingAsset: String
    substance: String
    quantityKg: Float
    "Containers searched during the boarding."
    containers: [Container!]
    label: RecordLabel
  }

  "A position report of a vessel of interest (AIS, satellite imagery or a patrol sighting)."
  type TrackingReport @key(fields: "id") {
    id: ID!
    vessel: Vessel
    reportedAt: DateTime
    latitude: Float
    longitude: Float
    "AIS, SATELLITE or PATROL."
    source: String
    "Hours the vessel's AIS transponder had been silent before this report; null when there was no gap."
    aisGapHours: Float
    "The port this report was made near, when it was near one."
    nearPort: UNLocode
    label: RecordLabel
  }

  "A shipping container (owned by NL-CUSTOMS); MAOC-N adds the interdictions that searched it."
  type Container @key(fields: "number") {
    number: ContainerNumber!
    interdictions: [Interdiction!]
  }

  type Query {
    "The vessels MAOC-N watches, most recently listed first (at most 100)."
    vesselsOfInterest(first: Int = 20): [VesselOfInterest!]
    "One interdiction by its id."
    interdiction(id: ID!): Interdiction
    "Interdictions, newest first (at most 100)."
    interdictions(first: Int = 20): [Interdiction!]
  }
`;

export const typeDefs = subgraphTypeDefs(maocSdl);
