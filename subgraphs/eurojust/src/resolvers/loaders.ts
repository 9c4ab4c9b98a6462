import { defineLoader, rowsByKey, rowsGroupedByKey } from '@pactum/subgraph-kit';
import type { CaseKey, CaseRow, JitRow, LinkRow, MlaRow, WarrantRow } from './rows';

// Every entity reference and list relation: one SQL statement per batch of parents.
const IDS = 'SELECT value FROM json_each(?)';
const PAIRS = "SELECT value ->> 'agency', value ->> 'localId' FROM json_each(?)";

export const caseByKey = defineLoader<CaseKey, CaseRow | null>('JudicialCase.byKey', (db) =>
  rowsByKey<CaseKey, CaseRow>(db, `SELECT * FROM judicial_cases WHERE (agency, local_id) IN (${PAIRS})`, (r) => ({ agency: r.agency, localId: r.local_id })));
export const jitById = defineLoader<string, JitRow | null>('Jit.byId', (db) =>
  rowsByKey<string, JitRow>(db, `SELECT * FROM jits WHERE id IN (${IDS})`, (r) => r.id));
export const mlaById = defineLoader<string, MlaRow | null>('MlaRequest.byId', (db) =>
  rowsByKey<string, MlaRow>(db, `SELECT * FROM mla_requests WHERE id IN (${IDS})`, (r) => r.id));
export const warrantById = defineLoader<string, WarrantRow | null>('ArrestWarrant.byId', (db) =>
  rowsByKey<string, WarrantRow>(db, `SELECT * FROM arrest_warrants WHERE id IN (${IDS})`, (r) => r.id));

export const mlaByCase = defineLoader<string, MlaRow[]>('JudicialCase.mlaRequests', (db) =>
  rowsGroupedByKey<string, MlaRow>(db, `SELECT * FROM mla_requests WHERE case_local_id IN (${IDS}) ORDER BY sent_at, id`, (r) => r.case_local_id));
export const warrantsByCase = defineLoader<string, WarrantRow[]>('JudicialCase.arrestWarrants', (db) =>
  rowsGroupedByKey<string, WarrantRow>(db, `SELECT * FROM arrest_warrants WHERE case_local_id IN (${IDS}) ORDER BY issued_at, id`, (r) => r.case_local_id));
export const linksByCase = defineLoader<string, LinkRow[]>('JudicialCase.nationalCases', (db) =>
  rowsGroupedByKey<string, LinkRow>(db, `SELECT * FROM national_case_links WHERE case_local_id IN (${IDS}) ORDER BY agency, local_id`, (r) => r.case_local_id));
/** The Eurojust cases linking a national investigation, keyed by the investigation's {agency, localId}. */
export const casesByInvestigation = defineLoader<CaseKey, (CaseRow & { national_agency: string; national_local_id: string })[]>('Investigation.judicialCases', (db) =>
  rowsGroupedByKey<CaseKey, CaseRow & { national_agency: string; national_local_id: string }>(db, `SELECT l.agency AS national_agency, l.local_id AS national_local_id, c.*
    FROM national_case_links l JOIN judicial_cases c ON c.local_id = l.case_local_id
    WHERE (l.agency, l.local_id) IN (${PAIRS}) ORDER BY c.opened_at, c.local_id`, (r) => ({ agency: r.national_agency, localId: r.national_local_id })));
