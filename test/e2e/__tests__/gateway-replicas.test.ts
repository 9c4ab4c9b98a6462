/**
 * Replicas, for real: two `pactum gateway` processes over the same subgraphs, the audit trail in
 * PostgreSQL (one hash chain per replica), load sent through both. One replica is SIGKILLed in
 * the middle; the other keeps serving. Every response that reached a client with data has its
 * record, and both chains verify — the killed one up to its last durable record.
 */
import { openAuditTrail } from '@pactum/gateway/src/audit';
import { e2eAuditStore, type E2eAuditStore } from '../../src/audit-store';
import { checkpointKeys } from '../../src/checkpoint-keys';
import { ask } from '../../src/client';
import { startGatewayProcess, type GatewayProcess } from '../../src/gateway-process';
import { startFleet, type Fleet } from '../../src/stack';
import { NL_CUSTOMS_OFFICER } from '../../src/story-principals';

let store: E2eAuditStore;
let fleet: Fleet;
const replicas: GatewayProcess[] = [];

beforeAll(async () => {
  store = await e2eAuditStore('postgres');
  fleet = await startFleet({ env: store.env });
}, 120_000);
afterAll(async () => {
  await Promise.all(replicas.map((r) => r.kill()));
  await fleet?.stop();
  await store?.cleanup();
});

test('load through two replicas, one SIGKILLed: every acknowledged answer is in the trail, both chains verify', async () => {
  // One after the other: two cold starts at once on two cores only make each slower.
  const a = await startGatewayProcess(fleet, { PACTUM_AUDIT_REPLICA: 'replica-a' });
  replicas.push(a);
  const b = await startGatewayProcess(fleet, { PACTUM_AUDIT_REPLICA: 'replica-b' });
  replicas.push(b);

  const token = await fleet.keys.token(NL_CUSTOMS_OFFICER);
  const acknowledged = { a: [] as string[], b: [] as string[] };
  let killed = false;
  let stop = false;
  const worker = async (i: number): Promise<void> => {
    for (let n = i; !stop; n++) {
      // Round robin, as a load balancer would; after the kill, the balancer sends to b only.
      const target = killed || n % 2 === 1 ? 'b' : 'a';
      const replica = target === 'a' ? a : b;
      try {
        const reply = await ask(`${replica.baseUrl}/graphql`, { token, purpose: 'drug-trafficking', operation: 'ContainerDossier', variables: { number: 'MSCU1234566' } });
        if (reply.body.data && typeof reply.body.extensions?.auditId === 'string') acknowledged[target].push(reply.body.extensions.auditId);
      } catch {
        // The connection died with replica a: this client got nothing, so owes no record.
        if (target === 'b') throw new Error('replica b failed a request');
      }
    }
  };
  const workers = Array.from({ length: 12 }, (_, i) => worker(i));
  const waitFor = async (check: () => boolean): Promise<void> => {
    while (!check()) await new Promise((r) => setTimeout(r, 20));
  };
  await waitFor(() => acknowledged.a.length >= 60 && acknowledged.b.length >= 60);
  a.child.kill('SIGKILL');
  killed = true;
  expect(await a.exit()).toEqual({ code: null, signal: 'SIGKILL' });
  const bAtKill = acknowledged.b.length;
  await waitFor(() => acknowledged.b.length >= bAtKill + 60);
  stop = true;
  await Promise.all(workers);

  // b leaves cleanly: drain, exit 0.
  b.child.kill('SIGTERM');
  expect(await b.exit()).toEqual({ code: 0, signal: null });

  const trail = await openAuditTrail(store.trailConfig(fleet.stateDir));
  try {
    const stored = new Map<string, string>();
    for await (const record of trail.query({})) stored.set(record.id, record.chain);
    expect(acknowledged.a.filter((id) => !stored.has(id))).toEqual([]);
    expect(acknowledged.b.filter((id) => !stored.has(id))).toEqual([]);
    // Each answer's record is on the chain of the replica that gave it.
    expect(acknowledged.a.every((id) => stored.get(id) === 'replica-a')).toBe(true);
    expect(acknowledged.b.every((id) => stored.get(id) === 'replica-b')).toBe(true);
    const report = await trail.verify({ checkpointKeys: checkpointKeys(fleet) });
    expect(report.firstBad).toBeUndefined();
    expect(report.ok).toBe(true);
    expect(report.chains.map((c) => c.chain).sort()).toEqual(['replica-a', 'replica-b']);
    for (const chain of report.chains) expect(chain.checked).toBeGreaterThanOrEqual(60);
  } finally {
    await trail.close();
  }
}, 240_000);
