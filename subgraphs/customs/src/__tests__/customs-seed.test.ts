import { checkContainerNumber, checkImo, checkUnLocode, labelFromRow, openStore, type LabelRow } from '@pactum/subgraph-kit';
import { customsMigrations, seedCustoms } from '../index';
import { STORY_CONTAINERS, STORY_VESSELS } from '@pactum/demo-world';
import { contentHashesOfTwoSeeds, countRows } from '@pactum/demo-world/testing';

const seeded = () => openStore({ file: ':memory:', migrations: customsMigrations, seed: seedCustoms });

describe('customs seed', () => {
  const store = seeded();
  afterAll(() => store.close());
  const db = store.db;

  it('is deterministic: two seeds give identical content', () => {
    const [first, second] = contentHashesOfTwoSeeds(store, seeded);
    expect(second).toBe(first);
  });

  it('transfers: Antwerp seizures name Belgian police as their origin, no other seizure has one; rows go to the police of the port of departure', () => {
    const seizures = db.prepare('SELECT s.port, s.label_origin, s.releasable_to, s.container_number FROM seizures s').all() as { port: string; label_origin: string | null; releasable_to: string; container_number: string }[];
    for (const s of seizures) expect({ port: s.port, origin: s.label_origin }).toEqual({ port: s.port, origin: s.port === 'BEANR' ? 'BE-POLICE' : null });
    expect(seizures.some((s) => s.port === 'BEANR')).toBe(true);
    // A container's origin port call decides which third-country police it is released to.
    const departures = db.prepare(`SELECT c.number, c.releasable_to, p.port FROM containers c JOIN container_port_calls cp ON cp.container_number = c.number
      JOIN port_calls p ON p.id = cp.port_call_id WHERE p.port IN ('COBUN', 'ECGYE', 'BRSSZ', 'PAMIT')`).all() as { number: string; releasable_to: string; port: string }[];
    const partner: Record<string, string | undefined> = { COBUN: 'CO-POLICE', ECGYE: 'EC-POLICE', BRSSZ: 'BR-PF', PAMIT: undefined };
    expect(departures.length).toBeGreaterThan(100);
    for (const d of departures) {
      const to = JSON.parse(d.releasable_to) as string[];
      for (const [port, agency] of Object.entries(partner)) if (agency) expect({ number: d.number, agency, released: to.includes(agency) }).toEqual({ number: d.number, agency, released: port === d.port });
    }
  });

  it('meets the minimum sizes', () => {
    expect(countRows(db, 'containers')).toBeGreaterThanOrEqual(500);
    expect(countRows(db, 'seizures')).toBeGreaterThanOrEqual(200);
    expect(countRows(db, 'declarations')).toBeGreaterThanOrEqual(500);
    expect(countRows(db, 'scans')).toBeGreaterThanOrEqual(300);
    expect(countRows(db, 'port_calls')).toBeGreaterThanOrEqual(200);
  });

  it('holds every story container with declarations, a scan, a seizure and port calls, and the story vessels', () => {
    for (const number of STORY_CONTAINERS) {
      for (const table of ['declarations', 'scans', 'seizures', 'container_port_calls']) {
        const n = (db.prepare(`SELECT count(*) AS n FROM ${table} WHERE container_number = ?`).get(number) as { n: number }).n;
        expect({ number, table, present: n > 0 }).toEqual({ number, table, present: true });
      }
    }
    for (const v of STORY_VESSELS) expect(db.prepare('SELECT name FROM vessels WHERE imo = ?').get(v.imo)).toEqual({ name: v.name });
  });

  it('stores only check-digit-valid identifiers', () => {
    const bad: string[] = [];
    for (const { number } of db.prepare('SELECT number FROM containers').all() as { number: string }[]) {
      const problem = checkContainerNumber(number);
      if (problem) bad.push(problem);
    }
    for (const { imo } of db.prepare('SELECT imo FROM vessels').all() as { imo: string }[]) {
      const problem = checkImo(imo);
      if (problem) bad.push(problem);
    }
    const ports = db.prepare('SELECT port FROM port_calls UNION SELECT port FROM seizures UNION SELECT origin FROM declarations UNION SELECT destination FROM declarations').all() as { port: string }[];
    for (const { port } of ports) {
      const problem = checkUnLocode(port);
      if (problem) bad.push(problem);
    }
    expect(bad).toEqual([]);
  });

  it('varies labels: H2 and H3 (with a note) exist, every label reads, seizures go to partner police', () => {
    const rows = db.prepare('SELECT * FROM seizures').all() as LabelRow[];
    const labels = rows.map((r) => labelFromRow(r));
    expect(labels.filter((l) => l.handling.includes('H2')).length).toBeGreaterThan(5);
    const h3 = labels.filter((l) => l.handling.includes('H3'));
    expect(h3.length).toBeGreaterThan(0);
    expect(h3.every((l) => (l.handlingNote ?? '').length > 10)).toBe(true);
    expect(labels.filter((l) => l.releasableTo.includes('BE-POLICE')).length).toBeGreaterThan(100);
    expect(labels.filter((l) => l.caseRefs.includes('JIT-2024-07')).length).toBeGreaterThanOrEqual(6);
    expect(new Set(labels.map((l) => l.owner))).toEqual(new Set(['NL-CUSTOMS']));
  });
});
