import { LABEL_COLUMNS } from '@pactum/subgraph-kit';

/**
 * The customs store's schema, one entry per version (PRAGMA user_version). Append, never
 * edit: a shipped migration may already have run on someone's data file.
 */
export const customsMigrations: string[] = [
  `
  CREATE TABLE containers (
    number TEXT PRIMARY KEY,
    owner_code TEXT NOT NULL,
    size_type TEXT NOT NULL,
    reefer INTEGER NOT NULL,
    ${LABEL_COLUMNS}
  );
  CREATE TABLE vessels (
    imo TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    flag TEXT NOT NULL
  );
  CREATE TABLE companies (
    euid TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    country TEXT NOT NULL,
    vat_number TEXT,
    ${LABEL_COLUMNS}
  );
  CREATE TABLE declarations (
    id TEXT PRIMARY KEY,
    container_number TEXT NOT NULL REFERENCES containers(number),
    mrn TEXT NOT NULL UNIQUE,
    importer_euid TEXT REFERENCES companies(euid),
    goods_description TEXT NOT NULL,
    hs_code TEXT NOT NULL,
    origin TEXT NOT NULL,
    destination TEXT NOT NULL,
    lodged_at TEXT NOT NULL,
    ${LABEL_COLUMNS}
  );
  CREATE INDEX declarations_container ON declarations(container_number, lodged_at);
  CREATE INDEX declarations_importer ON declarations(importer_euid, lodged_at);
  CREATE TABLE scans (
    id TEXT PRIMARY KEY,
    container_number TEXT NOT NULL REFERENCES containers(number),
    scanned_at TEXT NOT NULL,
    port TEXT NOT NULL,
    result TEXT NOT NULL CHECK (result IN ('CLEAR', 'ANOMALY', 'INCONCLUSIVE')),
    ${LABEL_COLUMNS}
  );
  CREATE INDEX scans_container ON scans(container_number, scanned_at);
  CREATE TABLE seizures (
    id TEXT PRIMARY KEY,
    container_number TEXT NOT NULL REFERENCES containers(number),
    port TEXT NOT NULL,
    seized_at TEXT NOT NULL,
    substance TEXT NOT NULL,
    quantity_kg REAL NOT NULL,
    ${LABEL_COLUMNS}
  );
  CREATE INDEX seizures_container ON seizures(container_number, seized_at);
  CREATE INDEX seizures_port ON seizures(port, seized_at);
  CREATE TABLE port_calls (
    id TEXT PRIMARY KEY,
    vessel_imo TEXT NOT NULL REFERENCES vessels(imo),
    port TEXT NOT NULL,
    arrived_at TEXT NOT NULL,
    departed_at TEXT,
    ${LABEL_COLUMNS}
  );
  CREATE INDEX port_calls_vessel ON port_calls(vessel_imo, arrived_at);
  CREATE TABLE container_port_calls (
    container_number TEXT NOT NULL REFERENCES containers(number),
    port_call_id TEXT NOT NULL REFERENCES port_calls(id),
    PRIMARY KEY (container_number, port_call_id)
  );
  CREATE INDEX container_port_calls_call ON container_port_calls(port_call_id);
  `,
];
