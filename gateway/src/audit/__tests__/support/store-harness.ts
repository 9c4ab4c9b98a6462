/**
 * Test harnesses for both stores, so one suite runs against each (`describe.each`).
 * Each harness gives a fresh, isolated trail location (a temp SQLite file, or a unique
 * PostgreSQL schema in database `test`), raw SQL for tampering, and a way to take the
 * store down and bring it back.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { Client } from 'pg';
import { openAuditTrail, type AuditConfig } from '../../open-audit-trail';
import type { AuditTrail } from '../../audit-trail';

/** PostgreSQL used by the tests (override with PACTUM_TEST_PG_URL). */
export const TEST_PG_URL = process.env.PACTUM_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** One isolated trail location. */
export interface StoreHarness {
  readonly kind: 'sqlite' | 'postgres';
  /** The config that reaches this location (add replicaId etc. as needed). */
  readonly config: AuditConfig;
  open(extra?: Partial<AuditConfig>): Promise<AuditTrail>;
  /** Runs raw SQL against the trail's tables (unqualified names: audit_record, audit_entity, …). */
  sql(statement: string): Promise<Record<string, unknown>[]>;
  /**
   * Takes the store away and brings it back. SQLite: another connection holds the
   * write lock (BEGIN EXCLUSIVE) — what a stuck or foreign writer does; PostgreSQL: the
   * trail talks through a loopback TCP proxy that is stopped (connections cut, port
   * refusing) and restarted on the same port — what a network or server outage does.
   */
  outage(): Promise<{ config: AuditConfig; down(): Promise<void>; up(): Promise<void> }>;
  cleanup(): Promise<void>;
}

/** Creates a harness of the given kind. */
export async function createHarness(kind: 'sqlite' | 'postgres'): Promise<StoreHarness> {
  return kind === 'sqlite' ? sqliteHarness() : postgresHarness();
}

function sqliteHarness(): StoreHarness {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'pactum-audit-'));
  const file = path.join(dir, 'audit.sqlite');
  const config: AuditConfig = { file, replicaId: 'gw-1', busyTimeoutMs: 100 };
  let raw: Database.Database | null = null;
  const conn = () => (raw ??= new Database(file, { timeout: 1000 }));
  return {
    kind: 'sqlite',
    config,
    open: (extra) => openAuditTrail({ ...config, ...extra }),
    async sql(statement) {
      const st = conn().prepare(statement);
      if (st.reader) return st.all() as Record<string, unknown>[];
      st.run();
      return [];
    },
    async outage() {
      const locker = new Database(file, { timeout: 1000 });
      return {
        config,
        async down() {
          locker.exec('BEGIN EXCLUSIVE');
        },
        async up() {
          locker.exec('ROLLBACK');
          locker.close();
        },
      };
    },
    async cleanup() {
      raw?.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Fails with a clear message when the test PostgreSQL is not reachable (never skips). */
export async function assertPostgresReachable(): Promise<void> {
  const client = new Client({ connectionString: TEST_PG_URL, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
  } catch (error) {
    throw new Error(
      `PostgreSQL for the audit tests is not reachable at ${TEST_PG_URL} (${error instanceof Error ? error.message : String(error)}). ` +
        'Start it (127.0.0.1:5432, database "test", trust auth) or set PACTUM_TEST_PG_URL.',
    );
  } finally {
    await client.end().catch(() => undefined);
  }
}

let schemaCounter = 0;

async function postgresHarness(): Promise<StoreHarness> {
  await assertPostgresReachable();
  schemaCounter += 1;
  const schema = `audit_t_${process.pid}_${Date.now().toString(36)}_${schemaCounter}`;
  const config: AuditConfig = { url: TEST_PG_URL, schema, replicaId: 'gw-1', connectTimeoutMs: 1000, queryTimeoutMs: 2000 };
  const admin = new Client({ connectionString: TEST_PG_URL });
  admin.on('error', () => undefined);
  await admin.connect();
  await admin.query(`CREATE SCHEMA "${schema}"`);
  await admin.query(`SET search_path TO "${schema}"`);
  const proxies: TcpProxy[] = [];
  return {
    kind: 'postgres',
    config,
    open: (extra) => openAuditTrail({ ...config, ...extra }),
    async sql(statement) {
      return (await admin.query(statement)).rows as Record<string, unknown>[];
    },
    async outage() {
      const target = new URL(TEST_PG_URL);
      const proxy = new TcpProxy(target.hostname, Number(target.port || 5432));
      proxies.push(proxy);
      const port = await proxy.start(0);
      const viaProxy = new URL(TEST_PG_URL);
      viaProxy.port = String(port);
      return {
        config: { ...config, url: viaProxy.toString() },
        down: () => proxy.stop(),
        up: async () => {
          await proxy.start(port);
        },
      };
    },
    async cleanup() {
      for (const p of proxies) await p.stop();
      await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await admin.end();
    },
  };
}

/** A loopback TCP proxy that can be stopped (cutting every connection) and restarted on its port. */
export class TcpProxy {
  private server: net.Server | null = null;
  private readonly sockets = new Set<net.Socket>();

  constructor(
    private readonly host: string,
    private readonly port: number,
  ) {}

  async start(port: number): Promise<number> {
    const server = net.createServer((client) => {
      const upstream = net.connect(this.port, this.host);
      this.sockets.add(client).add(upstream);
      const drop = () => {
        client.destroy();
        upstream.destroy();
        this.sockets.delete(client);
        this.sockets.delete(upstream);
      };
      client.on('error', drop).on('close', drop);
      upstream.on('error', drop).on('close', drop);
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    this.server = server;
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('proxy has no port');
    return address.port;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = null;
    for (const s of this.sockets) s.destroy();
    this.sockets.clear();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
