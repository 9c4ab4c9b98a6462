/**
 * The SQLite append transaction — the one copy of the chain logic for this store, run by
 * the writer thread (`sqlite-writer-thread.ts`). Under `BEGIN IMMEDIATE` (the write lock
 * is taken before the head is read, so a second process writing the same file cannot
 * read the same head and fork the chain) it reads the chain head, links each record to
 * its predecessor (sealed, `chain/record-seal.ts`), inserts the record (content deflated here,
 * off the event loop) with its entity links and the entity index's (entity, second) rows it adds, adds the batch's counts to
 * the hour and minute aggregates, saves the head, and commits; with `synchronous=FULL` the commit returns after the fsync.
 *
 * Statements are prepared once per connection (a WeakMap keyed by the connection). Shape ids
 * are cached per connection once committed (shapes are never deleted); chain numbers and entity
 * ids too, and the entity index rows of the newest seconds, but only while no other connection
 * has committed since (`PRAGMA data_version`): retention, on the main connection, deletes
 * entities no record links to and the index rows no record backs any more.
 */
import type Database from 'better-sqlite3';
import type { AuditReceipt } from '../audit-event';
import { GENESIS_HASH } from '../chain/chain-hash';
import { dictionaryFor, packContent } from '../chain/content-codec';
import { entityCount, type EntityColumns } from '../chain/record-content';
import { chainRecord, shapeDigestOf } from '../chain/record-seal';
import { HOUR_MS, MINUTE_MS, StatTally, type StatRow } from '../chain/stat-rows';
import type { PreparedRecord } from './audit-store';
import { secondOf } from './filter-sql';
import type { ShapeRef } from './layout-rows';
import { POS_STRIDE } from './sqlite-schema';

/** Per record: its receipt, or the id that is already in the trail (nothing written for it). */
export type SqliteAppendOutcome = AuditReceipt | { readonly duplicate: string };

type AppendFn = (chain: string, records: readonly PreparedRecord[]) => SqliteAppendOutcome[];

const prepared = new WeakMap<Database.Database, AppendFn>();

/**
 * Appends `records` to `chain` in one IMMEDIATE transaction on `db` and returns once it
 * is committed. Throws (nothing written) on any database error.
 */
export function appendToSqliteChain(db: Database.Database, chain: string, records: readonly PreparedRecord[]): SqliteAppendOutcome[] {
  let p = prepared.get(db);
  if (!p) {
    p = prepareAppend(db);
    prepared.set(db, p);
  }
  return p(chain, records);
}

/** SQL adding a tally to an aggregate table (`n` etc. summed on conflict). */
export function upsertStatSql(table: string): string {
  return `INSERT INTO ${table} (bucket, agency, purpose, outcome, kind, reason, n, entities, field_denials, row_denials) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT (bucket, agency, purpose, outcome, kind, reason) DO UPDATE SET n = n + excluded.n, entities = entities + excluded.entities,
    field_denials = field_denials + excluded.field_denials, row_denials = row_denials + excluded.row_denials`;
}

/** Parameters of `upsertStatSql` for one row. */
export function statParams(r: StatRow): unknown[] {
  return [r.bucket, r.agency, r.purpose, r.outcome, r.kind, r.reason, r.n, r.entities, r.fieldDenials, r.rowDenials];
}

function prepareAppend(db: Database.Database): AppendFn {
  const insertRecord = db.prepare(
    `INSERT INTO audit_record (pos, id, time_ms, prev_hash, hash, agency, subject, purpose, case_ref, outcome, http_status, has_denial, shape, content, content_hash, denials)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const chainNo = db.prepare('SELECT chain_no FROM audit_chain WHERE chain = ?').pluck();
  const addChain = db.prepare('INSERT INTO audit_chain (chain_no, chain) VALUES ((SELECT COALESCE(MAX(chain_no), 0) + 1 FROM audit_chain), ?) RETURNING chain_no').pluck();
  const findEntity = db.prepare('SELECT eid FROM audit_entity WHERE type = ? AND key = ? AND owner = ?').pluck();
  const addEntity = db.prepare('INSERT INTO audit_entity (type, key, owner) VALUES (?, ?, ?) RETURNING eid').pluck();
  const link = db.prepare('INSERT INTO audit_entity_link (pos, eid, time_ms) VALUES (?, ?, ?)');
  // Many links in one call (a list query releases thousands): one statement instead of a call per row.
  const linkMany = db.prepare('INSERT INTO audit_entity_link (pos, eid, time_ms) SELECT ?, value, ? FROM json_each(?)');
  const indexSecond = db.prepare('INSERT OR IGNORE INTO audit_entity_second (eid, sec) VALUES (?, ?)');
  const indexSecondMany = db.prepare('INSERT OR IGNORE INTO audit_entity_second (eid, sec) SELECT value, ? FROM json_each(?)');
  const findShape = db.prepare('SELECT shape FROM audit_shape WHERE text = ?').pluck();
  const addShape = db.prepare('INSERT INTO audit_shape (text) VALUES (?) RETURNING shape').pluck();
  const exists = db.prepare('SELECT 1 FROM audit_record WHERE id = ?').pluck();
  const head = db.prepare('SELECT seq, hash FROM audit_head WHERE chain_no = ?');
  const saveHead = db.prepare(
    'INSERT INTO audit_head (chain_no, seq, hash, id) VALUES (?, ?, ?, ?) ON CONFLICT (chain_no) DO UPDATE SET seq = excluded.seq, hash = excluded.hash, id = excluded.id',
  );
  const hourly = db.prepare(upsertStatSql('audit_stat_hour'));
  const minutely = db.prepare(upsertStatSql('audit_stat_minute'));
  const shapes = new Map<string, ShapeRef>();
  let fresh: Array<[string, ShapeRef]> = [];
  // Chain numbers and entity ids seen in committed transactions, valid while no other
  // connection committed (PRAGMA data_version moves then: prune may have deleted entities).
  const dataVersion = db.prepare('PRAGMA data_version').pluck();
  let seenVersion: unknown = null;
  const chainNos = new Map<string, number>();
  // Entity ids by type and owner, then key: a record's entities come in columns of a few (type,
  // owner) pairs, so one lookup per pair and one per key, with no identity string per entity.
  const eids = new Map<string, Map<string, number>>();
  let eidsHeld = 0;
  let freshEids: Array<[Map<string, number>, string, number]> = [];
  let freshChain: [string, number] | null = null;
  // Entity index rows of the newest seconds: sec → eids. Rows of the transaction under way are
  // added as they are written; a rollback forgets them all (seenVersion reset, see below).
  const indexed = new Map<number, Set<number>>();
  const linkRecord = (pos: number, timeMs: number, ids: readonly number[]): void => {
    insertIds(ids, (eid) => link.run(pos, eid, timeMs), (json) => linkMany.run(pos, timeMs, json));
    const sec = secondOf(timeMs);
    let known = indexed.get(sec);
    if (!known) {
      known = new Set();
      indexed.set(sec, known);
    }
    const missing = ids.filter((eid) => !known.has(eid));
    if (missing.length === 0) return;
    insertIds(missing, (eid) => indexSecond.run(eid, sec), (json) => indexSecondMany.run(sec, json));
    for (const eid of missing) if (known.size < REMEMBERED_PER_SECOND) known.add(eid);
  };
  /** The eids of a record's entities, in column order; entities not yet in `audit_entity` are added. */
  const eidsOf = (c: EntityColumns): number[] => {
    const out = new Array<number>(entityCount(c));
    const pairs = new Map<number, Map<string, number>>();
    for (let i = 0; i < out.length; i++) {
      const t = c.type[i] as number;
      const o = c.owner[i] as number;
      const type = c.types[t] as string;
      const owner = c.owners[o] as string;
      const pairNo = t * c.owners.length + o;
      let known = pairs.get(pairNo);
      if (!known) {
        const pair = `${type.length}:${type}${owner}`;
        known = eids.get(pair);
        if (!known) eids.set(pair, (known = new Map()));
        pairs.set(pairNo, known);
      }
      const key = c.key[i] as string;
      let eid = known.get(key);
      if (eid === undefined) {
        eid = Number(findEntity.get(type, key, owner) ?? addEntity.get(type, key, owner));
        freshEids.push([known, key, eid]);
      }
      out[i] = eid;
    }
    return out;
  };

  const shapeOf = (text: string): ShapeRef => {
    const known = shapes.get(text) ?? fresh.find(([t]) => t === text)?.[1];
    if (known) return known;
    const id = Number(findShape.get(text) ?? addShape.get(text));
    const entry = { id, dictionary: dictionaryFor(text), digest: shapeDigestOf(text) };
    fresh.push([text, entry]);
    return entry;
  };

  const txn = db.transaction((chain: string, records: readonly PreparedRecord[]) => {
    const version = dataVersion.get();
    if (version !== seenVersion) {
      chainNos.clear();
      eids.clear();
      eidsHeld = 0;
      indexed.clear();
      seenVersion = version;
    }
    const no = chainNos.get(chain) ?? Number(chainNo.get(chain) ?? addChain.get(chain));
    freshChain = [chain, no];
    if (!Number.isSafeInteger(no * POS_STRIDE)) throw new Error(`too many chains in one audit file (chain ${chain} would be number ${no})`);
    const h = head.get(no) as { seq: number; hash: string } | undefined;
    let seq = h?.seq ?? 0;
    let prev = h?.hash ?? GENESIS_HASH;
    let last: AuditReceipt | null = null;
    const seen = new Set<string>();
    const out: SqliteAppendOutcome[] = [];
    const hours = new StatTally(HOUR_MS);
    const minutes = new StatTally(MINUTE_MS);
    for (const r of records) {
      if (seen.has(r.id) || exists.get(r.id) !== undefined) {
        out.push({ duplicate: r.id });
        continue;
      }
      seen.add(r.id);
      seq += 1;
      if (seq >= POS_STRIDE) throw new Error(`chain ${chain} is full (${POS_STRIDE - 1} records)`);
      const x = r.index;
      const shape = shapeOf(r.shape);
      const pos = no * POS_STRIDE + seq;
      const stored = packContent(r.content, shape.dictionary);
      const { hash, contentHash, denials } = chainRecord(r, prev, seq, shape.digest, stored);
      insertRecord.run(
        pos, r.id, x.timeMs, Buffer.from(prev, 'hex'), Buffer.from(hash, 'hex'), x.agency, x.subject, x.purpose, x.caseRef, x.outcome, x.httpStatus, x.hasDenial,
        shape.id, stored, contentHash, denials,
      );
      if (entityCount(x.entities) > 0) linkRecord(pos, x.timeMs, eidsOf(x.entities));
      hours.add(x);
      minutes.add(x);
      prev = hash;
      last = { id: r.id, chain, seq, hash };
      out.push(last);
    }
    for (const row of hours.rows.values()) hourly.run(...statParams(row));
    for (const row of minutes.rows.values()) minutely.run(...statParams(row));
    if (last) saveHead.run(no, last.seq, last.hash, last.id);
    return out;
  });

  // Shapes learnt in a transaction are kept only once it committed.
  return (chain, records) => {
    fresh = [];
    freshEids = [];
    freshChain = null;
    let out: SqliteAppendOutcome[];
    try {
      out = txn.immediate(chain, records);
    } catch (error) {
      seenVersion = null; // rolled back: what this transaction learnt is not in the file
      throw error;
    }
    for (const [text, entry] of fresh) shapes.set(text, entry);
    if (eidsHeld > 100_000) {
      eids.clear();
      eidsHeld = 0;
    }
    for (const [known, key, eid] of freshEids) {
      known.set(key, eid);
      eidsHeld += 1;
    }
    forgetOldSeconds(indexed);
    // (Set by the transaction function: TypeScript cannot see that call.)
    const learnt = freshChain as [string, number] | null;
    if (learnt) chainNos.set(learnt[0], learnt[1]);
    fresh = [];
    freshEids = [];
    return out;
  };
}

/** Runs `one` per id for a few ids, else `many` once with the ids as a JSON array (for `json_each`). */
function insertIds(ids: readonly number[], one: (eid: number) => unknown, many: (json: string) => unknown): void {
  if (ids.length <= 4) for (const eid of ids) one(eid);
  else many(JSON.stringify(ids));
}

/** Seconds of entity index rows remembered (the newest; records arrive in about time order). */
const REMEMBERED_SECONDS = 4;

/** At most this many entities remembered per second (past it, `INSERT OR IGNORE` finds the rest). */
const REMEMBERED_PER_SECOND = 65_536;

/** Keeps the entity index rows of the newest `REMEMBERED_SECONDS` seconds only. */
function forgetOldSeconds(indexed: Map<number, Set<number>>): void {
  if (indexed.size <= REMEMBERED_SECONDS) return;
  const keep = new Set([...indexed.keys()].sort((a, b) => b - a).slice(0, REMEMBERED_SECONDS));
  for (const sec of [...indexed.keys()]) if (!keep.has(sec)) indexed.delete(sec);
}
