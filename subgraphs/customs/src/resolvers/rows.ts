import type { LabelRow } from '@pactum/subgraph-kit';

/** Row shapes of the customs store (snake_case, as SQLite returns them). */
export interface ContainerRow extends LabelRow { number: string; owner_code: string; size_type: string; reefer: number }
export interface VesselRow { imo: string; name: string; flag: string }
export interface CompanyRow extends LabelRow { euid: string; name: string; country: string; vat_number: string | null }
export interface DeclarationRow extends LabelRow {
  id: string; container_number: string; mrn: string; importer_euid: string | null; goods_description: string;
  hs_code: string; origin: string; destination: string; lodged_at: string;
}
export interface ScanRow extends LabelRow { id: string; container_number: string; scanned_at: string; port: string; result: string }
export interface SeizureRow extends LabelRow { id: string; container_number: string; port: string; seized_at: string; substance: string; quantity_kg: number }
export interface PortCallRow extends LabelRow { id: string; vessel_imo: string; port: string; arrived_at: string; departed_at: string | null }
/** A port call joined with the container it carried (for Container.portCalls). */
export interface ContainerPortCallRow extends PortCallRow { container_number: string }
