/**
 * Rows the growing workloads need and the demo world does not have, added to the bench's scratch
 * subgraph stores once the subgraphs have seeded them (SQLite in WAL mode takes a second writer;
 * the subgraphs read every request afresh, nothing is cached): 1,000 seizures in ten ports of their
 * own, each from a container of its own (the `list-*` workloads: `seizures(port:, first:)` pages are
 * capped at 100, so 1,000 rows are ten ports of 100), and one container holding 500 entities (the
 * `dossier-large` workload: seizures, scans, declarations with their importers, its investigation). Every row copies the label of the story container MSCU1234566's rows
 * (the dossier the NL-POLICE investigator on the case is released), so Pactum releases every row
 * bare returns and the probes compare equal data.
 */
import path from 'node:path';
import Database from 'better-sqlite3';
import { loadSubgraphRegistry } from '@pactum/schema';
import { containerCheckDigit } from '@pactum/subgraph-kit';

/** Ten ports no demo-world row uses, 100 bench seizures each. */
export const BENCH_PORTS = ['NLVLI', 'NLAMS', 'NLMOE', 'BEZEE', 'BEGNE', 'DEHAM', 'DEBRV', 'FRDKK', 'FRMRS', 'ITGOA'] as const;
/** Seizures per bench port: the largest page `seizures(first:)` returns. */
export const ROWS_PER_PORT = 100;
/** The container of `dossier-large`, and how much it holds. */
export const LARGE_DOSSIER_CONTAINER = containerNumber('BNCU', 999_999);
export const LARGE_DOSSIER = { seizures: 200, scans: 200, declarations: 100 } as const;

/** The story container whose labels every bench row copies. */
const LABEL_FROM = 'MSCU1234566';
/** The investigation the large dossier's container is linked to (the one its principal is on). */
const LINKED_INVESTIGATION = { agency: 'NL-POLICE', localId: 'NL-ONB-2024-0456' } as const;

/** A valid ISO 6346 number: owner code + serial + its check digit. */
export function containerNumber(owner: string, serial: number): string {
  const first10 = `${owner}${String(serial).padStart(6, '0')}`;
  return `${first10}${containerCheckDigit(first10)}`;
}

/** The container of the i-th bench seizure (0-based). */
export function listContainer(i: number): string {
  return containerNumber('BNCU', i + 1);
}

const LABEL = 'owner, handling, handling_note, releasable_to, case_refs, europol_support, label_origin';

/** The store of the subgraph `agency` owns (the registry names it: no second list of subgraphs here). */
function open(dataDir: string, agency: string): Database.Database {
  const owned = loadSubgraphRegistry().subgraphs.find((s) => s.agency === agency);
  if (!owned) throw new Error(`bench seed: no subgraph of ${agency} in the registry`);
  const db = new Database(path.join(dataDir, `${owned.name}.sqlite`), { fileMustExist: true });
  db.pragma('busy_timeout = 10000');
  return db;
}

function iso(minutesBefore: number): string {
  return new Date(Date.UTC(2025, 5, 30, 12, 0, 0) - minutesBefore * 60_000).toISOString().replace('.000Z', 'Z');
}

/** Adds the bench rows to the Customs and Police stores in `dataDir`; fails if a store is missing or was seeded before. */
export function seedBenchRows(dataDir: string): void {
  const customs = open(dataDir, 'NL-CUSTOMS');
  try {
    const already = customs.prepare('SELECT count(*) AS n FROM containers WHERE number = ?').get(LARGE_DOSSIER_CONTAINER) as { n: number };
    if (already.n > 0) throw new Error(`bench rows already in the NL-CUSTOMS store of ${dataDir}`);
    const container = customs.prepare(
      `INSERT INTO containers (number, owner_code, size_type, reefer, ${LABEL}) SELECT ?, 'BNC', size_type, reefer, ${LABEL} FROM containers WHERE number = ?`,
    );
    const seizure = customs.prepare(
      `INSERT INTO seizures (id, container_number, port, seized_at, substance, quantity_kg, ${LABEL})
       SELECT ?, ?, ?, ?, substance, ?, ${LABEL} FROM seizures WHERE container_number = ? ORDER BY id LIMIT 1`,
    );
    const scan = customs.prepare(
      `INSERT INTO scans (id, container_number, scanned_at, port, result, ${LABEL}) SELECT ?, ?, ?, port, result, ${LABEL} FROM scans WHERE container_number = ? ORDER BY id LIMIT 1`,
    );
    const declaration = customs.prepare(
      `INSERT INTO declarations (id, container_number, mrn, importer_euid, goods_description, hs_code, origin, destination, lodged_at, ${LABEL})
       SELECT ?, ?, ?, importer_euid, goods_description, hs_code, origin, destination, ?, ${LABEL} FROM declarations WHERE container_number = ? ORDER BY id LIMIT 1`,
    );
    // The story container's own port calls only: another voyage's calls carry labels of their own.
    const portCalls = customs.prepare('SELECT port_call_id FROM container_port_calls WHERE container_number = ?').all(LABEL_FROM) as { port_call_id: string }[];
    const callLink = customs.prepare('INSERT OR IGNORE INTO container_port_calls (container_number, port_call_id) VALUES (?, ?)');
    const checked = (info: Database.RunResult, what: string): void => {
      if (info.changes !== 1) throw new Error(`bench seed: ${what}: no ${LABEL_FROM} row to copy the label from`);
    };
    customs.transaction(() => {
      BENCH_PORTS.forEach((port, p) => {
        for (let r = 0; r < ROWS_PER_PORT; r++) {
          const i = p * ROWS_PER_PORT + r;
          const number = listContainer(i);
          checked(container.run(number, LABEL_FROM), 'container');
          checked(seizure.run(`BENCH-SZ-${String(i).padStart(4, '0')}`, number, port, iso(r), 100 + r / 10, LABEL_FROM), 'seizure');
        }
      });
      const big = LARGE_DOSSIER_CONTAINER;
      checked(container.run(big, LABEL_FROM), 'container');
      for (let i = 0; i < LARGE_DOSSIER.seizures; i++) checked(seizure.run(`BENCH-DZ-${String(i).padStart(4, '0')}`, big, 'NLRTM', iso(i), 10 + i, LABEL_FROM), 'seizure');
      for (let i = 0; i < LARGE_DOSSIER.scans; i++) checked(scan.run(`BENCH-SC-${String(i).padStart(4, '0')}`, big, iso(i), LABEL_FROM), 'scan');
      for (let i = 0; i < LARGE_DOSSIER.declarations; i++) {
        checked(declaration.run(`BENCH-DC-${String(i).padStart(4, '0')}`, big, `25NLBENCH${String(i).padStart(9, '0')}`, iso(i), LABEL_FROM), 'declaration');
      }
      for (const { port_call_id } of portCalls) callLink.run(big, port_call_id);
    })();
  } finally {
    customs.close();
  }
  const police = open(dataDir, 'NL-POLICE');
  try {
    police.prepare('INSERT INTO investigation_containers (agency, local_id, container_number) VALUES (?, ?, ?)').run(LINKED_INVESTIGATION.agency, LINKED_INVESTIGATION.localId, LARGE_DOSSIER_CONTAINER);
  } finally {
    police.close();
  }
}
