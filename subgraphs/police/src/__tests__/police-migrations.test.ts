import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '@pactum/subgraph-kit';
import { callerFromTestHeader, TEST_AGENCY_HEADER } from '@pactum/demo-world/testing';
import { createPoliceSubgraph, policeMigrations, seedPolice } from '../index';

// What a store written by the previous version held: one deterministic reference per record.
const OLD_REFERENCE = 'HIT-NLP-5D1C0E4B7A9F3E21';

describe('police store migrations', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'police-migrate-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('an old store (schema 1, seeded references) is migrated: hit_refs is replaced, its references resolve no more', async () => {
    const file = join(dir, 'police.sqlite');
    const old = openStore({ file, migrations: policeMigrations.slice(0, 1), seed: seedPolice });
    old.db.prepare("INSERT INTO hit_refs (reference, kind, record_id) VALUES (?, 'person', 'NLP-S-00001')").run(OLD_REFERENCE);
    const suspects = (old.db.prepare('SELECT count(*) AS n FROM suspects').get() as { n: number }).n;
    old.close();

    const running = await createPoliceSubgraph({ port: 0, dbFile: file, authenticate: callerFromTestHeader });
    try {
      const db = running.store.db;
      expect(db.pragma('user_version', { simple: true })).toBe(2);
      expect((db.prepare('SELECT name FROM pragma_table_info(\'hit_refs\') ORDER BY cid').all() as { name: string }[]).map((c) => c.name))
        .toEqual(['reference', 'kind', 'record_id', 'issued_to', 'issued_at', 'expires_at']);
      expect(db.prepare('SELECT count(*) AS n FROM hit_refs').get()).toEqual({ n: 0 });
      // The data stays; the seed does not run again.
      expect(db.prepare('SELECT count(*) AS n FROM suspects').get()).toEqual({ n: suspects });
      const reply = await fetch(running.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', [TEST_AGENCY_HEADER]: 'NL-CUSTOMS' },
        body: JSON.stringify({ query: 'query ($r: String!) { policeHitFollowUp(reference: $r) { id } }', variables: { r: OLD_REFERENCE } }),
      });
      expect(await reply.json()).toEqual({ data: { policeHitFollowUp: null } });
    } finally {
      await running.stop();
    }
  });
});
