import type Database from 'better-sqlite3';
import { labelToRow } from '@pactum/subgraph-kit';
import { INTERDICTIONS, TRACKING_REPORTS, VESSELS_OF_INTEREST } from './maoc-story';

/** The label's columns, as `labelToRow` names them. */
const LABEL_FIELDS = ['owner', 'handling', 'handling_note', 'releasable_to', 'case_refs', 'europol_support', 'label_origin'];

/** Seeds MAOC-N's story rows (deterministic: fixed data, no clock). Runs once, in one transaction. */
export function seedMaoc(db: Database.Database): void {
  // Columns named, so a label column the kit adds later cannot shift the values.
  const insert = (table: string, columns: string[]) => {
    const all = [...columns, ...LABEL_FIELDS];
    return db.prepare(`INSERT INTO ${table} (${all.join(', ')}) VALUES (${all.map((c) => `@${c}`).join(', ')})`);
  };
  const voi = insert('vessels_of_interest', ['id', 'vessel_imo', 'listed_on', 'reason', 'risk_level']);
  const interdiction = insert('interdictions', ['id', 'vessel_imo', 'interdicted_at', 'latitude', 'longitude', 'sea_area', 'acting_country', 'acting_asset', 'substance', 'quantity_kg']);
  const searched = db.prepare('INSERT INTO interdiction_containers (interdiction_id, container_number) VALUES (?, ?)');
  const report = insert('tracking_reports', ['id', 'vessel_imo', 'reported_at', 'latitude', 'longitude', 'source', 'ais_gap_hours', 'near_port']);
  for (const v of VESSELS_OF_INTEREST) {
    voi.run({ id: v.id, vessel_imo: v.imo, listed_on: v.listedOn, reason: v.reason, risk_level: v.riskLevel, ...labelToRow(v.label) });
  }
  for (const i of INTERDICTIONS) {
    interdiction.run({
      id: i.id, vessel_imo: i.imo, interdicted_at: i.at, latitude: i.latitude, longitude: i.longitude, sea_area: i.seaArea,
      acting_country: i.actingCountry, acting_asset: i.actingAsset, substance: i.substance, quantity_kg: i.quantityKg, ...labelToRow(i.label),
    });
    for (const number of i.containers) searched.run(i.id, number);
  }
  for (const r of TRACKING_REPORTS) {
    report.run({
      id: r.id, vessel_imo: r.imo, reported_at: r.at, latitude: r.latitude, longitude: r.longitude, source: r.source,
      ais_gap_hours: r.aisGapHours, near_port: r.nearPort, ...labelToRow(r.label),
    });
  }
}
