import { LABEL_COLUMNS } from '@pactum/subgraph-kit';

/** The Eurojust store's schema, one entry per version (PRAGMA user_version). Append, never edit. */
export const eurojustMigrations: string[] = [
  `
  CREATE TABLE jits (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    members TEXT NOT NULL,
    valid_from TEXT NOT NULL,
    valid_to TEXT NOT NULL,
    ${LABEL_COLUMNS}
  );
  CREATE TABLE judicial_cases (
    agency TEXT NOT NULL DEFAULT 'EUROJUST',
    local_id TEXT NOT NULL,
    title TEXT NOT NULL,
    countries TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('OPEN', 'COORDINATION_MEETING', 'CLOSED')),
    opened_at TEXT NOT NULL,
    jit_id TEXT REFERENCES jits(id),
    ${LABEL_COLUMNS},
    PRIMARY KEY (agency, local_id)
  );
  -- Eurojust owns the links between national cases: which national case belongs to which Eurojust case.
  CREATE TABLE national_case_links (
    case_local_id TEXT NOT NULL,
    agency TEXT NOT NULL,
    local_id TEXT NOT NULL,
    country TEXT NOT NULL,
    PRIMARY KEY (case_local_id, agency, local_id)
  );
  CREATE INDEX national_case_links_national ON national_case_links(agency, local_id);
  CREATE TABLE mla_requests (
    id TEXT PRIMARY KEY,
    case_local_id TEXT NOT NULL,
    from_country TEXT NOT NULL,
    to_country TEXT NOT NULL,
    subject TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('SENT', 'RECEIVED', 'EXECUTED', 'REFUSED')),
    sent_at TEXT NOT NULL,
    ${LABEL_COLUMNS}
  );
  CREATE INDEX mla_requests_case ON mla_requests(case_local_id);
  CREATE TABLE arrest_warrants (
    id TEXT PRIMARY KEY,
    case_local_id TEXT NOT NULL,
    issuing_country TEXT NOT NULL,
    subject_name TEXT NOT NULL,
    subject_date_of_birth TEXT NOT NULL,
    offence TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('ISSUED', 'EXECUTED', 'WITHDRAWN')),
    issued_at TEXT NOT NULL,
    ${LABEL_COLUMNS}
  );
  CREATE INDEX arrest_warrants_case ON arrest_warrants(case_local_id);
  `,
];
