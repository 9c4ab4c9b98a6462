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
import { GENESIS_HASH, linkHash } from '../chain/chain-hash';
import type { AuditStore, ChainHead, PreparedRecord, StoredCheckpoint, StoredRow } from './audit-store';
import { CHECKPOINT_COLUMNS, checkpointParams, toCheckpoint } from './checkpoint-rows';
import { foldStats, groupIndexRows, queryPageSql, RECORD_COLUMNS, rowToStored, statsSql, type Bind } from './filter-sql';
import { checkpointTable, layoutObjects, schemaStatements, SCHEMA_NAME_PATTERN, tablesIn } from './postgres-schema';

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
  });
  // An idle client whose server went away emits 'error'; the pool drops it. Without a
  // listener that event would crash the gateway.
  pool.on('error', () => undefined);
  const store = new PostgresStore(pool, schema, redact(options.url));
  try {
    await store.transaction(async (c) => {
      const present = await c.query('SELECT bool_and(to_regclass(o) IS NOT NULL) AS complete FROM unnest($1::text[]) AS o', [layoutObjects(schema)]);
      if ((present.rows[0] as { complete: boolean | null }).complete === true) return;
      await c.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`pactum-audit-schema:${schema}`]);
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
  private readonly t;
  private readonly cp: string;

  constructor(
    private readonly pool: Pool,
    schema: string,
    readonly location: string,
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

  async appendBatch(chain: string, records: readonly PreparedRecord[]): Promise<Array<AuditReceipt | Error>> {
    const t = this.t;
    return this.transaction(async (c) => {
      await c.query('SET LOCAL synchronous_commit = on');
      await c.query(`INSERT INTO ${t.head} (chain, seq, hash, id) VALUES ($1, 0, $2, '') ON CONFLICT (chain) DO NOTHING`, [chain, GENESIS_HASH]);
      const head = (await c.query(`SELECT seq, hash FROM ${t.head} WHERE chain = $1 FOR UPDATE`, [chain])).rows[0] as
        | { seq: string; hash: string }
        | undefined;
      if (!head) throw new Error(`head of chain ${chain} vanished`);
      const existing = new Set(
        (await c.query(`SELECT id FROM ${t.record} WHERE id = ANY($1::text[])`, [records.map((r) => r.id)])).rows.map((r: { id: string }) => r.id),
      );
      let seq = Number(head.seq);
      let prev = head.hash;
      const out: Array<AuditReceipt | Error> = [];
      const cols: unknown[][] = Array.from({ length: 15 }, () => []);
      const ents: unknown[][] = [[], [], [], []];
      const dens: unknown[][] = [[], [], [], []];
      for (const r of records) {
        if (existing.has(r.id)) {
          out.push(duplicate(r.id));
          continue;
        }
        existing.add(r.id);
        seq += 1;
        const hash = linkHash(prev, r.contentHash, seq);
        const x = r.index;
        [r.id, chain, seq, prev, r.contentHash, hash, x.timeMs, x.agency, x.subject, x.purpose, x.caseRef, x.outcome, x.httpStatus, x.hasDenial, r.content].forEach(
          (v, i) => cols[i]?.push(v),
        );
        for (const e of x.entities) [r.id, e.type, e.key, e.owner].forEach((v, i) => ents[i]?.push(v));
        for (const d of x.denials) [r.id, d.kind, d.reason, d.path].forEach((v, i) => dens[i]?.push(v));
        prev = hash;
        out.push({ id: r.id, chain, seq, hash });
      }
      if (seq === Number(head.seq)) return out;
      await c.query(
        `INSERT INTO ${t.record} (id, chain, seq, prev_hash, content_hash, hash, time_ms, agency, subject, purpose, case_ref, outcome, http_status, has_denial, content)
         SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[], $4::text[], $5::text[], $6::text[], $7::bigint[], $8::text[], $9::text[], $10::text[], $11::text[], $12::text[], $13::int[], $14::smallint[], $15::text[])`,
        cols,
      );
      if (ents[0]?.length) {
        await c.query(`INSERT INTO ${t.entity} (record_id, type, key, owner) SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[])`, ents);
      }
      if (dens[0]?.length) {
        await c.query(`INSERT INTO ${t.denial} (record_id, kind, reason, path) SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[])`, dens);
      }
      const lastId = String(cols[0]?.[cols[0].length - 1]);
      await c.query(`UPDATE ${t.head} SET seq = $2, hash = $3, id = $4 WHERE chain = $1`, [chain, seq, prev, lastId]);
      return out;
    }, 'append');
  }

  async heads(): Promise<ChainHead[]> {
    const rows = await this.read(`SELECT chain, seq, hash, id FROM ${this.t.head} ORDER BY chain`, [], 'read heads');
    return rows.map((r) => ({ chain: String(r.chain), seq: Number(r.seq), hash: String(r.hash), id: String(r.id) }));
  }

  async chains(): Promise<string[]> {
    const rows = await this.read(`SELECT chain FROM ${this.t.head} UNION SELECT DISTINCT chain FROM ${this.t.record} ORDER BY 1`, [], 'read chains');
    return rows.map((r) => String(r.chain));
  }

  async readChain(chain: string, afterSeq: number, limit: number): Promise<StoredRow[]> {
    const rows = await this.read(
      `SELECT ${RECORD_COLUMNS} FROM ${this.t.record} r WHERE r.chain = $1 AND r.seq > $2 ORDER BY r.seq LIMIT $3`,
      [chain, afterSeq, limit],
      'read chain',
    );
    return this.attachIndex(rows);
  }

  async seqOfHash(chain: string, hash: string): Promise<number | null> {
    const rows = await this.read(`SELECT seq FROM ${this.t.record} WHERE chain = $1 AND hash = $2 LIMIT 1`, [chain, hash], 'find hash');
    return rows[0] ? Number(rows[0].seq) : null;
  }

  async queryPage(filter: AuditFilter, after: { timeMs: number; id: string } | null, limit: number): Promise<StoredRow[]> {
    const { bind, params } = numbered();
    const sql = queryPageSql(filter, after, limit, bind, this.t);
    return this.attachIndex(await this.read(sql, params, 'query'));
  }

  async stats(filter: AuditStatsFilter): Promise<AuditStats> {
    const q = statsSql(filter, numbered, this.t);
    const [a, e, d] = await Promise.all([
      this.read(q.perAgency.sql, q.perAgency.params, 'stats'),
      this.read(q.entities.sql, q.entities.params, 'stats'),
      this.read(q.denials.sql, q.denials.params, 'stats'),
    ]);
    return foldStats(filter, a, e, d);
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
    const young = await this.read(`SELECT MIN(seq) AS seq FROM ${this.t.record} WHERE chain = $1 AND time_ms >= $2`, [chain, cutoffMs], 'find prunable records');
    if (young[0]?.seq !== null && young[0]?.seq !== undefined) return Number(young[0].seq) - 1;
    const last = await this.read(`SELECT MAX(seq) AS seq FROM ${this.t.record} WHERE chain = $1`, [chain], 'find prunable records');
    return last[0]?.seq === null || last[0]?.seq === undefined ? 0 : Number(last[0].seq);
  }

  async prune(chain: string, throughSeq: number, cp: StoredCheckpoint): Promise<number> {
    const t = this.t;
    return this.transaction(async (c) => {
      const ids = `SELECT id FROM ${t.record} WHERE chain = $1 AND seq <= $2`;
      await c.query(`DELETE FROM ${t.entity} WHERE record_id IN (${ids})`, [chain, throughSeq]);
      await c.query(`DELETE FROM ${t.denial} WHERE record_id IN (${ids})`, [chain, throughSeq]);
      const deleted = await c.query(`DELETE FROM ${t.record} WHERE chain = $1 AND seq <= $2`, [chain, throughSeq]);
      await c.query(`INSERT INTO ${this.cp} (${CHECKPOINT_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`, checkpointParams(cp));
      return deleted.rowCount ?? 0;
    }, 'prune');
  }

  async ping(): Promise<void> {
    await this.read(`SELECT 1 FROM ${this.t.head} LIMIT 1`, [], 'ping');
  }

  async close(): Promise<void> {
    await this.pool.end();
  }

  private async attachIndex(rows: Record<string, unknown>[]): Promise<StoredRow[]> {
    if (rows.length === 0) return [];
    const ids = rows.map((r) => String(r.id));
    const [entities, denials] = await Promise.all([
      this.read(`SELECT record_id, type, key, owner FROM ${this.t.entity} WHERE record_id = ANY($1::text[])`, [ids], 'read index'),
      this.read(`SELECT record_id, kind, reason, path FROM ${this.t.denial} WHERE record_id = ANY($1::text[])`, [ids], 'read index'),
    ]);
    const grouped = groupIndexRows(entities, denials);
    return rows.map((r) => rowToStored(r, grouped.entities.get(String(r.id)) ?? [], grouped.denials.get(String(r.id)) ?? []));
  }
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
