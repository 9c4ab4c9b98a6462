import type { LabelRow } from '@pactum/subgraph-kit';

/** Row shapes of the Eurojust store. */
export interface CaseRow extends LabelRow { agency: string; local_id: string; title: string; countries: string; status: string; opened_at: string; jit_id: string | null }
export interface JitRow extends LabelRow { id: string; name: string; members: string; valid_from: string; valid_to: string }
export interface LinkRow { case_local_id: string; agency: string; local_id: string; country: string }
export interface MlaRow extends LabelRow { id: string; case_local_id: string; from_country: string; to_country: string; subject: string; status: string; sent_at: string }
export interface WarrantRow extends LabelRow {
  id: string; case_local_id: string; issuing_country: string; subject_name: string; subject_date_of_birth: string; offence: string; status: string; issued_at: string;
}
export interface CaseKey { agency: string; localId: string }
