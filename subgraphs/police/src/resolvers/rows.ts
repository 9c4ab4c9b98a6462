import type { LabelRow } from '@pactum/subgraph-kit';

/** Row shapes of the police store. */
export interface InvestigationRow extends LabelRow { agency: string; local_id: string; code_name: string; offence: string; status: string; opened_at: string }
export interface SuspectRow extends LabelRow {
  id: string; name: string; date_of_birth: string; nationality: string; document_numbers: string; role: string;
}
export interface SeizedAssetRow extends LabelRow {
  id: string; agency: string; local_id: string; kind: string; iban: string | null; description: string; value_eur: number;
}
/** An investigation key, the shape federation sends (`__typename` stripped). */
export interface InvestigationKey { agency: string; localId: string }
