/**
 * The store for several gateway replicas sharing one trail. Each replica appends to its
 * own chain (chain id = replica id); a batch locks that chain's head row
 * (`SELECT … FOR UPDATE`), so even two processes configured with the same replica id
 * serialise instead of forking the chain, while different replicas commit in parallel.
 * Commits use `synchronous_commit = on` whatever the server default, so a resolved
 * append is on the primary's disk.
 *
 * Every call has a deadline (connect and query timeouts); a broken connection is
 * destroyed, not returned to the pool, so the next batch reconnects by itself.
 */
import { Pool, type PoolClient } from 'pg';
import { AuditUnavailableError } from '../../errors';
import type { AuditReceipt } from '../audit-event';
import type { AuditFilter, AuditStats, AuditStatsFilter } from '../audit-filter';
import { GENESIS_HASH } from '../chain/chain-hash';
import { dictionaryFor, packContent } from '../chain/content-codec';
import { PRUNE_PAGE_RECORDS } from '../chain/page-size';
import { entityIdentity, entityRowsOf, type EntityRow } from '../chain/record-content';
import { chainRecord, shapeDigestOf } from '../chain/record-seal';
import { HOUR_MS, MINUTE_MS, StatTally, type StatRow } from '../chain/stat-rows';
import type { AuditStore, ChainHead, ChainWalkMemo, PreparedRecord, StatTable, StoreLocation, StoredCheckpoint, StoredRow } from './audit-store';
import { CHECKPOINT_COLUMNS, checkpointParams, toCheckpoint } from './checkpoint-rows';
import { chainPageColumns, edgeRecordsSql, entityIdsSql, entityPage, runEntityPageAsync, linkIndexedSql, queryPageSql, RECORD_COLUMNS, recordRowOf, secondOf, secondOfSql, SECOND_MS, statSumSql, toStatRow, type AuditTables, type Bind, type LinkedEntity } from './filter-sql';
import { computeStats, ShapeBook, toStoredRow, untallyRecords, type ShapeRef } from './layout-rows';
import { checkpointTable, layoutObjects, schemaStatements, SCHEMA_NAME_PATTERN, SEAL_COLUMNS, tablesIn } from './postgres-schema';
import { POS_STRIDE } from './sqlite-schema';

/** Options of the PostgreSQL store. */
export interface PostgresStoreOptions {
  /** `postgres://user@host:port/db`. */
  readonly url: string;
  /** Schema holding the tables (default `pactum_audit`). */
  readonly schema?: string;
  /** Connect deadline in ms (default 2000). */
  readonly connectTimeoutMs?: number;
  /** Per-statement deadline in ms (default 5000). */
  readonly queryTimeoutMs?: number;
  /** Pool size (default 4: one writer plus readers). */
  readonly poolSize?: number;
  /** `application_name` of the connections, shown in pg_stat_activity (default `pactum-audit`). */
  readonly applicationName?: string;
}

/** Opens the PostgreSQL store, creating its schema; rejects with `AuditUnavailableError` if unreachable. */
export async function openPostgresStore(options: PostgresStoreOptions): Promise<AuditStore> {
  const schema = options.schema ?? 'pactum_audit';
  if (!SCHEMA_NAME_PATTERN.test(schema)) {
    throw new AuditUnavailableError('invalid_config', `audit schema "${schema}" must match ${SCHEMA_NAME_PATTERN}`);
  }
  const queryTimeout = options.queryTimeoutMs ?? 5000;
  const pool = new Pool({
    connectionString: options.url,
    max: options.poolSize ?? 4,
    connectionTimeoutMillis: options.connectTimeoutMs ?? 2000,
    query_timeout: queryTimeout,
    statement_timeout: queryTimeout,
    idleTimeoutMillis: 30_000,
    keepAlive: true,
    application_name: (options.applicationName ?? 'pactum-audit').slice(0, 63),
    // No JIT: every statement here is short (an index scan, a page, an aggregate sum), and the
    // planner's cost of a page of `query --entity` (a join of 64 seconds, each cut at 500 rows)
    // passes jit_above_cost, where compiling took ~7 ms of a 2 ms query. An `options` in the URL wins.
    options: '-c jit=off',
  });
  // An idle client whose server went away emits 'error'; the pool drops it. Without a
  // listener that event would crash the gateway.
  pool.on('error', () => undefined);
  const store = new PostgresStore(pool, schema, redact(options.url), {
    kind: 'postgres',
    url: options.url,
    schema,
    connectTimeoutMs: options.connectTimeoutMs ?? 2000,
    queryTimeoutMs: queryTimeout,
  });
  try {
    await store.transaction(async (c) => {
      const present = async () => {
        const r = await c.query(
          `SELECT bool_and(to_regclass(o) IS NOT NULL) AND (SELECT COUNT(*) FROM information_schema.columns WHERE table_schema = $4 AND table_name = 'audit_record' AND column_name = ANY($5::text[])) = cardinality($5::text[]) AS complete,
             to_regclass($2) IS NOT NULL AS old, to_regclass($3) IS NOT NULL AS new FROM unnest($1::text[]) AS o`,
          [layoutObjects(schema), `"${schema}".audit_record`, `"${schema}".audit_chain`, schema, SEAL_COLUMNS.map(([name]) => name)],
        );
        return r.rows[0] as { complete: boolean | null; old: boolean; new: boolean };
      };
      const before = await present();
      if (before.complete === true) return;
      await c.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`pactum-audit-schema:${schema}`]);
      const locked = await present();
      if (locked.old && !locked.new) {
        throw new AuditUnavailableError(
          'trail_layout',
          `audit schema "${schema}" holds trail layout 1; this gateway reads layout 4. Copy it with \`pactum audit migrate --from-url <url> --from-schema ${schema} --url <url> --schema <new schema>\` (hashes, chains and checkpoints are kept) and point PACTUM_AUDIT_SCHEMA at the new schema`,
        );
      }
      if (locked.complete === true) return;
      for (const sql of schemaStatements(schema)) await c.query(sql);
    }, 'create schema');
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw error;
  }
  return store;
}

class PostgresStore implements AuditStore {
  readonly kind = 'postgres';
  private readonly t: AuditTables;
  private readonly cp: string;
  private names: Map<number, string> | null = null;
  /** Shapes this process wrote (committed): text → id and dictionary. */
  private readonly writeShapes = new Map<string, ShapeRef>();
  private shapeRows: readonly Record<string, unknown>[] = [];
  private readonly shapes = new ShapeBook(() => this.shapeRows);

  constructor(
    private readonly pool: Pool,
    schema: string,
    readonly location: string,
    readonly reopen: StoreLocation,
  ) {
    this.t = tablesIn(schema);
    this.cp = checkpointTable(schema);
  }

  /** Runs `work` in a transaction; any failure rolls back, destroys the connection and becomes `AuditUnavailableError`. */
  async transaction<R>(work: (c: PoolClient) => Promise<R>, what: string): Promise<R> {
    let client: PoolClient;
    try {
      client = await this.pool.connect();
    } catch (error) {
      throw unavailable(`cannot connect to audit database ${this.location}`, error);
    }
    // A checked-out client whose socket dies emits 'error' besides failing its query;
    // unheard, that event would crash the process.
    const ignore = () => undefined;
    client.on('error', ignore);
    try {
      await client.query('BEGIN');
      const result = await work(client);
      await client.query('COMMIT');
      client.off('error', ignore);
      client.release();
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      client.release(true);
      if (error instanceof AuditUnavailableError) throw error;
      throw unavailable(`audit database ${this.location}: ${what} failed`, error);
    }
  }

  private async read(sql: string, params: unknown[], what: string): Promise<Record<string, unknown>[]> {
    try {
      return (await this.pool.query(sql, params)).rows as Record<string, unknown>[];
    } catch (error) {
      throw unavailable(`audit database ${this.location}: ${what} failed`, error);
    }
  }

  /** `read` with rows as arrays, in the select list's order (no object with named fields per row: verify reads thousands a page). */
  private async readRaw(sql: string, params: unknown[], what: string): Promise<unknown[][]> {
    try {
      return (await this.pool.query({ text: sql, values: params, rowMode: 'array' })).rows as unknown[][];
    } catch (error) {
      throw unavailable(`audit database ${this.location}: ${what} failed`, error);
    }
  }

  async appendBatch(chain: string, records: readonly PreparedRecord[]): Promise<Array<AuditReceipt | Error>> {
    const t = this.t;
    const learnt: Array<[string, ShapeRef]> = [];
    const out = await this.transaction(async (c) => {
      await c.query('SET LOCAL synchronous_commit = on');
      const no = await this.chainNoForWrite(c, chain);
      await c.query(`INSERT INTO ${t.head} (chain_no, seq, hash, id) VALUES ($1, 0, $2, '') ON CONFLICT (chain_no) DO NOTHING`, [no, GENESIS_HASH]);
      const head = (await c.query(`SELECT seq, hash FROM ${t.head} WHERE chain_no = $1 FOR UPDATE`, [no])).rows[0] as { seq: string; hash: string } | undefined;
      if (!head) throw new Error(`head of chain ${chain} vanished`);
      const existing = new Set(
        (await c.query(`SELECT id FROM ${t.record} WHERE id = ANY($1::text[])`, [records.map((r) => r.id)])).rows.map((r: { id: string }) => r.id),
      );
      let seq = Number(head.seq);
      let prev = head.hash;
      // Receipts in input order, a duplicate's error in its place; the others are filled in as chained below.
      const result: Array<AuditReceipt | Error | null> = [];
      const kept: Array<{ r: PreparedRecord; at: number }> = [];
      for (const r of records) {
        if (existing.has(r.id)) {
          result.push(duplicate(r.id));
          continue;
        }
        existing.add(r.id);
        kept.push({ r, at: result.length });
        result.push(null);
      }
      if (kept.length === 0) return result as Array<AuditReceipt | Error>;
      const shapes = await this.shapeIds(c, [...new Set(kept.map((k) => k.r.shape))], learnt);
      const entities = kept.map((k) => entityRowsOf(k.r.index.entities));
      const eids = await this.entityIds(c, entities.flat());
      const cols: unknown[][] = Array.from({ length: 16 }, () => []);
      const links: unknown[][] = [[], [], []];
      const seconds = new Map<string, [number, number]>();
      const hours = new StatTally(HOUR_MS);
      const minutes = new StatTally(MINUTE_MS);
      let last: AuditReceipt | null = null;
      for (const [i, { r, at }] of kept.entries()) {
        const x = r.index;
        const shape = shapes.get(r.shape);
        if (!shape) throw new Error('shape id missing');
        seq += 1;
        const pos = no * POS_STRIDE + seq;
        const stored = packContent(r.content, shape.dictionary);
        const { hash, contentHash, denials } = chainRecord(r, prev, seq, shape.digest, stored);
        const row = [pos, r.id, x.timeMs, Buffer.from(prev, 'hex'), Buffer.from(hash, 'hex'), x.agency, x.subject, x.purpose, x.caseRef, x.outcome, x.httpStatus, x.hasDenial, shape.id, stored, contentHash, denials];
        row.forEach((v, i) => cols[i]?.push(v));
        prev = hash;
        last = { id: r.id, chain, seq, hash };
        result[at] = last;
        const sec = secondOf(x.timeMs);
        for (const e of entities[i] ?? []) {
          const eid = eids.get(entityIdentity(e)) as number;
          links[0]?.push(pos);
          links[1]?.push(eid);
          links[2]?.push(x.timeMs);
          seconds.set(`${eid}:${sec}`, [eid, sec]);
        }
        hours.add(x);
        minutes.add(x);
      }
      await c.query(
        `INSERT INTO ${t.record} (pos, id, time_ms, prev_hash, hash, agency, subject, purpose, case_ref, outcome, http_status, has_denial, shape, content, content_hash, denials)
         SELECT * FROM unnest($1::bigint[], $2::text[], $3::bigint[], $4::bytea[], $5::bytea[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::smallint[], $12::smallint[], $13::int[], $14::bytea[], $15::bytea[], $16::text[])`,
        cols,
      );
      if (links[0]?.length) {
        await c.query(`INSERT INTO ${t.link} (pos, eid, time_ms) SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::bigint[])`, links);
        // In key order: two writers adding the same rows in different orders could deadlock.
        const pairs = [...seconds.values()];
        await c.query(`INSERT INTO ${t.entitySecond} (eid, sec) SELECT * FROM unnest($1::bigint[], $2::bigint[]) ORDER BY 1, 2 ON CONFLICT DO NOTHING`, [pairs.map((p) => p[0]), pairs.map((p) => p[1])]);
      }
      await upsertStats(c, t.statHour, [...hours.rows.values()]);
      await upsertStats(c, t.statMinute, [...minutes.rows.values()]);
      await c.query(`UPDATE ${t.head} SET seq = $2, hash = $3, id = $4 WHERE chain_no = $1`, [no, last?.seq, last?.hash, last?.id]);
      return result as Array<AuditReceipt | Error>;
    }, 'append');
    for (const [text, entry] of learnt) this.writeShapes.set(text, entry);
    return out;
  }

  /** This chain's number, registering the chain (under an advisory lock: numbers are max + 1) the first time. */
  private async chainNoForWrite(c: PoolClient, chain: string): Promise<number> {
    const find = async () => (await c.query(`SELECT chain_no FROM ${this.t.chain} WHERE chain = $1`, [chain])).rows[0] as { chain_no: number } | undefined;
    const found = await find();
    if (found) return Number(found.chain_no);
    await c.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`pactum-audit-chain:${this.t.chain}`]);
    await c.query(`INSERT INTO ${this.t.chain} (chain_no, chain) SELECT COALESCE(MAX(chain_no), 0) + 1, $1 FROM ${this.t.chain} ON CONFLICT (chain) DO NOTHING`, [chain]);
    const made = await find();
    if (!made) throw new Error(`cannot register chain ${chain}`);
    if (!Number.isSafeInteger(Number(made.chain_no) * POS_STRIDE)) throw new Error(`too many chains (chain ${chain} would be number ${made.chain_no})`);
    return Number(made.chain_no);
  }

  /** Shape text → id, dictionary and digest; new shapes are inserted and reported in `learnt` (cached once committed). */
  private async shapeIds(c: PoolClient, texts: string[], learnt: Array<[string, ShapeRef]>): Promise<Map<string, ShapeRef>> {
    const out = new Map<string, ShapeRef>();
    for (const text of texts) {
      const known = this.writeShapes.get(text);
      if (known) {
        out.set(text, known);
        continue;
      }
      const digest = shapeDigestOf(text);
      await c.query(`INSERT INTO ${this.t.shape} (digest, text) VALUES ($1, $2) ON CONFLICT (digest) DO NOTHING`, [digest, text]);
      const row = (await c.query(`SELECT shape, text FROM ${this.t.shape} WHERE digest = $1`, [digest])).rows[0] as { shape: number; text: string } | undefined;
      if (!row || row.text !== text) throw new Error('shape table does not hold the shape just stored');
      const entry = { id: Number(row.shape), dictionary: dictionaryFor(text), digest };
      out.set(text, entry);
      learnt.push([text, entry]);
    }
    return out;
  }

  /** Entity → eid for every entity of the batch, inserting those not yet known. */
  private async entityIds(c: PoolClient, entities: readonly EntityRow[]): Promise<Map<string, number>> {
    const unique = new Map(entities.map((e) => [entityIdentity(e), e]));
    const out = new Map<string, number>();
    if (unique.size === 0) return out;
    const cols = [[...unique.values()].map((e) => e.type), [...unique.values()].map((e) => e.key), [...unique.values()].map((e) => e.owner)];
    await c.query(`INSERT INTO ${this.t.entity} (type, key, owner) SELECT * FROM unnest($1::text[], $2::text[], $3::text[]) ORDER BY 1, 2, 3 ON CONFLICT (type, key, owner) DO NOTHING`, cols);
    const rows = (
      await c.query(
        `SELECT e.eid, e.type, e.key, e.owner FROM ${this.t.entity} e JOIN unnest($1::text[], $2::text[], $3::text[]) AS w (type, key, owner) ON e.type = w.type AND e.key = w.key AND e.owner = w.owner`,
        cols,
      )
    ).rows as Array<{ eid: string; type: string; key: string; owner: string }>;
    for (const r of rows) out.set(entityIdentity(r), Number(r.eid));
    if (out.size !== unique.size) throw new Error('entity dictionary lost an entity being linked');
    return out;
  }

  async heads(): Promise<ChainHead[]> {
    const rows = await this.read(`SELECT c.chain, h.seq, h.hash, h.id FROM ${this.t.head} h JOIN ${this.t.chain} c ON c.chain_no = h.chain_no ORDER BY c.chain`, [], 'read heads');
    return rows.map((r) => ({ chain: String(r.chain), seq: Number(r.seq), hash: String(r.hash), id: String(r.id) }));
  }

  async chains(): Promise<string[]> {
    const names = await this.chainNames(true);
    const out = new Set(names.values());
    for (let at = POS_STRIDE; ; ) {
      const [row] = await this.read(`SELECT MIN(pos) AS pos FROM ${this.t.record} WHERE pos >= $1`, [at], 'read chains');
      if (row?.pos === null || row?.pos === undefined) break;
      const no = Math.floor(Number(row.pos) / POS_STRIDE);
      out.add(names.get(no) ?? `#${no}`);
      at = (no + 1) * POS_STRIDE;
    }
    return [...out].sort();
  }

  async readChain(chain: string, afterSeq: number, limit: number, unpack = true, walk?: ChainWalkMemo): Promise<StoredRow[]> {
    const no = await this.chainNo(chain);
    if (no === null) return [];
    const base = no * POS_STRIDE;
    const rows = await this.readRaw(`SELECT ${unpack ? CHAIN_PAGE_COLUMNS : CHAIN_PAGE_SEALED_COLUMNS} FROM ${this.t.record} r WHERE r.pos > $1 AND r.pos < $2 ORDER BY r.pos LIMIT $3`, [base + afterSeq, base + POS_STRIDE, limit], 'read chain');
    return this.toStored(rows.map(recordRowOf), true, unpack, walk);
  }

  async seqOfHash(chain: string, hash: string): Promise<number | null> {
    const no = await this.chainNo(chain);
    if (no === null || !/^[0-9a-f]{64}$/.test(hash)) return null;
    const rows = await this.read(`SELECT pos FROM ${this.t.record} WHERE pos > $1 AND pos < $2 AND hash = $3 LIMIT 1`, [no * POS_STRIDE, (no + 1) * POS_STRIDE, Buffer.from(hash, 'hex')], 'find hash');
    return rows[0] ? Number(rows[0].pos) - no * POS_STRIDE : null;
  }

  async queryPage(filter: AuditFilter, after: { timeMs: number; pos: number } | null, limit: number): Promise<StoredRow[]> {
    if (filter.entity === undefined) {
      const { bind, params } = numbered();
      return this.toStored(await this.read(queryPageSql(filter, after, limit, bind, this.t), params, 'query'));
    }
    const q = numbered();
    const ids = (await this.read(entityIdsSql(filter.entity.type, filter.entity.key, q.bind, this.t), q.params, 'query')).map((r) => Number(r.eid));
    if (ids.length === 0) return [];
    return this.toStored(await runEntityPageAsync(entityPage(numbered, filter, after, limit, this.t, ids, true), (st) => this.read(st.sql, st.params, 'query')));
  }

  async stats(filter: AuditStatsFilter): Promise<AuditStats> {
    try {
      return await computeStats(filter, {
        sums: async (table, range) => {
          const { bind, params } = numbered();
          return this.read(statSumSql(table === 'hour' ? this.t.statHour : this.t.statMinute, range, filter, bind), params, 'stats');
        },
        records: async (range) => {
          const { bind, params } = numbered();
          return this.toStored(await this.read(edgeRecordsSql(range, filter, bind, this.t), params, 'stats'), false);
        },
      });
    } catch (error) {
      if (error instanceof AuditUnavailableError) throw error;
      throw unavailable(`audit database ${this.location}: stats failed`, error);
    }
  }

  async aggregates(table: StatTable): Promise<StatRow[]> {
    return (await this.read(`SELECT * FROM ${table === 'hour' ? this.t.statHour : this.t.statMinute}`, [], 'read aggregates')).map(toStatRow);
  }

  async checkpoints(): Promise<StoredCheckpoint[]> {
    return (await this.read(`SELECT ${CHECKPOINT_COLUMNS} FROM ${this.cp} ORDER BY chain, seq, pos`, [], 'read checkpoints')).map(toCheckpoint);
  }

  async saveCheckpoint(cp: StoredCheckpoint): Promise<void> {
    await this.transaction(async (c) => {
      await c.query(`INSERT INTO ${this.cp} (${CHECKPOINT_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`, checkpointParams(cp));
    }, 'save checkpoint');
  }

  async prunableThrough(chain: string, cutoffMs: number): Promise<number> {
    const no = await this.chainNo(chain);
    if (no === null) return 0;
    const lo = no * POS_STRIDE;
    const hi = lo + POS_STRIDE;
    const young = await this.read(`SELECT MIN(pos) AS pos FROM ${this.t.record} WHERE pos > $1 AND pos < $2 AND time_ms >= $3`, [lo, hi, cutoffMs], 'find prunable records');
    if (young[0]?.pos !== null && young[0]?.pos !== undefined) return Number(young[0].pos) - lo - 1;
    const last = await this.read(`SELECT MAX(pos) AS pos FROM ${this.t.record} WHERE pos > $1 AND pos < $2`, [lo, hi], 'find prunable records');
    return last[0]?.pos === null || last[0]?.pos === undefined ? 0 : Number(last[0].pos) - lo;
  }

  async prune(chain: string, throughSeq: number, cp: StoredCheckpoint): Promise<number> {
    const t = this.t;
    const no = await this.chainNo(chain);
    if (no === null) throw unavailable(`audit database ${this.location}: prune failed`, new Error(`no chain ${chain}`));
    const lo = no * POS_STRIDE;
    const hi = lo + throughSeq;
    await this.loadShapes();
    return this.transaction(async (c) => {
      // The aggregates lose what the deleted records added, tallied from their hashed content.
      const hours = new StatTally(HOUR_MS);
      const minutes = new StatTally(MINUTE_MS);
      for (let at = lo; ; ) {
        const rows = this.toStoredWith((await c.query(`SELECT ${RECORD_COLUMNS} FROM ${t.record} r WHERE r.pos > $1 AND r.pos <= $2 ORDER BY r.pos LIMIT ${PRUNE_PAGE_RECORDS}`, [at, hi])).rows, new Map(), await this.chainNames());
        untallyRecords(rows, hours, minutes);
        const last = rows[rows.length - 1];
        if (!last) break;
        at = last.pos;
      }
      await upsertStats(c, t.statHour, [...hours.rows.values()]);
      await upsertStats(c, t.statMinute, [...minutes.rows.values()]);
      await c.query(`DELETE FROM ${t.statHour} WHERE n <= 0`);
      await c.query(`DELETE FROM ${t.statMinute} WHERE n <= 0`);
      // The entity index loses the seconds no remaining record links the entity in; entity keys are
      // personal data too, so one no longer linked to any record goes with the last record that named it.
      const gone = (await c.query(`DELETE FROM ${t.link} WHERE pos > $1 AND pos <= $2 RETURNING eid, ${secondOfSql('time_ms')} AS sec`, [lo, hi])).rows as Array<{ eid: string; sec: string }>;
      const deleted = await c.query(`DELETE FROM ${t.record} WHERE pos > $1 AND pos <= $2`, [lo, hi]);
      if (gone.length) {
        const pairs = [...new Map(gone.map((g) => [`${g.eid}:${g.sec}`, g])).values()];
        await c.query(
          `DELETE FROM ${t.entitySecond} s USING unnest($1::bigint[], $2::bigint[]) AS d (eid, sec) WHERE s.eid = d.eid AND s.sec = d.sec AND NOT EXISTS (
             SELECT 1 FROM ${t.record} r JOIN ${t.link} l ON l.pos = r.pos AND l.eid = d.eid WHERE r.time_ms >= d.sec * ${SECOND_MS} AND r.time_ms < (d.sec + 1) * ${SECOND_MS})`,
          [pairs.map((p) => p.eid), pairs.map((p) => p.sec)],
        );
        await c.query(`DELETE FROM ${t.entity} e WHERE e.eid = ANY($1::bigint[]) AND NOT EXISTS (SELECT 1 FROM ${t.entitySecond} s WHERE s.eid = e.eid)`, [[...new Set(gone.map((g) => g.eid))]]);
      }
      await c.query(`INSERT INTO ${this.cp} (${CHECKPOINT_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`, checkpointParams(cp));
      return deleted.rowCount ?? 0;
    }, 'prune');
  }

  async adoptChainStart(chain: string, seq: number, hash: string, id: string): Promise<void> {
    await this.transaction(async (c) => {
      const taken = await c.query(`SELECT 1 FROM ${this.t.chain} WHERE chain = $1`, [chain]);
      if (taken.rows.length > 0) throw new Error(`chain ${chain} already exists`);
      const no = await this.chainNoForWrite(c, chain);
      await c.query(`INSERT INTO ${this.t.head} (chain_no, seq, hash, id) VALUES ($1, $2, $3, $4)`, [no, seq, hash, id]);
    }, 'start chain');
    this.names = null;
  }

  async ping(): Promise<void> {
    await this.read(`SELECT 1 FROM ${this.t.head} LIMIT 1`, [], 'ping');
  }

  async close(): Promise<void> {
    await this.pool.end();
  }

  /** Chain number → name (reloaded when `fresh`). */
  private async chainNames(fresh = false): Promise<Map<number, string>> {
    if (fresh || !this.names) {
      const rows = await this.read(`SELECT chain_no, chain FROM ${this.t.chain}`, [], 'read chains');
      this.names = new Map(rows.map((r) => [Number(r.chain_no), String(r.chain)]));
    }
    return this.names;
  }

  private async chainNo(chain: string): Promise<number | null> {
    const unnamed = /^#([1-9]\d{0,3})$/.exec(chain);
    if (unnamed) return Number(unnamed[1]);
    for (const fresh of [false, true]) {
      for (const [no, name] of await this.chainNames(fresh)) if (name === chain) return no;
    }
    return null;
  }

  /**
   * Record rows as stored rows: chain named, content unpacked, entity rows attached (unless
   * `withEntities` is false; entities already in `walk` not read again).
   */
  private async toStored(rows: Record<string, unknown>[], withEntities = true, unpack = true, walk: ChainWalkMemo = new Map()): Promise<StoredRow[]> {
    if (rows.length === 0) return [];
    const entities = new Map<number, LinkedEntity[]>();
    if (withEntities) {
      // Links first, then their entities by id: a join would let the planner hash the whole
      // entity dictionary for every page.
      const positions = rows.map((r) => Number(r.pos));
      // A range only for a run of neighbours (a chain page); a query's records lie all over the trail.
      const sorted = rows.length > 1 && positions.every((p, i) => i === 0 || p > (positions[i - 1] ?? 0)) && (positions[positions.length - 1] ?? 0) - (positions[0] ?? 0) < 2 * rows.length;
      // Unsorted: one primary-key probe per record, fenced (OFFSET 0) so that it stays one. With
      // no statistics on the link table (autovacuum off, or not yet run after a bulk load) the
      // planner guesses thousands of links per position and scanned the whole table instead:
      // 100 ms a page at 10^6 records and seconds at 10^7, where the probes take 4 ms.
      // Rows as arrays: pos, eid, time_ms, indexed (bigints come as text).
      const links = (
        sorted
          ? await this.readRaw(`SELECT l.pos, l.eid, l.time_ms, ${linkIndexedSql(this.t)} FROM ${this.t.link} l WHERE l.pos >= $1 AND l.pos <= $2`, [positions[0], positions[positions.length - 1]], 'read index')
          : await this.readRaw(`SELECT l.pos, l.eid, l.time_ms, ${linkIndexedSql(this.t)} FROM unnest($1::bigint[]) AS p(pos) CROSS JOIN LATERAL (SELECT * FROM ${this.t.link} l WHERE l.pos = p.pos OFFSET 0) l`, [positions], 'read index')
      ) as LinkTuple[];
      const linked = [...new Set(links.map((l) => l[1]))];
      let ids = linked.filter((eid) => !walk.has(eid));
      // Bounded: a trail naming millions of entities is read with a memo of the recent ones. When
      // it is full it starts again from this page, whose entities are then all read.
      if (ids.length > 0 && walk.size + ids.length > WALK_MEMO_ENTITIES) {
        walk.clear();
        ids = linked;
      }
      if (ids.length > 0) {
        for (const e of (await this.readRaw(`SELECT eid, type, key, owner FROM ${this.t.entity} WHERE eid = ANY($1::bigint[])`, [ids], 'read index')) as Array<[string, string, string, string]>) walk.set(e[0], e);
      }
      for (const [pos, eid, timeMs, indexed] of links) {
        // A link to an entity that is gone shows as an entity without a key: verify names its record.
        const e = walk.get(eid);
        const row: LinkedEntity = { type: e?.[1] ?? '', key: e?.[2] ?? '', owner: e?.[3] ?? '', linkTimeMs: Number(timeMs), indexed: indexed === true };
        const list = entities.get(Number(pos));
        if (list) list.push(row);
        else entities.set(Number(pos), [row]);
      }
    }
    let names = await this.chainNames();
    if (rows.some((r) => !names.has(Math.floor(Number(r.pos) / POS_STRIDE)))) names = await this.chainNames(true);
    if (rows.some((r) => this.shapes.shape(Number(r.shape)) === undefined)) await this.loadShapes();
    return this.toStoredWith(rows, entities, names, unpack);
  }

  private toStoredWith(rows: Record<string, unknown>[], entities: Map<number, LinkedEntity[]>, names: Map<number, string>, unpack = true): StoredRow[] {
    return rows.map((r) => {
      const pos = Number(r.pos);
      const no = Math.floor(pos / POS_STRIDE);
      return toStoredRow(r, names.get(no) ?? `#${no}`, pos - no * POS_STRIDE, entities.get(pos) ?? [], this.shapes.shape(Number(r.shape)), unpack);
    });
  }

  private async loadShapes(): Promise<void> {
    this.shapeRows = await this.read(`SELECT shape, text FROM ${this.t.shape}`, [], 'read shapes');
    this.shapes.clear();
  }
}

/** A link as read: pos, eid, time_ms (bigints as text), whether the entity index has its second. */
type LinkTuple = [pos: string, eid: string, timeMs: string, indexed: boolean];

/** Entity rows a pass over a chain keeps at most (about 200 bytes each). */
export const WALK_MEMO_ENTITIES = 50_000;

/** The record columns of a chain page, its hashes as PostgreSQL's hex. */
const CHAIN_PAGE_COLUMNS = chainPageColumns((column) => `encode(${column}, 'hex')`);

/**
 * A chain page whose sealed records stay packed (verify): a sealed record's content is not sent,
 * only its digest, computed by the server (`pg_catalog.sha256`, schema-qualified so that no
 * function of that name on the search path stands in). Its bytes would come as hex text, twice
 * their size, to be decoded and hashed here. A record written before layout 4 still comes whole,
 * to be unpacked and hashed. `verify --deep` reads every content and hashes it itself.
 */
const CHAIN_PAGE_SEALED_COLUMNS = `${CHAIN_PAGE_COLUMNS.replace(/\br\.content\b/, 'CASE WHEN r.denials IS NULL THEN r.content END AS content')}, CASE WHEN r.denials IS NOT NULL THEN encode(pg_catalog.sha256(r.content), 'hex') END AS stored_digest`;

async function upsertStats(c: PoolClient, table: string, rows: readonly StatRow[]): Promise<void> {
  if (rows.length === 0) return;
  const cols = [
    rows.map((r) => r.bucket), rows.map((r) => r.agency), rows.map((r) => r.purpose), rows.map((r) => r.outcome), rows.map((r) => r.kind), rows.map((r) => r.reason),
    rows.map((r) => r.n), rows.map((r) => r.entities), rows.map((r) => r.fieldDenials), rows.map((r) => r.rowDenials),
  ];
  await c.query(
    `INSERT INTO ${table} AS s (bucket, agency, purpose, outcome, kind, reason, n, entities, field_denials, row_denials)
     SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::bigint[], $8::bigint[], $9::bigint[], $10::bigint[]) ORDER BY 1, 2, 3, 4, 5, 6
     ON CONFLICT (bucket, agency, purpose, outcome, kind, reason) DO UPDATE SET n = s.n + excluded.n, entities = s.entities + excluded.entities,
       field_denials = s.field_denials + excluded.field_denials, row_denials = s.row_denials + excluded.row_denials`,
    cols,
  );
}

function numbered(): { bind: Bind; params: unknown[] } {
  const params: unknown[] = [];
  return {
    params,
    bind: (v) => {
      params.push(v);
      return `$${params.length}`;
    },
  };
}

/** The URL without its password, for messages and logs. */
export function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(unparseable postgres url)';
  }
}

function duplicate(id: string): Error {
  return new AuditUnavailableError('duplicate_id', `audit id ${id} is already in the trail; the gateway must assign unique ids`);
}

function unavailable(message: string, cause: unknown): AuditUnavailableError {
  const detail = cause instanceof Error ? cause.message || cause.name : String(cause);
  return new AuditUnavailableError('store_unavailable', `${message}: ${detail}`, { cause });
}
