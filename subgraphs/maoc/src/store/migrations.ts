import { LABEL_COLUMNS } from '@pactum/subgraph-kit';

/** The maoc store's migrations, applied in order once each. Never edit a shipped one: append. */
export const maocMigrations: string[] = [
  `CREATE TABLE records (
     id TEXT PRIMARY KEY,
     title TEXT NOT NULL,
     recorded_on TEXT NOT NULL,
     ${LABEL_COLUMNS}
   );`,
];
