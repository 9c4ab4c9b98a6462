import { defineLoader, rowsByKey, rowsGroupedByKey } from '@pactum/subgraph-kit';

/** The label columns every MAOC-N row carries. */
interface LabelColumns {
  owner: string;
  handling: string;
  handling_note: string | null;
  releasable_to: string;
  case_refs: string;
  europol_support: number;
}

export interface VesselOfInterestRow extends LabelColumns {
  id: string;
  vessel_imo: string;
  listed_on: string;
  reason: string;
  risk_level: string;
}

export interface InterdictionRow extends LabelColumns {
  id: string;
  vessel_imo: string;
  interdicted_at: string;
  latitude: number;
  longitude: number;
  sea_area: string;
  acting_country: string;
  acting_asset: string;
  substance: string;
  quantity_kg: number;
}

export interface TrackingReportRow extends LabelColumns {
  id: string;
  vessel_imo: string;
  reported_at: string;
  latitude: number;
  longitude: number;
  source: string;
  ais_gap_hours: number | null;
  near_port: string | null;
}

// One statement per batch of keys, whatever the batch's size.
const keys = 'SELECT value FROM json_each(?)';

export const vesselOfInterestById = defineLoader<string, VesselOfInterestRow | null>('VesselOfInterest.byId', (db) =>
  rowsByKey(db, `SELECT * FROM vessels_of_interest WHERE id IN (${keys})`, (r: VesselOfInterestRow) => r.id),
);
export const vesselOfInterestByImo = defineLoader<string, VesselOfInterestRow | null>('Vessel.maocInterest', (db) =>
  rowsByKey(db, `SELECT * FROM vessels_of_interest WHERE vessel_imo IN (${keys})`, (r: VesselOfInterestRow) => r.vessel_imo),
);
export const interdictionById = defineLoader<string, InterdictionRow | null>('Interdiction.byId', (db) =>
  rowsByKey(db, `SELECT * FROM interdictions WHERE id IN (${keys})`, (r: InterdictionRow) => r.id),
);
export const interdictionsByImo = defineLoader<string, InterdictionRow[]>('Vessel.interdictions', (db) =>
  rowsGroupedByKey(db, `SELECT * FROM interdictions WHERE vessel_imo IN (${keys}) ORDER BY interdicted_at DESC, id`, (r: InterdictionRow) => r.vessel_imo),
);
export const interdictionsByContainer = defineLoader<string, (InterdictionRow & { container_number: string })[]>('Container.interdictions', (db) =>
  rowsGroupedByKey(
    db,
    `SELECT c.container_number, i.* FROM interdiction_containers c JOIN interdictions i ON i.id = c.interdiction_id
     WHERE c.container_number IN (${keys}) ORDER BY i.interdicted_at DESC, i.id`,
    (r: InterdictionRow & { container_number: string }) => r.container_number,
  ),
);
export const containersByInterdiction = defineLoader<string, { interdiction_id: string; container_number: string }[]>('Interdiction.containers', (db) =>
  rowsGroupedByKey(
    db,
    `SELECT interdiction_id, container_number FROM interdiction_containers WHERE interdiction_id IN (${keys}) ORDER BY container_number`,
    (r: { interdiction_id: string; container_number: string }) => r.interdiction_id,
  ),
);
export const trackingReportById = defineLoader<string, TrackingReportRow | null>('TrackingReport.byId', (db) =>
  rowsByKey(db, `SELECT * FROM tracking_reports WHERE id IN (${keys})`, (r: TrackingReportRow) => r.id),
);
export const trackingReportsByImo = defineLoader<string, TrackingReportRow[]>('Vessel.trackingReports', (db) =>
  rowsGroupedByKey(db, `SELECT * FROM tracking_reports WHERE vessel_imo IN (${keys}) ORDER BY reported_at DESC, id`, (r: TrackingReportRow) => r.vessel_imo),
);
