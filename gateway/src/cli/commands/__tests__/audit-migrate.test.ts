/**
 * `pactum audit migrate` on both stores: a trail of layout 1 (built here row by row, with the
 * columns the old append wrote and migrate reads) is copied into a new trail whose records keep
 * their hashes, whose signed checkpoints still verify (also for a chain retention had pruned),
 * and which answers queries; a damaged old trail is refused naming the record; bad arguments
 * exit 2 and a target that exists is never written to.
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { generateKeyPairSync } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { publicJwkOf } from '../../../auth/ensure-gateway-keys';
import { collect, createCheckpointSigner, openAuditTrail, type AuditConfig, type AuditEvent } from '../../../audit';
import { contentHashOf, GENESIS_HASH, linkHash } from '../../../audit/chain/chain-hash';
import { encodeContent } from '../../../audit/chain/record-content';
import { belgianEvent, releasedEvent } from '../../../audit/__tests__/support/events';
import { createHarness, TEST_PG_URL, type StoreHarness } from '../../../audit/__tests__/support/store-harness';
import { runAudit } from './support/run-audit-command';

const NOW = new Date(Date.UTC(2025, 2, 1));

/** Builds a layout-1 trail in the harness's location: chain gw-1 (6 records, the first 2 pruned behind a retention checkpoint) and gw-2 (3). */
async function legacyTrail(h: StoreHarness): Promise<{ events: AuditEvent[]; hashes: Map<string, string>; jwk: ReturnType<typeof publicJwkOf> }> {
  await h.sql('CREATE TABLE audit_record (pos INTEGER PRIMARY KEY, id TEXT NOT NULL, chain TEXT NOT NULL, seq INTEGER NOT NULL, prev_hash TEXT NOT NULL, content_hash TEXT NOT NULL, hash TEXT NOT NULL, content TEXT NOT NULL)');
  await h.sql('CREATE TABLE audit_head (chain TEXT PRIMARY KEY, seq INTEGER NOT NULL, hash TEXT NOT NULL, id TEXT NOT NULL)');
  await h.sql('CREATE TABLE audit_checkpoint (pos INTEGER PRIMARY KEY, chain TEXT, seq INTEGER, hash TEXT, id TEXT, kind TEXT, pruned_through INTEGER, signed_at_ms BIGINT, kid TEXT, jws TEXT)');
  const { privateKey } = generateKeyPairSync('ed25519');
  const jwk = publicJwkOf(privateKey);
  const signer = createCheckpointSigner(privateKey, jwk.kid ?? '');
  const events: AuditEvent[] = [];
  const hashes = new Map<string, string>();
  let pos = 0;
  let cps = 0;
  const q = (v: string) => `'${v.replace(/'/g, "''")}'`;
  for (const [chain, n] of [['gw-1', 6], ['gw-2', 3]] as const) {
    let prev = GENESIS_HASH;
    let last = { seq: 0, hash: '', id: '' };
    for (let seq = 1; seq <= n; seq++) {
      const event = seq % 2 ? releasedEvent(pos) : belgianEvent(pos);
      const content = encodeContent(event);
      const ch = contentHashOf(content);
      const hash = linkHash(prev, ch, seq);
      pos += 1;
      await h.sql(`INSERT INTO audit_record VALUES (${pos}, ${q(event.id)}, ${q(chain)}, ${seq}, ${q(prev)}, ${q(ch)}, ${q(hash)}, ${q(content)})`);
      hashes.set(event.id, hash);
      events.push(event);
      prev = hash;
      last = { seq, hash, id: event.id };
      if (chain === 'gw-1' && seq === 2) {
        const s = await signer.sign({ v: 1, type: 'pactum.audit.checkpoint', chain, seq, hash, id: event.id, at: NOW.toISOString(), kind: 'retention', prunedThrough: 2, prunedBefore: NOW.toISOString() });
        cps += 1;
        await h.sql(`INSERT INTO audit_checkpoint VALUES (${cps}, ${q(chain)}, ${seq}, ${q(hash)}, ${q(event.id)}, 'retention', 2, ${NOW.getTime()}, ${q(s.kid)}, ${q(s.jws)})`);
      }
    }
    await h.sql(`INSERT INTO audit_head VALUES (${q(chain)}, ${last.seq}, ${q(last.hash)}, ${q(last.id)})`);
  }
  await h.sql("DELETE FROM audit_record WHERE chain = 'gw-1' AND seq <= 2");
  return { events: events.filter((_, i) => i >= 2), hashes, jwk };
}

describe.each(['sqlite', 'postgres'] as const)('pactum audit migrate on %s', (kind) => {
  let h: StoreHarness;
  let dir: string;
  let target: AuditConfig;
  let targetArgs: string[];
  let sourceArgs: string[];
  const admin = new Client({ connectionString: TEST_PG_URL });

  beforeAll(async () => {
    if (kind === 'postgres') await admin.connect();
  });
  afterAll(async () => {
    if (kind === 'postgres') await admin.end();
  });
  beforeEach(async () => {
    h = await createHarness(kind);
    dir = mkdtempSync(join(tmpdir(), 'pactum-audit-migrate-'));
    if (kind === 'sqlite') {
      const file = join(dir, 'new.sqlite');
      target = { file, replicaId: 'reader' };
      targetArgs = ['--file', file];
      sourceArgs = ['--from', String(h.config.file)];
    } else {
      const schema = `${String(h.config.schema)}_v2`;
      target = { url: TEST_PG_URL, schema, replicaId: 'reader' };
      targetArgs = ['--url', TEST_PG_URL, '--schema', schema];
      sourceArgs = ['--from-url', TEST_PG_URL, '--from-schema', String(h.config.schema)];
    }
  });
  afterEach(async () => {
    if (kind === 'postgres') await admin.query(`DROP SCHEMA IF EXISTS "${String(target.schema)}" CASCADE`);
    await h.cleanup();
    rmSync(dir, { recursive: true, force: true });
  });

  test('copies every chain with its hashes and checkpoints; the new trail verifies and answers', async () => {
    const { events, hashes, jwk } = await legacyTrail(h);
    // The old trail is refused by the gateway, naming the command.
    await expect(h.open()).rejects.toThrow(/layout 1.*pactum audit migrate/);
    const r = await runAudit(['migrate', ...sourceArgs, ...targetArgs], {}, NOW);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toContain('2 chain(s), 1 signed checkpoint(s), every hash unchanged');
    expect(r.out).toContain('chain gw-1: 4 record(s) from seq 3 (earlier ones pruned by retention)');
    const trail = await openAuditTrail(target);
    try {
      const records = await collect(trail.query({}));
      expect(records.map((x) => x.event)).toEqual(events);
      for (const x of records) expect(x.hash).toBe(hashes.get(x.id));
      const report = await trail.verify({ checkpointKeys: [jwk] });
      expect(report).toMatchObject({ ok: true, checked: 7, aggregates: { checked: true } });
      expect(report.chains).toEqual([
        expect.objectContaining({ chain: 'gw-1', checked: 4, pruned: { throughSeq: 2, before: NOW.toISOString() } }),
        expect.objectContaining({ chain: 'gw-2', checked: 3 }),
      ]);
      expect((await trail.stats({})).requests).toBe(7);
      expect(await collect(trail.query({ entity: { type: 'Container', key: 'HLXU7032104' } }))).toHaveLength(events.filter((e) => e.enforcement?.released.some((x) => x.key === 'HLXU7032104')).length);
    } finally {
      await trail.close();
    }
    // Into a trail that already has records: refused.
    expect((await runAudit(['migrate', ...sourceArgs, ...targetArgs], {}, NOW)).code).toBe(kind === 'sqlite' ? 2 : 1);
  });

  test('a damaged old trail is refused, naming the record', async () => {
    await legacyTrail(h);
    await h.sql(`UPDATE audit_record SET content = replace(content, '"req-', '"rex-') WHERE chain = 'gw-2' AND seq = 2`);
    const r = await runAudit(['migrate', ...sourceArgs, ...targetArgs], {}, NOW);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/chain gw-2 record 2 \(.*\): its content does not match its content hash; nothing more was copied/);
    if (kind === 'sqlite') expect(existsSync(String(target.file))).toBe(false);
    else expect(r.err).toContain(`drop schema ${String(target.schema)}`);
  });
});

test('migrate: bad arguments exit 2 and touch nothing', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'pactum-audit-migrate-args-'));
  try {
    const exists = join(dir, 'exists.sqlite');
    writeFileSync(exists, 'x');
    const cases: Array<[string[], RegExp]> = [
      [['migrate', '--file', join(dir, 'n.sqlite')], /needs the old trail/],
      [['migrate', '--from', exists], /needs the new trail/],
      [['migrate', '--from', exists, '--file', exists], /exists: migrate into a new file/],
      [['migrate', '--from', join(dir, 'missing.sqlite'), '--file', join(dir, 'n.sqlite')], /no audit trail at/],
      [['migrate', '--from', exists, '--url', TEST_PG_URL], /needs --schema/],
    ];
    for (const [argv, message] of cases) {
      const r = await runAudit(argv, {}, NOW);
      expect(r.code).toBe(2);
      expect(r.err).toMatch(message);
    }
    expect(existsSync(join(dir, 'n.sqlite'))).toBe(false);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
