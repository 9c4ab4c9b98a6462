import type { LabelRow } from '@pactum/subgraph-kit';

/** Row shapes of the Europol store. */
export interface MessageRow extends LabelRow { id: string; sent_at: string; from_agency: string; to_agencies: string; subject: string; body: string }
export interface ReportRow extends LabelRow {
  id: string; title: string; summary: string; source_reliability: string; information_accuracy: number; produced_at: string; ocg_id: string | null;
}
export interface OcgRow extends LabelRow { id: string; name: string; activities: string; countries: string }
export interface MemberRow extends LabelRow { id: string; ocg_id: string; name: string; date_of_birth: string; nationality: string; role: string }
export interface ProjectRow extends LabelRow { id: string; name: string; focus: string }
export interface SupportRow { agency: string; local_id: string; analysis_project_id: string | null }
export interface InvestigationKey { agency: string; localId: string }
