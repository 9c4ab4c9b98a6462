/**
 * `pactum audit migrate`: copies a trail of layout 1 (one row per record with its canonical text,
 * hex hashes, and entity/denial index tables keyed by the record id) into a new, empty trail of
 * the current layout, chain by chain and seq by seq, through the new store's own batch append. The hashed
 * text did not change and the records are copied unsealed (chained by layout 1's formula, see
 * `chain/record-seal.ts`), so every record keeps its hash: anchors noted earlier and the signed
 * checkpoints (copied as they are) still hold; records appended after them are sealed.
 *
 * It never launders damage: each record's text must hash to its stored content hash, the
 * re-computed link hash must equal the stored one, seqs must follow, and each chain must end at
 * its anchor; otherwise nothing more is copied and the call rejects naming the record (run
 * `pactum audit verify` on the old trail with the old gateway to see the whole story) and a new
 * SQLite file is removed again. The old
 * index tables are not read: the new ones are derived from the verified text. The source is
 * only read.
 */
import { rmSync } from 'node:fs';
import Database from 'better-sqlite3';
import { Client } from 'pg';
import { AuditUnavailableError } from '../errors';
import { contentHashOf, GENESIS_HASH } from './chain/chain-hash';
import { shapeTextOf } from './chain/content-codec';
import { decodeContent, deriveIndexRows } from './chain/record-content';
import type { AuditStore, ChainHead, PreparedRecord, StoredCheckpoint } from './stores/audit-store';
import { toCheckpoint } from './stores/checkpoint-rows';
import { SCHEMA_NAME_PATTERN } from './stores/postgres-schema';
import { openPostgresStore } from './stores/postgres-store';
import { openSqliteStore } from './stores/sqlite-store';
import { layoutOf } from './stores/sqlite-schema';

/** One record of a layout-1 trail, as stored. */
export interface LegacyRow {
  readonly id: string;
  readonly seq: number;
  readonly prevHash: string;
  readonly contentHash: string;
  readonly hash: string;
  readonly content: string;
}

/** A layout-1 trail, read only. */
export interface LegacyTrail {
  readonly location: string;
  chains(): Promise<string[]>;
  heads(): Promise<ChainHead[]>;
  /** Up to `limit` rows of `chain` with seq > `afterSeq`, in seq order. */
  rows(chain: string, afterSeq: number, limit: number): Promise<LegacyRow[]>;
  checkpoints(): Promise<StoredCheckpoint[]>;
  close(): Promise<void>;
}

const ROW_COLUMNS = 'id, seq, prev_hash, content_hash, hash, content';

function toLegacy(r: Record<string, unknown>): LegacyRow {
  return { id: String(r.id), seq: Number(r.seq), prevHash: String(r.prev_hash), contentHash: String(r.content_hash), hash: String(r.hash), content: String(r.content) };
}

/** Opens a layout-1 SQLite file read-only; refuses a file of another layout. */
export function openLegacySqlite(file: string): LegacyTrail {
  let db: Database.Database;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
  } catch (error) {
    throw new AuditUnavailableError('store_unavailable', `cannot open ${file}: ${error instanceof Error ? error.message : String(error)}`);
  }
  const layout = layoutOf(db);
  if (layout !== 1) {
    db.close();
    throw new AuditUnavailableError('trail_layout', `${file} is not a trail of layout 1 (found layout ${layout}): nothing to migrate`);
  }
  const rows = db.prepare(`SELECT ${ROW_COLUMNS} FROM audit_record WHERE chain = ? AND seq > ? ORDER BY seq LIMIT ?`);
  return {
    location: file,
    chains: async () => (db.prepare('SELECT chain FROM audit_head UNION SELECT DISTINCT chain FROM audit_record ORDER BY 1').pluck().all() as string[]).map(String),
    heads: async () => db.prepare('SELECT chain, seq, hash, id FROM audit_head ORDER BY chain').all() as ChainHead[],
    rows: async (chain, afterSeq, limit) => (rows.all(chain, afterSeq, limit) as Record<string, unknown>[]).map(toLegacy),
    checkpoints: async () => (db.prepare('SELECT chain, seq, hash, id, kind, pruned_through, signed_at_ms, kid, jws FROM audit_checkpoint ORDER BY pos').all() as Record<string, unknown>[]).map(toCheckpoint),
    close: async () => {
      db.close();
    },
  };
}

/** Opens a layout-1 PostgreSQL schema for reading; refuses a schema of another layout. */
export async function openLegacyPostgres(url: string, schema: string): Promise<LegacyTrail> {
  if (!SCHEMA_NAME_PATTERN.test(schema)) throw new AuditUnavailableError('invalid_config', `audit schema "${schema}" must match ${SCHEMA_NAME_PATTERN}`);
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
  } catch (error) {
    throw new AuditUnavailableError('store_unavailable', `cannot connect to ${schema}: ${error instanceof Error ? error.message : String(error)}`);
  }
  const s = `"${schema}"`;
  const found = await client.query('SELECT to_regclass($1) IS NOT NULL AS old, to_regclass($2) IS NOT NULL AS new', [`${s}.audit_record`, `${s}.audit_chain`]);
  const { old, new: fresh } = found.rows[0] as { old: boolean; new: boolean };
  if (!old || fresh) {
    await client.end();
    throw new AuditUnavailableError('trail_layout', `schema ${schema} is not a trail of layout 1: nothing to migrate`);
  }
  return {
    location: `schema ${schema}`,
    chains: async () => (await client.query(`SELECT chain FROM ${s}.audit_head UNION SELECT DISTINCT chain FROM ${s}.audit_record ORDER BY 1`)).rows.map((r: { chain: string }) => r.chain),
    heads: async () =>
      (await client.query(`SELECT chain, seq, hash, id FROM ${s}.audit_head ORDER BY chain`)).rows.map((r: Record<string, unknown>) => ({ chain: String(r.chain), seq: Number(r.seq), hash: String(r.hash), id: String(r.id) })),
    rows: async (chain, afterSeq, limit) => (await client.query(`SELECT ${ROW_COLUMNS} FROM ${s}.audit_record WHERE chain = $1 AND seq > $2 ORDER BY seq LIMIT $3`, [chain, afterSeq, limit])).rows.map(toLegacy),
    checkpoints: async () =>
      (await client.query(`SELECT chain, seq, hash, id, kind, pruned_through, signed_at_ms, kid, jws FROM ${s}.audit_checkpoint ORDER BY pos`)).rows.map(toCheckpoint),
    close: async () => client.end(),
  };
}

/** What was copied, per chain. */
export interface MigratedChain {
  readonly chain: string;
  readonly records: number;
  /** First seq copied (above 1 when retention had pruned the start). */
  readonly fromSeq: number;
  readonly head: { readonly seq: number; readonly hash: string } | null;
}

/** The result of a migration. */
export interface MigrationResult {
  readonly chains: readonly MigratedChain[];
  readonly checkpoints: number;
}

const BATCH = 2000;

function refuse(message: string): never {
  throw new AuditUnavailableError('migrate_refused', `${message}; nothing more was copied`);
}

/** Copies `source` into the empty `target`; see the file comment. */
export async function migrateTrail(source: LegacyTrail, target: AuditStore, progress: (chain: string, copied: number) => void = () => undefined): Promise<MigrationResult> {
  if ((await target.chains()).length > 0 || (await target.checkpoints()).length > 0) {
    throw new AuditUnavailableError('migrate_refused', `the target trail ${target.location} is not empty: migrate into a new file or schema`);
  }
  const heads = new Map((await source.heads()).map((h) => [h.chain, h]));
  const checkpoints = await source.checkpoints();
  const out: MigratedChain[] = [];
  for (const chain of await source.chains()) {
    const head = heads.get(chain);
    let prev: { seq: number; hash: string; id: string } | null = null;
    let fromSeq = 0;
    let records = 0;
    for (;;) {
      const page = await source.rows(chain, prev?.seq ?? 0, BATCH);
      if (page.length === 0) break;
      const batch: PreparedRecord[] = [];
      for (const row of page) {
        const at = `chain ${chain} record ${row.seq} (${row.id})`;
        if (prev === null) {
          fromSeq = row.seq;
          if (row.seq === 1 && row.prevHash !== GENESIS_HASH) refuse(`${at} is first but not chained to the genesis hash`);
          // A chain retention pruned starts after its last deleted record (a signed retention checkpoint vouches for it).
          if (row.seq > 1) await target.adoptChainStart(chain, row.seq - 1, row.prevHash, checkpoints.find((c) => c.chain === chain && c.seq === row.seq - 1)?.id ?? '');
        } else if (row.seq !== prev.seq + 1 || row.prevHash !== prev.hash) {
          refuse(`${at} does not follow record ${prev.seq}`);
        }
        if (contentHashOf(row.content) !== row.contentHash) refuse(`${at}: its content does not match its content hash`);
        let prepared: PreparedRecord;
        try {
          const event = decodeContent(row.content);
          if (event.id !== row.id) refuse(`${at}: its content names another id (${event.id})`);
          prepared = { id: row.id, content: row.content, contentHash: row.contentHash, shape: shapeTextOf(event), index: deriveIndexRows(event), unsealed: true };
        } catch (error) {
          if (error instanceof AuditUnavailableError) throw error;
          refuse(`${at}: its content is unreadable (${error instanceof Error ? error.message : String(error)})`);
        }
        batch.push(prepared);
        prev = { seq: row.seq, hash: row.hash, id: row.id };
      }
      const receipts = await target.appendBatch(chain, batch);
      receipts.forEach((r, i) => {
        const row = page[i] as LegacyRow;
        if (r instanceof Error) refuse(`chain ${chain} record ${row.seq} (${row.id}): ${r.message}`);
        if (r.seq !== row.seq || r.hash !== row.hash) refuse(`chain ${chain} record ${row.seq} (${row.id}): its stored hash is not sha256(prevHash || contentHash || seq)`);
      });
      records += page.length;
      progress(chain, records);
    }
    if (prev === null && head && head.seq > 0) {
      // Every record pruned: the chain is its anchor (and the retention checkpoint that vouches for it).
      await target.adoptChainStart(chain, head.seq, head.hash, head.id);
      prev = { seq: head.seq, hash: head.hash, id: head.id };
      fromSeq = head.seq + 1;
    }
    if (head && head.seq > 0 && (prev === null || head.seq !== prev.seq || head.hash !== prev.hash)) {
      refuse(`chain ${chain}: its anchor (seq ${head.seq}) is not its last record (seq ${prev?.seq ?? 0})`);
    }
    out.push({ chain, records, fromSeq, head: prev ? { seq: prev.seq, hash: prev.hash } : null });
  }
  for (const cp of checkpoints) await target.saveCheckpoint(cp);
  return { chains: out, checkpoints: checkpoints.length };
}

/** Where `migrate` reads and writes. */
export interface MigrateConfig {
  readonly from: { readonly file: string } | { readonly url: string; readonly schema: string };
  readonly to: { readonly file: string } | { readonly url: string; readonly schema: string };
}

/** Opens both trails, migrates, closes them; resolves with what was copied and where. */
export async function migrateLayout(config: MigrateConfig): Promise<MigrationResult & { readonly from: string; readonly to: string }> {
  let source: LegacyTrail | undefined;
  let target: AuditStore | undefined;
  try {
    source = 'file' in config.from ? openLegacySqlite(config.from.file) : await openLegacyPostgres(config.from.url, config.from.schema);
    target = 'file' in config.to ? await openSqliteStore({ file: config.to.file }) : await openPostgresStore({ url: config.to.url, schema: config.to.schema, queryTimeoutMs: 600_000 });
    return { ...(await migrateTrail(source, target)), from: source.location, to: target.location };
  } catch (error) {
    // A half-copied trail must not be mistaken for the migrated one: the new file goes; a new
    // schema is left for its owner to drop (this command may not have the right to).
    await target?.close().catch(() => undefined);
    target = undefined;
    if ('file' in config.to) for (const suffix of ['', '-wal', '-shm']) rmSync(`${config.to.file}${suffix}`, { force: true });
    else if (error instanceof Error) error.message += ` (drop schema ${config.to.schema} before migrating again)`;
    throw error;
  } finally {
    await source?.close().catch(() => undefined);
    await target?.close().catch(() => undefined);
  }
}
