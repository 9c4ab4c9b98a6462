/**
 * Outages particular to each store, beyond the shared "store down and back" case:
 * what each test simulates is said in its name. The rule throughout: a failed append
 * rejects with AUDIT_UNAVAILABLE promptly, and service resumes without reopening.
 */
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Client } from 'pg';
import { AuditUnavailableError } from '../../errors';
import { openAuditTrail } from '../index';
import { releasedEvent } from './support/events';
import { createHarness, TEST_PG_URL, type StoreHarness } from './support/store-harness';

describe('SQLite outages', () => {
  let h: StoreHarness;
  beforeEach(async () => {
    h = await createHarness('sqlite');
  });
  afterEach(() => h.cleanup());

  test('the database directory disappears and comes back: appends fail, then resume on the stored chain', async () => {
    // Simulates a volume going away under the gateway. The open handles would keep writing
    // to the moved files; the file-identity check sees that the path no longer leads to them.
    const file = String(h.config.file);
    const dir = path.dirname(file);
    const trail = await h.open();
    try {
      await trail.append(releasedEvent(1));
      renameSync(dir, `${dir}.away`);
      mkdirSync(path.dirname(dir), { recursive: true });
      writeFileSync(dir, 'not a directory');
      await expect(trail.append(releasedEvent(3))).rejects.toMatchObject({ code: 'AUDIT_UNAVAILABLE', reason: 'trail_removed' });
      expect(await trail.health()).toBe(false);
      expect(await trail.healthProblem()).toBe('trail database file removed');
      rmSync(dir);
      renameSync(`${dir}.away`, dir);
      expect((await trail.append(releasedEvent(4))).seq).toBe(2);
      await expect(trail.verify()).resolves.toMatchObject({ ok: true, checked: 2 });
    } finally {
      await trail.close();
    }
  });

  test('opening a trail where no database can be created fails with AUDIT_UNAVAILABLE', async () => {
    const blocker = path.join(path.dirname(String(h.config.file)), 'blocker');
    writeFileSync(blocker, 'a file, not a directory');
    const attempt = openAuditTrail({ file: path.join(blocker, 'audit.sqlite') });
    await expect(attempt).rejects.toBeInstanceOf(AuditUnavailableError);
    await expect(attempt).rejects.toThrow(/cannot open audit database .*blocker/);
  });
});

describe('PostgreSQL outages', () => {
  let h: StoreHarness;
  let admin: Client;
  beforeEach(async () => {
    h = await createHarness('postgres');
    admin = new Client({ connectionString: TEST_PG_URL });
    await admin.connect();
  });
  afterEach(async () => {
    await admin.end();
    await h.cleanup();
  });

  test('backends terminated by the server (pg_terminate_backend): the trail reconnects by itself', async () => {
    const replicaId = `gw-term-${process.pid}`;
    const trail = await h.open({ replicaId });
    try {
      await trail.append(releasedEvent(1));
      const killed = await admin.query(
        `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND application_name = $1`,
        [`pactum-audit ${replicaId}`],
      );
      expect(killed.rowCount).toBeGreaterThan(0);
      const outcomes = await Promise.allSettled(Array.from({ length: 5 }, (_, i) => trail.append(releasedEvent(10 + i))));
      for (const o of outcomes) if (o.status === 'rejected') expect(o.reason).toBeInstanceOf(AuditUnavailableError);
      // Whatever the first batch met, the next ones go through on fresh connections.
      const later = await trail.append(releasedEvent(20));
      const written = outcomes.filter((o) => o.status === 'fulfilled').length;
      expect(later.seq).toBe(2 + written);
      await expect(trail.verify()).resolves.toMatchObject({ ok: true, checked: 2 + written });
    } finally {
      await trail.close();
    }
  });

  test('a stuck writer holding the chain head: appends time out with AUDIT_UNAVAILABLE, then resume', async () => {
    const trail = await h.open({ queryTimeoutMs: 300 });
    try {
      await trail.append(releasedEvent(1));
      await admin.query(`SET search_path TO "${String(h.config.schema)}"`);
      await admin.query('BEGIN');
      await admin.query(`SELECT * FROM audit_head WHERE chain_no = (SELECT chain_no FROM audit_chain WHERE chain = 'gw-1') FOR UPDATE`);
      await expect(trail.append(releasedEvent(2))).rejects.toMatchObject({ code: 'AUDIT_UNAVAILABLE' });
      await admin.query('ROLLBACK');
      expect((await trail.append(releasedEvent(3))).seq).toBe(2);
      await expect(trail.verify()).resolves.toMatchObject({ ok: true, checked: 2 });
    } finally {
      await trail.close();
    }
  });

  test('opening a trail on a closed port fails promptly with AUDIT_UNAVAILABLE', async () => {
    const attempt = openAuditTrail({ url: 'postgres://postgres@127.0.0.1:1/test', connectTimeoutMs: 1000 });
    await expect(attempt).rejects.toBeInstanceOf(AuditUnavailableError);
    await expect(attempt).rejects.toThrow(/cannot connect to audit database postgres:\/\/postgres@127\.0\.0\.1:1\/test/);
  });
});
