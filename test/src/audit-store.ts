/**
 * The audit store under an end-to-end system, SQLite or PostgreSQL, with a way to take it down
 * and bring it back while the gateway runs.
 */
import path from 'node:path';
import Database from 'better-sqlite3';
import { Client } from 'pg';
import type { AuditConfig } from '@pactum/gateway/src/audit';
import { TEST_PG_URL, TcpProxy, assertPostgresReachable } from '@pactum/gateway/src/audit/__tests__/support/store-harness';

export type StoreKind = 'sqlite' | 'postgres';

export interface E2eAuditStore {
  /** Gateway environment selecting this store. */
  readonly env: Record<string, string>;
  /** `pactum audit` arguments selecting the same store. */
  cliArgs(stateDir: string): string[];
  /** `openAuditTrail` options reading the same store directly (not through the proxy). */
  trailConfig(stateDir: string): AuditConfig;
  down(stateDir: string): Promise<void>;
  up(): Promise<void>;
  cleanup(): Promise<void>;
}

export async function e2eAuditStore(kind: StoreKind): Promise<E2eAuditStore> {
  if (kind === 'sqlite') {
    let locker: Database.Database | undefined;
    const file = (stateDir: string) => path.join(stateDir, 'audit', 'audit.sqlite');
    return {
      env: {},
      cliArgs: (stateDir) => ['--file', file(stateDir)],
      trailConfig: (stateDir) => ({ file: file(stateDir) }),
      // Another connection holding the write lock: the gateway cannot commit a record.
      async down(stateDir) {
        locker = new Database(file(stateDir), { timeout: 1000 });
        locker.exec('BEGIN EXCLUSIVE');
      },
      async up() {
        locker?.exec('ROLLBACK');
        locker?.close();
        locker = undefined;
      },
      async cleanup() {
        locker?.close();
      },
    };
  }
  await assertPostgresReachable();
  const schema = `audit_e2e_${process.pid}_${Date.now().toString(36)}`;
  const admin = new Client({ connectionString: TEST_PG_URL });
  await admin.connect();
  await admin.query(`CREATE SCHEMA "${schema}"`);
  // The gateway reaches PostgreSQL through a proxy the test can cut, as a network failure would.
  const target = new URL(TEST_PG_URL);
  const proxy = new TcpProxy(target.hostname, Number(target.port || 5432));
  const port = await proxy.start(0);
  const viaProxy = new URL(TEST_PG_URL);
  viaProxy.port = String(port);
  return {
    env: { PACTUM_AUDIT_URL: viaProxy.toString(), PACTUM_AUDIT_SCHEMA: schema },
    cliArgs: () => ['--url', TEST_PG_URL, '--schema', schema],
    trailConfig: () => ({ url: TEST_PG_URL, schema, replicaId: 'e2e-reader' }),
    down: () => proxy.stop(),
    up: async () => {
      await proxy.start(port);
    },
    async cleanup() {
      await proxy.stop();
      await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await admin.end();
    },
  };
}
