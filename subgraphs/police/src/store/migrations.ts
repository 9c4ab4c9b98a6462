import { HIT_REFS_TABLE, LABEL_COLUMNS } from '@pactum/subgraph-kit';

/**
 * The police store's schema, one entry per version (PRAGMA user_version). Append, never edit.
 * Persons are suspects with a pseudonymous police id; `name_key` is the normalised name
 * hit/no-hit checks match on.
 */
export const policeMigrations: string[] = [
  `
  CREATE TABLE investigations (
    agency TEXT NOT NULL,
    local_id TEXT NOT NULL,
    code_name TEXT NOT NULL,
    offence TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('OPEN', 'SUSPENDED', 'CLOSED')),
    opened_at TEXT NOT NULL,
    ${LABEL_COLUMNS},
    PRIMARY KEY (agency, local_id)
  );
  CREATE TABLE suspects (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    name_key TEXT NOT NULL,
    date_of_birth TEXT NOT NULL,
    nationality TEXT NOT NULL,
    document_numbers TEXT NOT NULL,
    role TEXT NOT NULL,
    ${LABEL_COLUMNS}
  );
  CREATE INDEX suspects_name ON suspects(name_key, date_of_birth);
  CREATE TABLE investigation_suspects (
    agency TEXT NOT NULL,
    local_id TEXT NOT NULL,
    suspect_id TEXT NOT NULL REFERENCES suspects(id),
    PRIMARY KEY (agency, local_id, suspect_id),
    FOREIGN KEY (agency, local_id) REFERENCES investigations(agency, local_id)
  );
  CREATE INDEX investigation_suspects_suspect ON investigation_suspects(suspect_id);
  CREATE TABLE investigation_containers (
    agency TEXT NOT NULL,
    local_id TEXT NOT NULL,
    container_number TEXT NOT NULL,
    PRIMARY KEY (agency, local_id, container_number),
    FOREIGN KEY (agency, local_id) REFERENCES investigations(agency, local_id)
  );
  CREATE INDEX investigation_containers_container ON investigation_containers(container_number);
  CREATE TABLE seized_assets (
    id TEXT PRIMARY KEY,
    agency TEXT NOT NULL,
    local_id TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('BANK_ACCOUNT', 'REAL_ESTATE', 'VEHICLE', 'CASH')),
    iban TEXT UNIQUE,
    description TEXT NOT NULL,
    value_eur REAL NOT NULL,
    ${LABEL_COLUMNS},
    FOREIGN KEY (agency, local_id) REFERENCES investigations(agency, local_id)
  );
  CREATE INDEX seized_assets_investigation ON seized_assets(agency, local_id);
  -- Opaque hit references (Prüm style) and the record each stands for.
  CREATE TABLE hit_refs (
    reference TEXT PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('person', 'container')),
    record_id TEXT NOT NULL,
    UNIQUE (kind, record_id)
  );
  `,
  // 2: hit references are issued on demand, per requesting agency, with an expiry. The old
  // table held one deterministic reference per record, computable by anyone who read the
  // source: dropped with all it held, so none of those references resolves any more.
  `
  DROP TABLE hit_refs;
  ${HIT_REFS_TABLE}
  `,
];
