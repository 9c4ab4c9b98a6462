import { LABEL_COLUMNS } from '@pactum/subgraph-kit';

/** The maoc store's migrations, applied in order once each. Never edit a shipped one: append. */
export const maocMigrations: string[] = [
  `CREATE TABLE vessels_of_interest (
     id TEXT PRIMARY KEY,
     vessel_imo TEXT NOT NULL UNIQUE,
     listed_on TEXT NOT NULL,
     reason TEXT NOT NULL,
     risk_level TEXT NOT NULL CHECK (risk_level IN ('LOW', 'MEDIUM', 'HIGH')),
     ${LABEL_COLUMNS}
   );
   CREATE TABLE interdictions (
     id TEXT PRIMARY KEY,
     vessel_imo TEXT NOT NULL,
     interdicted_at TEXT NOT NULL,
     latitude REAL NOT NULL,
     longitude REAL NOT NULL,
     sea_area TEXT NOT NULL,
     acting_country TEXT NOT NULL,
     acting_asset TEXT NOT NULL,
     substance TEXT NOT NULL,
     quantity_kg REAL NOT NULL,
     ${LABEL_COLUMNS}
   );
   CREATE INDEX interdictions_vessel ON interdictions (vessel_imo, interdicted_at);
   CREATE TABLE interdiction_containers (
     interdiction_id TEXT NOT NULL REFERENCES interdictions (id),
     container_number TEXT NOT NULL,
     PRIMARY KEY (interdiction_id, container_number)
   );
   CREATE INDEX interdiction_containers_number ON interdiction_containers (container_number);
   CREATE TABLE tracking_reports (
     id TEXT PRIMARY KEY,
     vessel_imo TEXT NOT NULL,
     reported_at TEXT NOT NULL,
     latitude REAL NOT NULL,
     longitude REAL NOT NULL,
     source TEXT NOT NULL CHECK (source IN ('AIS', 'SATELLITE', 'PATROL')),
     ais_gap_hours REAL,
     near_port TEXT,
     ${LABEL_COLUMNS}
   );
   CREATE INDEX tracking_reports_vessel ON tracking_reports (vessel_imo, reported_at);`,
];
