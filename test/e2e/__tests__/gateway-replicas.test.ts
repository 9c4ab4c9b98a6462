/**
 * Replicas, for real: two `pactum gateway` processes over the same subgraphs, the audit trail in
 * PostgreSQL (one hash chain per replica), rate limits in Redis (shared), load sent through both.
 *
 * - A principal's budget is one budget across the replicas: of 60 requests alternating between
 *   them with a budget of 40, 40 are answered and the rest refused 429 RATE_LIMITED, each
 *   refusal audited (in memory per replica it would have been 80).
 * - One replica is SIGKILLed in the middle of a load; the other keeps serving. Every response
 *   that reached a client with data has its record on its replica's chain, both chains verify
 *   (the killed one up to its last durable record), and the exhausted budget still holds on the
 *   survivor.
 */
import { openAuditTrail } from '@pactum/gateway/src/audit';
import { assertRedisReachable, dropKeys, TEST_REDIS_URL, uniquePrefix } from '@pactum/gateway/src/ratelimit/__tests__/support/redis-harness';
import { e2eAuditStore, type E2eAuditStore } from '../../src/audit-store';
import { checkpointKeys } from '../../src/checkpoint-keys';
import { ask, type GraphQLReply } from '../../src/client';
import { startGatewayProcess, type GatewayProcess } from '../../src/gateway-process';
import { startFleet, type Fleet } from '../../src/stack';
import { NL_CUSTOMS_OFFICER } from '../../src/story-principals';

const PREFIX = uniquePrefix('replicas');
/** A budget small enough to exhaust, with a refill too slow to matter within the test (40 an hour). */
const PRINCIPAL_BUDGET = 40;

let store: E2eAuditStore;
let fleet: Fleet;
const replicas: GatewayProcess[] = [];

beforeAll(async () => {
  await assertRedisReachable();
  store = await e2eAuditStore('postgres');
  fleet = await startFleet({
    env: {
      ...store.env,
      PACTUM_REDIS_URL: TEST_REDIS_URL,
      PACTUM_REDIS_PREFIX: PREFIX,
      PACTUM_RATE_LIMIT_PRINCIPAL: `${PRINCIPAL_BUDGET}/1h`,
      PACTUM_RATE_LIMIT_AGENCY: '100000/1m',
      PACTUM_RATE_LIMIT_HIT_PRINCIPAL: `${PRINCIPAL_BUDGET}/1h`,
      PACTUM_RATE_LIMIT_HIT_AGENCY: '100000/1m',
    },
  });
}, 120_000);
afterAll(async () => {
  await Promise.all(replicas.map((r) => r.kill()));
  await fleet?.stop();
  await store?.cleanup();
  await dropKeys(PREFIX);
});

const dossier = (replica: GatewayProcess, token: string): Promise<GraphQLReply> =>
  ask(`${replica.baseUrl}/graphql`, { token, purpose: 'drug-trafficking', operation: 'ContainerDossier', variables: { number: 'MSCU1234566' } });

test('two replicas: one shared rate limit; load with one SIGKILLed: every acknowledged answer audited, both chains verify', async () => {
  // One after the other: two cold starts at once on two cores only make each slower.
  const a = await startGatewayProcess(fleet, { PACTUM_AUDIT_REPLICA: 'replica-a' });
  replicas.push(a);
  const b = await startGatewayProcess(fleet, { PACTUM_AUDIT_REPLICA: 'replica-b' });
  replicas.push(b);

  // The shared budget: 60 requests of one principal, alternating between the replicas.
  const probeToken = await fleet.keys.token({ ...NL_CUSTOMS_OFFICER, sub: 'rate.probe' });
  const probe: GraphQLReply[] = [];
  for (let i = 0; i < 60; i++) probe.push(await dossier(i % 2 === 0 ? a : b, probeToken));
  const answered = probe.filter((r) => r.status === 200);
  const limited = probe.filter((r) => r.status === 429);
  expect(answered.length + limited.length).toBe(60);
  // 40 an hour refills about one token in the 90 s this could take at worst.
  expect(answered.length).toBeGreaterThanOrEqual(PRINCIPAL_BUDGET);
  expect(answered.length).toBeLessThanOrEqual(PRINCIPAL_BUDGET + 1);
  for (const r of limited) expect(r.body.errors?.[0]?.extensions?.code).toBe('RATE_LIMITED');
  // Both replicas refused: the budget the other spent counted on each.
  const limitedBy = new Set(probe.map((r, i) => (r.status === 429 ? i % 2 : -1)).filter((x) => x >= 0));
  expect(limitedBy).toEqual(new Set([0, 1]));

  // The load: each worker its own principal (within the budget), round robin over the replicas.
  const acknowledged = { a: [] as string[], b: [] as string[] };
  let killed = false;
  let stop = false;
  const worker = async (i: number): Promise<void> => {
    const token = await fleet.keys.token({ ...NL_CUSTOMS_OFFICER, sub: `load.${i}` });
    for (let n = i; !stop; n++) {
      // After the kill the load balancer sends to b only.
      const target = killed || n % 2 === 1 ? 'b' : 'a';
      try {
        const reply = await dossier(target === 'a' ? a : b, token);
        if (reply.status === 429) throw new Error(`load principal load.${i} was rate limited: the load exceeds its budget`);
        if (reply.body.data && typeof reply.body.extensions?.auditId === 'string') acknowledged[target].push(reply.body.extensions.auditId);
      } catch (err) {
        // The connection died with replica a: this client got nothing, so owes no record.
        if (target === 'b' || !killed) throw err;
      }
    }
  };
  const workers = Array.from({ length: 12 }, (_, i) => worker(i));
  const waitFor = async (check: () => boolean): Promise<void> => {
    while (!check()) await new Promise((r) => setTimeout(r, 20));
  };
  // ≤ 40 requests per principal: 12 workers, about 200 requests in all.
  await waitFor(() => acknowledged.a.length >= 50 && acknowledged.b.length >= 50);
  a.child.kill('SIGKILL');
  killed = true;
  expect(await a.exit()).toEqual({ code: null, signal: 'SIGKILL' });
  const bAtKill = acknowledged.b.length;
  await waitFor(() => acknowledged.b.length >= bAtKill + 50);
  stop = true;
  await Promise.all(workers);

  // The exhausted budget holds on the survivor.
  const after = await dossier(b, probeToken);
  expect(after.status).toBe(429);

  // b leaves cleanly: drain, exit 0.
  b.child.kill('SIGTERM');
  expect(await b.exit()).toEqual({ code: 0, signal: null });

  const trail = await openAuditTrail(store.trailConfig(fleet.stateDir));
  try {
    const stored = new Map<string, { chain: string; code: string | undefined }>();
    for await (const record of trail.query({})) stored.set(record.id, { chain: record.chain, code: record.event.refusal?.code });
    expect(acknowledged.a.filter((id) => !stored.has(id))).toEqual([]);
    expect(acknowledged.b.filter((id) => !stored.has(id))).toEqual([]);
    // Each answer's record is on the chain of the replica that gave it.
    expect(acknowledged.a.every((id) => stored.get(id)?.chain === 'replica-a')).toBe(true);
    expect(acknowledged.b.every((id) => stored.get(id)?.chain === 'replica-b')).toBe(true);
    // Every rate-limit refusal was audited as one.
    for (const r of [...limited, after]) expect(stored.get(r.body.extensions?.auditId as string)?.code).toBe('RATE_LIMITED');
    const report = await trail.verify({ checkpointKeys: checkpointKeys(fleet) });
    expect(report.firstBad).toBeUndefined();
    expect(report.ok).toBe(true);
    expect(report.chains.map((c) => c.chain).sort()).toEqual(['replica-a', 'replica-b']);
    for (const chain of report.chains) expect(chain.checked).toBeGreaterThanOrEqual(50);
  } finally {
    await trail.close();
  }
}, 300_000);
