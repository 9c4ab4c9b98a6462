import { defineLoader, rowsByKey } from '@pactum/subgraph-kit';

/** A row of `records` (label columns included). */
export interface RecordRow {
  id: string;
  title: string;
  recorded_on: string;
  owner: string;
  handling: string;
  handling_note: string | null;
  releasable_to: string;
  case_refs: string;
  europol_support: number;
}

/** Records by id: one statement per batch of ids. */
export const recordById = defineLoader<string, RecordRow | null>('MaocRecord.byId', (db) =>
  rowsByKey(db, `SELECT * FROM records WHERE id IN (SELECT value FROM json_each(?))`, (r: RecordRow) => r.id),
);
