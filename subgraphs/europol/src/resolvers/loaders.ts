import { defineLoader, rowsByKey, rowsGroupedByKey } from '@pactum/subgraph-kit';
import type { InvestigationKey, MemberRow, MessageRow, OcgRow, ProjectRow, ReportRow, SupportRow } from './rows';

// Every entity reference and list relation: one SQL statement per batch of parents.
const IDS = 'SELECT value FROM json_each(?)';

export const messageById = defineLoader<string, MessageRow | null>('SienaMessage.byId', (db) =>
  rowsByKey<string, MessageRow>(db, `SELECT * FROM siena_messages WHERE id IN (${IDS})`, (r) => r.id));
export const reportById = defineLoader<string, ReportRow | null>('IntelligenceReport.byId', (db) =>
  rowsByKey<string, ReportRow>(db, `SELECT * FROM intelligence_reports WHERE id IN (${IDS})`, (r) => r.id));
export const ocgById = defineLoader<string, OcgRow | null>('OrganisedCrimeGroup.byId', (db) =>
  rowsByKey<string, OcgRow>(db, `SELECT * FROM ocgs WHERE id IN (${IDS})`, (r) => r.id));
export const memberById = defineLoader<string, MemberRow | null>('OcgMember.byId', (db) =>
  rowsByKey<string, MemberRow>(db, `SELECT * FROM ocg_members WHERE id IN (${IDS})`, (r) => r.id));
export const projectById = defineLoader<string, ProjectRow | null>('AnalysisProject.byId', (db) =>
  rowsByKey<string, ProjectRow>(db, `SELECT * FROM analysis_projects WHERE id IN (${IDS})`, (r) => r.id));

export const membersByOcg = defineLoader<string, MemberRow[]>('OrganisedCrimeGroup.members', (db) =>
  rowsGroupedByKey<string, MemberRow>(db, `SELECT * FROM ocg_members WHERE ocg_id IN (${IDS}) ORDER BY id`, (r) => r.ocg_id));
export const reportsByOcg = defineLoader<string, ReportRow[]>('OrganisedCrimeGroup.intelligenceReports', (db) =>
  rowsGroupedByKey<string, ReportRow>(db, `SELECT * FROM intelligence_reports WHERE ocg_id IN (${IDS}) ORDER BY produced_at, id`, (r) => r.ocg_id ?? ''));

export const messagesByContainer = defineLoader<string, (MessageRow & { container_number: string })[]>('Container.sienaMessages', (db) =>
  rowsGroupedByKey<string, MessageRow & { container_number: string }>(db, `SELECT l.container_number, m.* FROM message_containers l
    JOIN siena_messages m ON m.id = l.message_id WHERE l.container_number IN (${IDS}) ORDER BY m.sent_at, m.id`, (r) => r.container_number));
export const reportsByContainer = defineLoader<string, (ReportRow & { container_number: string })[]>('Container.intelligenceReports', (db) =>
  rowsGroupedByKey<string, ReportRow & { container_number: string }>(db, `SELECT l.container_number, r.* FROM report_containers l
    JOIN intelligence_reports r ON r.id = l.report_id WHERE l.container_number IN (${IDS}) ORDER BY r.produced_at, r.id`, (r) => r.container_number));
/** Whether Europol holds anything on a container (a SIENA message or an intelligence report mentions it): the container hit. */
export const containerMentioned = defineLoader<string, { container_number: string } | null>('Container.europolHit', (db) =>
  rowsByKey<string, { container_number: string }>(db, `WITH keys (n) AS (${IDS})
    SELECT container_number FROM message_containers WHERE container_number IN (SELECT n FROM keys)
    UNION SELECT container_number FROM report_containers WHERE container_number IN (SELECT n FROM keys)`, (r) => r.container_number));

export const supportByInvestigation = defineLoader<InvestigationKey, SupportRow | null>('Investigation.europolSupport', (db) =>
  rowsByKey<InvestigationKey, SupportRow>(db, `SELECT * FROM supported_investigations
    WHERE (agency, local_id) IN (SELECT value ->> 'agency', value ->> 'localId' FROM json_each(?))`, (r) => ({ agency: r.agency, localId: r.local_id })));
