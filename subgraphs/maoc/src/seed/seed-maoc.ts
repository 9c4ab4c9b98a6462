import type Database from 'better-sqlite3';
import { labelToRow } from '@pactum/subgraph-kit';

/** The demo records, fixed so every start seeds the same data. */
export const MAOC_SEED = [
  { id: 'MAOC-2024-0001', title: 'First MAOC-N record', recordedOn: '2024-01-15' },
  { id: 'MAOC-2024-0002', title: 'Second MAOC-N record', recordedOn: '2024-02-20' },
  { id: 'MAOC-2024-0003', title: 'Third MAOC-N record', recordedOn: '2024-03-05' },
] as const;

/** Seeds the demo records (deterministic: no clock, no randomness). Runs once, in one transaction. */
export function seedMaoc(db: Database.Database): void {
  const insert = db.prepare(
    `INSERT INTO records VALUES (@id, @title, @recorded_on, @owner, @handling, @handling_note, @releasable_to, @case_refs, @europol_support)`,
  );
  for (const r of MAOC_SEED) {
    insert.run({
      id: r.id,
      title: r.title,
      recorded_on: r.recordedOn,
      ...labelToRow({ owner: 'MAOC-N', handling: ['H0'], handlingNote: null, releasableTo: [], caseRefs: [], europolSupport: false }),
    });
  }
}
