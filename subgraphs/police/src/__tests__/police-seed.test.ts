import { checkContainerNumber, checkIban, labelFromRow, openStore, type LabelRow } from '@pactum/subgraph-kit';
import { STORY_CONTAINERS, STORY_INVESTIGATIONS } from '@pactum/demo-world';
import { contentHashesOfTwoSeeds, countRows } from '@pactum/demo-world/testing';
import { policeMigrations, seedPolice } from '../index';

const seeded = () => openStore({ file: ':memory:', migrations: policeMigrations, seed: seedPolice });

describe('police seed', () => {
  const store = seeded();
  afterAll(() => store.close());
  const db = store.db;

  it('is deterministic: two seeds give identical content', () => {
    const [first, second] = contentHashesOfTwoSeeds(store, seeded);
    expect(second).toBe(first);
  });

  it('holds no hit references: they are random and issued when a hit is answered', () => {
    expect(countRows(db, 'hit_refs')).toBe(0);
  });

  it('meets the minimum sizes', () => {
    expect(countRows(db, 'investigations')).toBeGreaterThanOrEqual(100);
    expect(countRows(db, 'suspects')).toBeGreaterThanOrEqual(300);
    expect(countRows(db, 'seized_assets')).toBeGreaterThanOrEqual(100);
  });

  it('links every story container to a story investigation', () => {
    for (const inv of STORY_INVESTIGATIONS) {
      const linked = (db.prepare('SELECT container_number FROM investigation_containers WHERE local_id = ?').all(inv.localId) as { container_number: string }[]).map((r) => r.container_number);
      expect(linked).toEqual(expect.arrayContaining([...inv.containers]));
    }
    expect(STORY_INVESTIGATIONS.flatMap((i) => i.containers).sort()).toEqual([...STORY_CONTAINERS].sort());
  });

  it('stores only valid container numbers and IBANs, and pseudonymous person ids', () => {
    const bad: string[] = [];
    for (const { container_number } of db.prepare('SELECT container_number FROM investigation_containers').all() as { container_number: string }[]) {
      const p = checkContainerNumber(container_number);
      if (p) bad.push(p);
    }
    const ibans = db.prepare('SELECT iban FROM seized_assets WHERE iban IS NOT NULL').all() as { iban: string }[];
    expect(ibans.length).toBeGreaterThan(20);
    for (const { iban } of ibans) {
      const p = checkIban(iban);
      if (p) bad.push(p);
    }
    expect(bad).toEqual([]);
    const ids = db.prepare('SELECT id FROM suspects').all() as { id: string }[];
    expect(ids.every((r) => /^NLP-S-\d{5}$/.test(r.id))).toBe(true);
  });

  it('varies labels across investigations', () => {
    const labels = (db.prepare('SELECT * FROM investigations').all() as LabelRow[]).map((r) => labelFromRow(r));
    expect(labels.filter((l) => l.handling.includes('H2')).length).toBeGreaterThan(3);
    expect(labels.filter((l) => l.europolSupport).length).toBeGreaterThan(20);
    expect(labels.filter((l) => !l.europolSupport).length).toBeGreaterThan(20);
    expect(labels.filter((l) => l.caseRefs.some((r) => r.startsWith('JIT-'))).length).toBeGreaterThan(5);
  });
});
