/**
 * Drain, as production meets it: a real `pactum gateway` child process (no NODE_ENV=test), 40
 * real clients whose requests are held in flight at the police subgraph, SIGTERM in the middle.
 * Readiness turns 503 at once, new connections are refused once the drain delay is over, all 40
 * complete with data and each has its audit record, and the process exits 0. Past the drain
 * timeout what is left is cut and the exit code (3) says so.
 */
import http from 'node:http';
import net from 'node:net';
import { openAuditTrail } from '@pactum/gateway/src/audit';
import { checkpointKeys } from '../../src/checkpoint-keys';
import { ask, type GraphQLReply } from '../../src/client';
import { startGatedProxy, type GatedProxy } from '../../src/gated-proxy';
import { startGatewayProcess, type GatewayProcess } from '../../src/gateway-process';
import { startFleet, type Fleet } from '../../src/stack';
import { NL_INVESTIGATOR } from '../../src/story-principals';

let fleet: Fleet;
let token: string;

beforeAll(async () => {
  fleet = await startFleet();
  token = await fleet.keys.token(NL_INVESTIGATOR);
}, 120_000);
afterAll(async () => fleet?.stop());

const dossier = (gateway: GatewayProcess): Promise<GraphQLReply> =>
  ask(`${gateway.baseUrl}/graphql`, { token, purpose: 'drug-trafficking', operation: 'ContainerDossier', variables: { number: 'MSCU1234566' } });

/** A fresh connection's answer to GET path (status and `connection` header), or the connect error's code. */
function getFresh(base: string, path: string): Promise<{ status: number; connection: string | undefined } | { error: string }> {
  return new Promise((resolve) => {
    const req = http.get(`${base}${path}`, { agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, connection: res.headers.connection }));
    });
    req.on('error', (err: NodeJS.ErrnoException) => resolve({ error: err.code ?? err.message }));
  });
}

function refused(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', (err: NodeJS.ErrnoException) => resolve(err.code === 'ECONNREFUSED'));
  });
}

async function until(what: string, check: () => Promise<boolean> | boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`not within ${timeoutMs} ms: ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

async function gatedGateway(env: Record<string, string>): Promise<{ gateway: GatewayProcess; gate: GatedProxy }> {
  const gate = await startGatedProxy(fleet.subgraphUrls.police as string);
  gate.open(); // while it starts: readiness and warm-up pass
  // Dedup off: the 40 identical dossiers below must each be a call of its own held at the gate
  // (merged, one call would be held and 39 would wait for it inside the gateway).
  // Slots for all of them: past PACTUM_MAX_CONCURRENT_EXECUTIONS they would wait inside the gateway.
  const gateway = await startGatewayProcess(fleet, {
    PACTUM_POLICE_URL: gate.url,
    PACTUM_LOG_LEVEL: 'info',
    PACTUM_SUBGRAPH_DEDUP: 'off',
    PACTUM_MAX_CONCURRENT_EXECUTIONS: '64',
    ...env,
  });
  // Warm up the planner, so the 40 below are held at the subgraph, not at the first plan.
  expect((await dossier(gateway)).status).toBe(200);
  return { gateway, gate };
}

test('SIGTERM with 40 requests in flight: 503 readiness, new connections refused, all 40 answered with data and audited, exit 0', async () => {
  const { gateway, gate } = await gatedGateway({ PACTUM_DRAIN_DELAY_MS: '1500', PACTUM_DRAIN_TIMEOUT_MS: '60000' });
  const port = Number(new URL(gateway.baseUrl).port);
  try {
    expect(await getFresh(gateway.baseUrl, '/readyz')).toMatchObject({ status: 200 });
    // Hold the police subgraph's calls: 40 requests in flight, each waiting for it.
    gate.hold();
    const replies = Array.from({ length: 40 }, () => dossier(gateway));
    await until('40 requests held at the police subgraph', () => gate.waiting >= 40);
    gateway.child.kill('SIGTERM');

    // Draining: readiness 503 at once (the listener stays open for the drain delay), liveness still 200.
    await until('readiness 503', async () => {
      const r = await getFresh(gateway.baseUrl, '/readyz');
      return 'status' in r && r.status === 503;
    });
    const live = await getFresh(gateway.baseUrl, '/healthz');
    expect(live).toEqual({ status: 200, connection: 'close' });
    // After the delay: a new connection is refused, while the 40 are still held.
    await until('connection refused', () => refused(port));
    expect(gate.waiting).toBeGreaterThanOrEqual(40);
    expect(gateway.ended()).toBeNull();

    gate.open();
    const answered = await Promise.all(replies);
    for (const reply of answered) {
      expect(reply.status).toBe(200);
      expect((reply.body.data as { container: { investigations: unknown[] } }).container.investigations.length).toBeGreaterThan(0);
    }
    expect(await gateway.exit()).toEqual({ code: 0, signal: null });
    expect(gateway.output()).toMatch(/"event":"drained","completed":\d+,"cut":0/);

    const trail = await openAuditTrail({ file: `${fleet.stateDir}/audit/audit.sqlite` });
    try {
      const stored = new Set<string>();
      for await (const record of trail.query({})) stored.add(record.id);
      const ids = answered.map((r) => r.body.extensions?.auditId as string);
      expect(new Set(ids).size).toBe(40);
      expect(ids.filter((id) => !stored.has(id))).toEqual([]);
      const report = await trail.verify({ checkpointKeys: checkpointKeys(fleet) });
      expect(report.firstBad).toBeUndefined();
      expect(report.ok).toBe(true);
      // The drained gateway's last word: its chain head, signed with its key, as of the last record.
      const head = report.chains.find((c) => c.head !== null);
      expect(head?.signedHead).toMatchObject({ kind: 'shutdown', seq: head?.head?.seq });
    } finally {
      await trail.close();
    }
  } finally {
    gate.open();
    await gateway.kill();
    await gate.close();
  }
}, 180_000);

test('SIGINT drains the same way; a second signal does not cut the drain short; past PACTUM_DRAIN_TIMEOUT_MS what is left is cut, logged, exit 3', async () => {
  const { gateway, gate } = await gatedGateway({ PACTUM_DRAIN_TIMEOUT_MS: '1500' });
  const port = Number(new URL(gateway.baseUrl).port);
  try {
    gate.hold();
    const replies = Array.from({ length: 5 }, () => dossier(gateway).then(() => 'answered', () => 'cut'));
    await until('5 requests held', () => gate.waiting >= 5);
    gateway.child.kill('SIGINT');
    // No drain delay: the listener closes at once.
    await until('connection refused', () => refused(port), 5_000);
    // A second signal (Ctrl-C reaching both pactum start and the gateway) changes nothing.
    gateway.child.kill('SIGTERM');
    await until('the second signal noted', () => gateway.output().includes('"event":"signal_ignored"'), 5_000);
    expect(gateway.ended()).toBeNull();
    expect(await gateway.exit()).toEqual({ code: 3, signal: null });
    expect(gateway.output()).toContain('"event":"drain_started","signal":"SIGINT"');
    expect(await Promise.all(replies)).toEqual(Array(5).fill('cut'));
    expect(gateway.output()).toMatch(/"event":"drained","completed":0,"cut":5/);
  } finally {
    gate.open();
    await gateway.kill();
    await gate.close();
  }
}, 180_000);
