/**
 * `pactum audit checkpoint|prune|verify --key` on both stores: an exported signed head, records
 * pruned behind a signed checkpoint with the range reported by verify, and the refusals (no key,
 * a private key given as --key, a bad retention).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureGatewayKeys } from '../../../auth';
import { newAuditId } from '../../../audit/audit-id';
import { releasedEvent } from '../../../audit/__tests__/support/events';
import { seqIs } from '../../../audit/__tests__/support/tamper';
import { createHarness, type StoreHarness } from '../../../audit/__tests__/support/store-harness';
import { runAudit, storeOptions } from './support/run-audit-command';

const NOW = new Date(Date.UTC(2025, 0, 16, 6));

describe.each(['sqlite', 'postgres'] as const)('pactum audit checkpoint / prune on %s', (kind) => {
  let h: StoreHarness;
  let state: string;
  let store: string[];
  const run = (argv: string[], env: NodeJS.ProcessEnv = { PACTUM_STATE_DIR: state }) => runAudit([...argv, ...store], env, NOW);

  beforeEach(async () => {
    h = await createHarness(kind);
    state = mkdtempSync(join(tmpdir(), 'pactum-audit-keys-'));
    ensureGatewayKeys(join(state, 'keys'));
    store = storeOptions(kind, h);
    const trail = await h.open();
    for (let n = 1; n <= 10; n++) {
      const time = new Date(Date.UTC(2025, 0, n, 9));
      await trail.append(releasedEvent(0, { time, id: newAuditId(time), requestId: `r${n}` }));
    }
    await trail.close();
  });
  afterEach(async () => {
    await h.cleanup();
    rmSync(state, { recursive: true, force: true });
  });

  it('exports a signed head, prunes behind a signed checkpoint, and verify reports the range', async () => {
    const cp = await run(['checkpoint', '--json']);
    expect(cp.code).toBe(0);
    const [signed] = JSON.parse(cp.out) as { statement: { chain: string; seq: number }; jws: string }[];
    expect(signed?.statement).toMatchObject({ chain: 'gw-1', seq: 10, kind: 'export' });
    expect(signed?.jws.split('.')).toHaveLength(3);

    const pruned = await run(['prune', '--retention', '7d']);
    expect(pruned.code).toBe(0);
    expect(pruned.out).toContain('chain gw-1: 8 record(s) deleted now, records 1..8 pruned (older than 2025-01-09T06:00:00.000Z)');

    const ok = await run(['verify']);
    expect(ok.code).toBe(0);
    expect(ok.out).toContain('chain gw-1: 2 record(s) ok');
    expect(ok.out).toContain('records 1..8 pruned by retention (older than 2025-01-09T06:00:00.000Z): verified from the signed checkpoint of record 8');
    expect(ok.out).toMatch(/newest signed checkpoint: seq 10 \(export/);

    await h.sql(`UPDATE audit_record SET purpose = 'terrorism' WHERE ${seqIs(10)}`);
    const bad = await run(['verify']);
    expect(bad.code).toBe(1);
    expect(bad.out).toContain('CHANGED at seq 10');
  });

  it('refuses what it cannot sign or check with', async () => {
    expect((await run(['checkpoint'])).code).toBe(0);
    const noKeyDir = mkdtempSync(join(tmpdir(), 'pactum-audit-nokey-'));
    try {
      const unsigned = await run(['checkpoint'], { PACTUM_STATE_DIR: noKeyDir });
      expect(unsigned.code).toBe(1);
      expect(unsigned.err).toContain('no gateway key in');
      const unverifiable = await run(['verify'], { PACTUM_STATE_DIR: noKeyDir });
      expect(unverifiable.code).toBe(1);
      expect(unverifiable.out).toContain('BAD-SIGNATURE');
      const privateAsKey = await run(['verify', '--key', join(state, 'keys', 'gateway.private.jwk')]);
      expect(privateAsKey.code).toBe(1);
      expect(privateAsKey.err).toContain('holds a private key');
      writeFileSync(join(noKeyDir, 'junk.json'), '{"keys": 3}');
      expect((await run(['verify', '--key', join(noKeyDir, 'junk.json')])).code).toBe(1);
    } finally {
      rmSync(noKeyDir, { recursive: true, force: true });
    }
    expect((await run(['prune', '--retention', '3 years'])).code).toBe(2);
    expect((await run(['prune'])).code).toBe(2);
    expect((await run(['checkpoint', '--retention', '3y'])).code).toBe(2);
  });
});
