/**
 * No audit, no data — even when the gateway dies: a gateway process is SIGKILLed in the middle
 * of a load of concurrent requests; every response that reached a client with data has its
 * record in the trail, and the chain verifies on what remains.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { openAuditTrail } from '@pactum/gateway/src/audit';
import { e2eAuditStore, type E2eAuditStore, type StoreKind } from '../../src/audit-store';
import { ask } from '../../src/client';
import { startFleet, type Fleet } from '../../src/stack';
import { freePort } from '../../src/free-port';
import { NL_CUSTOMS_OFFICER } from '../../src/story-principals';

const repoRoot = path.resolve(__dirname, '../../..');


describe.each<StoreKind>(['sqlite', 'postgres'])('on %s', (kind) => {
  let fleet: Fleet;
  let store: E2eAuditStore;

  beforeAll(async () => {
    store = await e2eAuditStore(kind);
    fleet = await startFleet({ env: store.env });
  }, 120_000);
  afterAll(async () => {
    await fleet?.stop();
    await store?.cleanup();
  });

  test('every response a client got with data is in the trail after a SIGKILL, and the chain verifies', async () => {
    const port = await freePort();
    const gateway = spawn(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'gateway/src/cli/pactum.ts'), 'gateway'], {
      cwd: repoRoot,
      env: { ...process.env, ...fleet.gatewayEnv, PACTUM_GATEWAY_PORT: String(port) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    gateway.stdout?.on('data', (d: Buffer) => (output += d.toString()));
    gateway.stderr?.on('data', (d: Buffer) => (output += d.toString()));
    const exited = new Promise<NodeJS.Signals | null>((r) => gateway.on('exit', (_code, signal) => r(signal)));
    try {
      const deadline = Date.now() + 90_000;
      for (;;) {
        const ready = await fetch(`http://127.0.0.1:${port}/readyz`).then((r) => r.ok, () => false);
        if (ready) break;
        if (gateway.exitCode !== null || Date.now() > deadline) throw new Error(`gateway did not become ready:\n${output}`);
        await new Promise((r) => setTimeout(r, 250));
      }

      const token = await fleet.keys.token(NL_CUSTOMS_OFFICER);
      const url = `http://127.0.0.1:${port}/graphql`;
      const acknowledged: string[] = [];
      let killed = false;
      const worker = async (): Promise<void> => {
        while (!killed) {
          try {
            const reply = await ask(url, { token, purpose: 'drug-trafficking', operation: 'ContainerDossier', variables: { number: 'MSCU1234566' } });
            if (reply.body.data && typeof reply.body.extensions?.auditId === 'string') acknowledged.push(reply.body.extensions.auditId);
          } catch {
            // The connection died with the gateway: this client got nothing, so owes no record.
            if (killed) return;
          }
        }
      };
      const workers = Array.from({ length: 16 }, worker);
      while (acknowledged.length < 150) await new Promise((r) => setTimeout(r, 20));
      gateway.kill('SIGKILL');
      killed = true;
      expect(await exited).toBe('SIGKILL');
      await Promise.all(workers);
      expect(acknowledged.length).toBeGreaterThanOrEqual(150);

      const trail = await openAuditTrail(store.trailConfig(fleet.stateDir));
      try {
        const stored = new Set<string>();
        for await (const record of trail.query({})) stored.add(record.id);
        const missing = acknowledged.filter((id) => !stored.has(id));
        expect(missing).toEqual([]);
        const report = await trail.verify();
        expect(report.firstBad).toBeUndefined();
        expect(report.ok).toBe(true);
      } finally {
        await trail.close();
      }
    } finally {
      if (gateway.exitCode === null && gateway.signalCode === null) gateway.kill('SIGKILL');
    }
  }, 180_000);
});
