import { defineLoader, rowsByKey, rowsGroupedByKey } from '@pactum/subgraph-kit';
import type { InvestigationKey, InvestigationRow, SeizedAssetRow, SuspectRow } from './rows';

// Every entity reference and list relation: one SQL statement per batch of parents.

const keyOf = (r: { agency: string; local_id: string }): InvestigationKey => ({ agency: r.agency, localId: r.local_id });
const KEYS = "SELECT value ->> 'agency', value ->> 'localId' FROM json_each(?)";

export const investigationByKey = defineLoader<InvestigationKey, InvestigationRow | null>('Investigation.byKey', (db) =>
  rowsByKey<InvestigationKey, InvestigationRow>(db, `SELECT * FROM investigations WHERE (agency, local_id) IN (${KEYS})`, keyOf));

export const suspectById = defineLoader<string, SuspectRow | null>('Suspect.byId', (db) =>
  rowsByKey<string, SuspectRow>(db, 'SELECT * FROM suspects WHERE id IN (SELECT value FROM json_each(?))', (r: SuspectRow) => r.id));

export const suspectsByInvestigation = defineLoader<InvestigationKey, (SuspectRow & { agency: string; local_id: string })[]>('Investigation.suspects', (db) =>
  rowsGroupedByKey<InvestigationKey, SuspectRow & { agency: string; local_id: string }>(db, `SELECT l.agency, l.local_id, s.* FROM investigation_suspects l JOIN suspects s ON s.id = l.suspect_id
    WHERE (l.agency, l.local_id) IN (${KEYS}) ORDER BY s.id`, keyOf));

export const investigationsBySuspect = defineLoader<string, (InvestigationRow & { suspect_id: string })[]>('Suspect.investigations', (db) =>
  rowsGroupedByKey<string, InvestigationRow & { suspect_id: string }>(db, `SELECT l.suspect_id, i.* FROM investigation_suspects l JOIN investigations i ON i.agency = l.agency AND i.local_id = l.local_id
    WHERE l.suspect_id IN (SELECT value FROM json_each(?)) ORDER BY i.opened_at, i.local_id`, (r: { suspect_id: string }) => r.suspect_id));

export const containersByInvestigation = defineLoader<InvestigationKey, { agency: string; local_id: string; container_number: string }[]>('Investigation.containers', (db) =>
  rowsGroupedByKey<InvestigationKey, { agency: string; local_id: string; container_number: string }>(db, `SELECT agency, local_id, container_number FROM investigation_containers
    WHERE (agency, local_id) IN (${KEYS}) ORDER BY container_number`, keyOf));

export const investigationsByContainer = defineLoader<string, (InvestigationRow & { container_number: string })[]>('Container.investigations', (db) =>
  rowsGroupedByKey<string, InvestigationRow & { container_number: string }>(db, `SELECT l.container_number, i.* FROM investigation_containers l JOIN investigations i ON i.agency = l.agency AND i.local_id = l.local_id
    WHERE l.container_number IN (SELECT value FROM json_each(?)) ORDER BY i.opened_at, i.local_id`, (r: { container_number: string }) => r.container_number));

export const assetsByInvestigation = defineLoader<InvestigationKey, SeizedAssetRow[]>('Investigation.seizedAssets', (db) =>
  rowsGroupedByKey<InvestigationKey, SeizedAssetRow>(db, `SELECT * FROM seized_assets WHERE (agency, local_id) IN (${KEYS}) ORDER BY id`, keyOf));

/** Whether police hold an interest in a container (an investigation concerns it): the container hit. */
export const containerOfInterest = defineLoader<string, { container_number: string } | null>('Container.policeHit', (db) =>
  rowsByKey<string, { container_number: string }>(db, 'SELECT DISTINCT container_number FROM investigation_containers WHERE container_number IN (SELECT value FROM json_each(?))',
    (r: { container_number: string }) => r.container_number));
