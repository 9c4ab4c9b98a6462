import { defineLoader, rowsByKey, rowsGroupedByKey } from '@pactum/subgraph-kit';
import type { CompanyRow, ContainerPortCallRow, ContainerRow, DeclarationRow, PortCallRow, ScanRow, SeizureRow, VesselRow } from './rows';

// Every entity reference and every list relation goes through one of these: one SQL
// statement per batch, whatever the number of parents.

export const containerByNumber = defineLoader<string, ContainerRow | null>('Container.byNumber', (db) =>
  rowsByKey(db, 'SELECT * FROM containers WHERE number IN (SELECT value FROM json_each(?))', (r: ContainerRow) => r.number));

export const vesselByImo = defineLoader<string, VesselRow | null>('Vessel.byImo', (db) =>
  rowsByKey(db, 'SELECT * FROM vessels WHERE imo IN (SELECT value FROM json_each(?))', (r: VesselRow) => r.imo));

export const companyByEuid = defineLoader<string, CompanyRow | null>('Company.byEuid', (db) =>
  rowsByKey(db, 'SELECT * FROM companies WHERE euid IN (SELECT value FROM json_each(?))', (r: CompanyRow) => r.euid));

export const seizureById = defineLoader<string, SeizureRow | null>('Seizure.byId', (db) =>
  rowsByKey(db, 'SELECT * FROM seizures WHERE id IN (SELECT value FROM json_each(?))', (r: SeizureRow) => r.id));

export const declarationsByContainer = defineLoader<string, DeclarationRow[]>('Container.declarations', (db) =>
  rowsGroupedByKey(db, 'SELECT * FROM declarations WHERE container_number IN (SELECT value FROM json_each(?)) ORDER BY lodged_at, id',
    (r: DeclarationRow) => r.container_number));

export const declarationsByImporter = defineLoader<string, DeclarationRow[]>('Company.declarations', (db) =>
  rowsGroupedByKey(db, 'SELECT * FROM declarations WHERE importer_euid IN (SELECT value FROM json_each(?)) ORDER BY lodged_at, id',
    (r: DeclarationRow) => r.importer_euid ?? ''));

export const scansByContainer = defineLoader<string, ScanRow[]>('Container.scans', (db) =>
  rowsGroupedByKey(db, 'SELECT * FROM scans WHERE container_number IN (SELECT value FROM json_each(?)) ORDER BY scanned_at, id',
    (r: ScanRow) => r.container_number));

export const seizuresByContainer = defineLoader<string, SeizureRow[]>('Container.seizures', (db) =>
  rowsGroupedByKey(db, 'SELECT * FROM seizures WHERE container_number IN (SELECT value FROM json_each(?)) ORDER BY seized_at, id',
    (r: SeizureRow) => r.container_number));

export const portCallsByContainer = defineLoader<string, ContainerPortCallRow[]>('Container.portCalls', (db) =>
  rowsGroupedByKey(db, `SELECT cpc.container_number, pc.* FROM container_port_calls cpc JOIN port_calls pc ON pc.id = cpc.port_call_id
    WHERE cpc.container_number IN (SELECT value FROM json_each(?)) ORDER BY pc.arrived_at, pc.id`, (r: ContainerPortCallRow) => r.container_number));

export const portCallsByVessel = defineLoader<string, PortCallRow[]>('Vessel.portCalls', (db) =>
  rowsGroupedByKey(db, 'SELECT * FROM port_calls WHERE vessel_imo IN (SELECT value FROM json_each(?)) ORDER BY arrived_at, id',
    (r: PortCallRow) => r.vessel_imo));
