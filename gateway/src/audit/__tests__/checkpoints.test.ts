/**
 * Signed checkpoints and retention, on both stores: the head signed on close and on demand; a
 * truncation that also rewinds the anchor caught without `--expect-head`; a forged or unverifiable
 * checkpoint refused; records pruned behind a signed checkpoint so the rest still verifies (and
 * the pruned range is reported); tampering with what remains named; a broken chain never pruned.
 */
import { hexOf, posOf, seqIs } from './support/tamper';
import { generateKeyPairSync } from 'node:crypto';
import type { JWK } from 'jose';
import type { AuditTrail } from '../audit-trail';
import { createCheckpointSigner } from '../chain/checkpoint-statement';
import { parseRetention } from '../retention';
import { publicJwkOf } from '../../auth/ensure-gateway-keys';
import { newAuditId } from '../audit-id';
import { openAuditTrail } from '../open-audit-trail';
import { releasedEvent } from './support/events';
import { createHarness, type StoreHarness } from './support/store-harness';

function keyPair(): { signer: ReturnType<typeof createCheckpointSigner>; jwk: JWK } {
  const { privateKey } = generateKeyPairSync('ed25519');
  const jwk = publicJwkOf(privateKey);
  return { signer: createCheckpointSigner(privateKey, jwk.kid ?? ''), jwk };
}

// Events 1..10, one day apart from 2025-01-01.
function day(n: number) {
  const time = new Date(Date.UTC(2025, 0, n, 9));
  return releasedEvent(0, { time, id: newAuditId(time), requestId: `req-${n}` });
}

describe.each(['sqlite', 'postgres'] as const)('signed checkpoints and retention on %s', (kind) => {
  let h: StoreHarness;
  let key: ReturnType<typeof keyPair>;
  let trail: AuditTrail | undefined;
  const open = async () => (trail = await h.open());

  beforeEach(async () => {
    h = await createHarness(kind);
    key = keyPair();
  });
  afterEach(async () => {
    await trail?.close().catch(() => undefined);
    trail = undefined;
    await h.cleanup();
  });

  async function writeTen(): Promise<void> {
    const writer = await openAuditTrail(h.config, { signer: key.signer, verifyKeys: [key.jwk] });
    for (let n = 1; n <= 10; n++) await writer.append(day(n));
    await writer.close(); // signs a shutdown checkpoint of seq 10
  }

  it('the head is signed on close; a truncation that also rewinds the anchor is caught without --expect-head', async () => {
    await writeTen();
    const cps = (await h.sql('SELECT chain, seq, kind, kid FROM audit_checkpoint')).map((r) => ({ ...r, seq: Number(r.seq) }));
    expect(cps).toEqual([{ chain: 'gw-1', seq: 10, kind: 'shutdown', kid: key.jwk.kid }]);
    const t = await open();
    expect(await t.verify({ checkpointKeys: [key.jwk] })).toMatchObject({ ok: true, checked: 10, chains: [{ signedHead: { seq: 10, kind: 'shutdown' } }] });

    // Remove records 9 and 10 and move the anchor back to 8: consistent without the signature.
    const [eight] = await h.sql(`SELECT hash, id FROM audit_record WHERE ${seqIs(8)}`);
    await h.sql(`DELETE FROM audit_record WHERE pos > ${posOf(8)}`);
    await h.sql(`UPDATE audit_head SET seq = 8, hash = '${hexOf(eight?.hash)}', id = '${String(eight?.id)}' WHERE chain_no = 1`);
    const report = await t.verify({ checkpointKeys: [key.jwk] });
    expect(report.ok).toBe(false);
    expect(report.firstBad).toMatchObject({ problem: 'truncated', seq: 9 });
    expect(report.firstBad?.detail).toContain('the signed shutdown checkpoint');
  });

  it('refuses a checkpoint it cannot check, one signed by another key, and one whose columns were edited', async () => {
    await writeTen();
    const t = await open();
    expect((await t.verify()).firstBad).toMatchObject({ problem: 'bad-signature', detail: expect.stringContaining('no public key was given') });
    const other = keyPair();
    expect((await t.verify({ checkpointKeys: [other.jwk] })).firstBad).toMatchObject({ problem: 'bad-signature', detail: expect.stringContaining(`no public key with kid ${key.jwk.kid}`) });
    // Same kid, other key material: the signature itself fails.
    expect((await t.verify({ checkpointKeys: [{ ...other.jwk, kid: key.jwk.kid }] })).firstBad?.detail).toContain('signature');
    await h.sql("UPDATE audit_checkpoint SET seq = 9 WHERE chain = 'gw-1'");
    expect((await t.verify({ checkpointKeys: [key.jwk] })).firstBad?.detail).toContain('the stored columns differ from what was signed');
  });

  it('prunes behind a signed checkpoint: the rest verifies, the pruned range is reported, tampering with what remains is named', async () => {
    await writeTen();
    const t = (trail = await openAuditTrail(h.config, { signer: key.signer, verifyKeys: [key.jwk] }));
    const now = new Date(Date.UTC(2025, 0, 16, 6)); // 7d back: records of Jan 1..8 (09:00) are older than Jan 9 06:00
    const results = await t.prune(parseRetention('7d').cutoff(now), now);
    expect(results).toEqual([expect.objectContaining({ chain: 'gw-1', deleted: 8, throughSeq: 8 })]);
    expect((await h.sql('SELECT pos FROM audit_record ORDER BY pos')).map((r) => Number(r.pos))).toEqual([posOf(9), posOf(10)]);
    const links = await h.sql('SELECT COUNT(*) AS n FROM audit_entity_link');
    expect(Number(links[0]?.n)).toBe(4); // two per remaining record
    const entities = await h.sql('SELECT COUNT(*) AS n FROM audit_entity');
    expect(Number(entities[0]?.n)).toBe(2); // the same two entities in each
    const hourly = await h.sql("SELECT SUM(n) AS n FROM audit_stat_hour WHERE kind = ''");
    expect(Number(hourly[0]?.n)).toBe(2); // the aggregates lost the pruned records

    const ok = await t.verify();
    expect(ok).toMatchObject({ ok: true, checked: 2, chains: [{ chain: 'gw-1', pruned: { throughSeq: 8, before: '2025-01-09T06:00:00.000Z' } }] });
    // Pruning again deletes nothing and still verifies.
    expect((await t.prune(parseRetention('7d').cutoff(now), now))[0]).toMatchObject({ deleted: 0, throughSeq: 8 });

    await h.sql(`UPDATE audit_record SET subject = 'someone-else' WHERE ${seqIs(9)}`);
    const bad = await t.verify();
    expect(bad.firstBad).toMatchObject({ problem: 'changed', seq: 9 });
    // A chain that does not verify is not pruned further.
    await expect(t.prune(new Date(Date.UTC(2026, 0, 1)), now)).rejects.toThrow(/does not verify .*nothing was pruned/);
    expect(Number((await h.sql('SELECT COUNT(*) AS n FROM audit_record'))[0]?.n)).toBe(2);
  });

  it('a running trail signs its head at intervals once it moved, and not again while idle', async () => {
    const t = (trail = await openAuditTrail({ ...h.config, checkpointIntervalMs: 20 }, { signer: key.signer, verifyKeys: [key.jwk] }));
    await t.append(day(1));
    const intervalCheckpoints = async () => (await h.sql("SELECT seq FROM audit_checkpoint WHERE kind = 'interval'")).map((r) => Number(r.seq));
    for (let i = 0; i < 250 && (await intervalCheckpoints()).length === 0; i++) await new Promise((r) => setTimeout(r, 20));
    expect(await intervalCheckpoints()).toEqual([1]);
    await new Promise((r) => setTimeout(r, 100)); // several idle intervals
    expect(await intervalCheckpoints()).toEqual([1]);
    await t.close();
    trail = undefined;
    // Nothing appended since the interval one: the shutdown has nothing new to sign.
    expect((await h.sql('SELECT kind FROM audit_checkpoint')).map((r) => r.kind)).toEqual(['interval']);
  });

  it('records removed at the start without a retention checkpoint are still "removed"', async () => {
    await writeTen();
    await h.sql(`DELETE FROM audit_record WHERE pos <= ${posOf(3)}`);
    const t = await open();
    expect((await t.verify({ checkpointKeys: [key.jwk] })).firstBad).toMatchObject({ problem: 'removed', seq: 1 });
  });

  it('a forged retention checkpoint (deleted records, checkpoint row copied from the shutdown one) does not pass', async () => {
    await writeTen();
    await h.sql(`DELETE FROM audit_record WHERE pos <= ${posOf(3)}`);
    await h.sql("INSERT INTO audit_checkpoint (chain, seq, hash, id, kind, pruned_through, signed_at_ms, kid, jws) SELECT chain, 3, hash, id, 'retention', 3, signed_at_ms, kid, jws FROM audit_checkpoint");
    const t = await open();
    expect((await t.verify({ checkpointKeys: [key.jwk] })).firstBad).toMatchObject({ problem: 'bad-signature' });
  });
});

it('retention periods: calendar units, typos refused', () => {
  const now = new Date(Date.UTC(2029, 2, 1));
  expect(parseRetention('3y').cutoff(now).toISOString()).toBe('2026-03-01T00:00:00.000Z');
  expect(parseRetention('18mo').cutoff(now).toISOString()).toBe('2027-09-01T00:00:00.000Z');
  expect(parseRetention('2w').cutoff(now).toISOString()).toBe('2029-02-15T00:00:00.000Z');
  for (const bad of ['3', '3m', '0d', '-1y', '3 years', '', '1h']) expect(() => parseRetention(bad)).toThrow(/PACTUM_AUDIT_RETENTION must be a period/);
});

it('configuration: retention needs the signing key; bad variables stop the start with their name', async () => {
  const { auditConfigFromEnv } = await import('../open-audit-trail');
  await expect(openAuditTrail({ file: '/nonexistent/never-opened.sqlite', retention: '3y' })).rejects.toThrow(/audit.retention needs the gateway key/);
  expect(auditConfigFromEnv({ PACTUM_AUDIT_RETENTION: '3y', PACTUM_AUDIT_CHECKPOINT_SEC: '60' })).toMatchObject({ retention: '3y', checkpointIntervalMs: 60_000 });
  expect(() => auditConfigFromEnv({ PACTUM_AUDIT_RETENTION: '3 years' })).toThrow(/PACTUM_AUDIT_RETENTION must be a period/);
  expect(() => auditConfigFromEnv({ PACTUM_AUDIT_CHECKPOINT_SEC: '0' })).toThrow(/PACTUM_AUDIT_CHECKPOINT_SEC must be a whole number/);
  expect(() => auditConfigFromEnv({ PACTUM_AUDIT_CHECKPOINT_SEC: '5m' })).toThrow(/PACTUM_AUDIT_CHECKPOINT_SEC/);
});
