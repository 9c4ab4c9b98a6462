/**
 * The bound on waiting executions, in a real `pactum gateway` process: one execution slot, one
 * place in the queue, the police subgraph held at a gate. The first dossier holds the slot, the
 * second waits, the third is refused at once — 503 GATEWAY_BUSY with retry-after, no data, no
 * subgraph asked for it — and audited as a refusal. Once the gate opens, the two admitted
 * requests are answered with data. A request whose client hangs up while it waits is never run
 * once its turn comes: no subgraph call is made for it, and the record says why.
 */
import { collect, openAuditTrail, type AuditEvent, type AuditFilter } from '@pactum/gateway/src/audit';
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

async function until(what: string, check: () => boolean): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`not within 20 s: ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** The events of the gateway's trail (once it has stopped) that match `filter`. */
async function recordsWhere(filter: AuditFilter): Promise<AuditEvent[]> {
  const trail = await openAuditTrail({ file: `${fleet.stateDir}/audit/audit.sqlite` });
  try {
    return (await collect(trail.query(filter))).map((r) => r.event);
  } finally {
    await trail.close();
  }
}

/** Lets everything through and stops the gateway (if still running) and the gate. */
async function stopBoth(gate: GatedProxy, gateway: GatewayProcess): Promise<void> {
  gate.open();
  if (gateway.ended() === null) {
    gateway.child.kill('SIGTERM');
    await gateway.exit();
  }
  await gate.close();
}

test('past the queue bound a request is refused 503 GATEWAY_BUSY with retry-after and audited; the admitted ones are answered', async () => {
  const gate = await startGatedProxy(fleet.subgraphUrls.police as string);
  const gateway = await startGatewayProcess(fleet, {
    PACTUM_POLICE_URL: gate.url,
    PACTUM_SUBGRAPH_DEDUP: 'off',
    PACTUM_MAX_CONCURRENT_EXECUTIONS: '1',
    PACTUM_MAX_QUEUED_EXECUTIONS: '1',
  });
  const dossier = (): Promise<GraphQLReply> =>
    ask(`${gateway.baseUrl}/graphql`, { token, purpose: 'drug-trafficking', operation: 'ContainerDossier', variables: { number: 'MSCU1234566' } });
  try {
    expect((await dossier()).status).toBe(200); // plan warm, slot free again
    gate.hold();
    const first = dossier();
    await until('the first dossier held at the police subgraph', () => gate.waiting >= 1);
    const settle = () => new Promise((r) => setTimeout(r, 300));
    await settle();
    const held = gate.waiting; // the first dossier's police calls (its plan may have parallel ones)
    const second = dossier();
    // The second holds the only place in the queue: nothing of it reaches the subgraph.
    await settle();
    expect(gate.waiting).toBe(held);
    const third = await dossier();
    expect(third.status).toBe(503);
    expect(third.headers?.get('retry-after')).toBe('1');
    expect(third.body.data).toBeUndefined();
    expect(third.body.errors?.[0]?.extensions).toMatchObject({ code: 'GATEWAY_BUSY', reason: 'execution_queue_full' });
    expect(gate.waiting).toBe(held);
    gate.open();
    for (const reply of await Promise.all([first, second])) {
      expect(reply.status).toBe(200);
      expect(reply.body.data).toMatchObject({ container: { number: 'MSCU1234566' } });
    }
    gateway.child.kill('SIGTERM');
    expect(await gateway.exit()).toEqual({ code: 0, signal: null });
    const [record] = await recordsWhere({ id: third.body.extensions?.auditId as string });
    expect(record).toMatchObject({ outcome: 'refused', httpStatus: 503, refusal: { code: 'GATEWAY_BUSY', reason: 'execution_queue_full' }, principal: { agency: 'NL-POLICE' } });
  } finally {
    await stopBoth(gate, gateway);
  }
}, 90_000);


test('a queued request whose client went away is not run when its turn comes; the next one is, and the record says why', async () => {
  const gate = await startGatedProxy(fleet.subgraphUrls.police as string);
  const gateway = await startGatewayProcess(fleet, {
    PACTUM_POLICE_URL: gate.url,
    PACTUM_SUBGRAPH_DEDUP: 'off',
    PACTUM_MAX_CONCURRENT_EXECUTIONS: '1',
    PACTUM_MAX_QUEUED_EXECUTIONS: '4',
  });
  const url = `${gateway.baseUrl}/graphql`;
  const dossier = (): Promise<GraphQLReply> => ask(url, { token, purpose: 'drug-trafficking', operation: 'ContainerDossier', variables: { number: 'MSCU1234566' } });
  const settle = () => new Promise((r) => setTimeout(r, 300));
  try {
    expect((await dossier()).status).toBe(200); // plan warm
    const perDossier = gate.received; // the police calls one dossier makes
    gate.hold();
    const startedAt = new Date();
    const first = dossier();
    await until('the first dossier held at the police subgraph', () => gate.waiting >= 1);
    await settle();
    // The second waits for the slot, then its client hangs up.
    const abort = new AbortController();
    const second = ask(url, { token, purpose: 'drug-trafficking', operation: 'ContainerDossier', variables: { number: 'MSCU1234566' }, signal: abort.signal }).catch((error: unknown) => error);
    await settle();
    const third = dossier();
    await settle();
    abort.abort();
    expect(await second).toMatchObject({ name: 'AbortError' });
    await settle();
    gate.open();
    for (const reply of await Promise.all([first, third])) expect(reply.status).toBe(200);
    // The first, the warm-up and the third reached the police subgraph; the abandoned one never did.
    expect(gate.received).toBe(3 * perDossier);
    gateway.child.kill('SIGTERM');
    expect(await gateway.exit()).toEqual({ code: 0, signal: null });
    // Logged as capacity, not as a fault.
    expect(gateway.output()).toMatch(/"event":"gateway_busy"[^\n]*"reason":"client_gone_while_queued"/);
    expect(gateway.output()).not.toContain('internal_failure');
    const refused = await recordsWhere({ outcome: 'refused', since: startedAt });
    expect(refused).toEqual([expect.objectContaining({ httpStatus: 503, refusal: expect.objectContaining({ code: 'GATEWAY_BUSY', reason: 'client_gone_while_queued' }) })]);
    expect(refused[0]?.enforcement?.released ?? []).toEqual([]);
  } finally {
    await stopBoth(gate, gateway);
  }
}, 90_000);
