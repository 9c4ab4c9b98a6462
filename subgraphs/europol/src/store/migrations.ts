import { HIT_REFS_TABLE, LABEL_COLUMNS } from '@pactum/subgraph-kit';

/** The Europol store's schema, one entry per version (PRAGMA user_version). Append, never edit. */
export const europolMigrations: string[] = [
  `
  CREATE TABLE analysis_projects (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    focus TEXT NOT NULL,
    ${LABEL_COLUMNS}
  );
  CREATE TABLE ocgs (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    activities TEXT NOT NULL,
    countries TEXT NOT NULL,
    ${LABEL_COLUMNS}
  );
  CREATE TABLE ocg_members (
    id TEXT PRIMARY KEY,
    ocg_id TEXT NOT NULL REFERENCES ocgs(id),
    name TEXT NOT NULL,
    name_key TEXT NOT NULL,
    date_of_birth TEXT NOT NULL,
    nationality TEXT NOT NULL,
    role TEXT NOT NULL,
    ${LABEL_COLUMNS}
  );
  CREATE INDEX ocg_members_ocg ON ocg_members(ocg_id);
  CREATE INDEX ocg_members_name ON ocg_members(name_key, date_of_birth);
  CREATE TABLE siena_messages (
    id TEXT PRIMARY KEY,
    sent_at TEXT NOT NULL,
    from_agency TEXT NOT NULL,
    to_agencies TEXT NOT NULL,
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    ${LABEL_COLUMNS}
  );
  CREATE TABLE message_containers (
    message_id TEXT NOT NULL REFERENCES siena_messages(id),
    container_number TEXT NOT NULL,
    PRIMARY KEY (message_id, container_number)
  );
  CREATE INDEX message_containers_container ON message_containers(container_number);
  CREATE TABLE intelligence_reports (
    id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    summary TEXT NOT NULL,
    source_reliability TEXT NOT NULL CHECK (source_reliability IN ('A', 'B', 'C', 'X')),
    information_accuracy INTEGER NOT NULL CHECK (information_accuracy BETWEEN 1 AND 4),
    produced_at TEXT NOT NULL,
    ocg_id TEXT REFERENCES ocgs(id),
    ${LABEL_COLUMNS}
  );
  CREATE INDEX intelligence_reports_ocg ON intelligence_reports(ocg_id);
  CREATE TABLE report_containers (
    report_id TEXT NOT NULL REFERENCES intelligence_reports(id),
    container_number TEXT NOT NULL,
    PRIMARY KEY (report_id, container_number)
  );
  CREATE INDEX report_containers_container ON report_containers(container_number);
  -- National investigations Europol supports, and under which analysis project.
  CREATE TABLE supported_investigations (
    agency TEXT NOT NULL,
    local_id TEXT NOT NULL,
    analysis_project_id TEXT REFERENCES analysis_projects(id),
    PRIMARY KEY (agency, local_id)
  );
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
