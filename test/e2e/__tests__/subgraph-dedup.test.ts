/**
 * In-flight deduplication through the real gateway and subgraphs: concurrent identical requests
 * by one principal make one subgraph call per distinct fetch, two agencies asking the very same
 * thing never share a call, every response keeps its own need-to-know outcome and audit record,
 * and a subgraph failing with waiters queued fails every one of them.
 *
 * Each subgraph sits behind a gate (which holds the gateway's calls) in front of a recording
 * proxy (which counts what reached the subgraph). The gate lets a step of the query plan through
 * only once every request has made that step's calls — each call held at the gate has as many
 * calls joined to it as its principal has other requests running, which the gateway's
 * `pactum_subgraph_requests_deduplicated_total` shows — so merging is observed, not raced.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';
import { openAuditTrail } from '@pactum/gateway/src/audit';
import { loadGatewayConfig, startGateway, type RunningGateway } from '@pactum/gateway/src/testing';
import { startTracing } from '@pactum/subgraph-kit';
import { ask, type GraphQLReply } from '../../src/client';
import { startFleet, type Fleet } from '../../src/stack';
import { NL_CUSTOMS_OFFICER, NL_INVESTIGATOR } from '../../src/story-principals';

/** Holds the gateway's POSTs to one subgraph until let through; knows whose call each is. */
interface Gate {
  readonly url: string;
  /** Agencies (from the context token) of the calls held now. */
  readonly held: readonly string[];
  /** Lets the held calls through; later ones are held again. */
  letThrough(): void;
  /** Holds every later POST (open while the gateway starts). */
  hold(): void;
  /** From now on: answer every call with 502, forwarding nothing (the subgraph "down"). */
  failAll(): void;
  close(): Promise<void>;
}

function agencyOf(authorization: string | undefined): string {
  const payload = authorization?.split(' ')[1]?.split('.')[1];
  if (!payload) return '(none)';
  return (JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { agency?: string }).agency ?? '(none)';
}

async function startGate(target: string): Promise<Gate> {
  const targetUrl = new URL(target);
  let held: { agency: string; go: () => void; fail: () => void }[] = [];
  let open = true;
  let failing = false;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const go = (): void => {
        const upstream = http.request({ host: targetUrl.hostname, port: targetUrl.port, path: req.url, method: req.method, headers: req.headers }, (up) => {
          res.writeHead(up.statusCode ?? 502, up.headers);
          up.pipe(res);
        });
        upstream.on('error', () => res.writeHead(502).end());
        upstream.end(Buffer.concat(chunks));
      };
      const fail = (): void => void res.writeHead(502, { 'content-type': 'text/plain' }).end('subgraph down');
      if (failing) fail();
      else if (open || req.method !== 'POST') go();
      else held.push({ agency: agencyOf(req.headers.authorization), go, fail });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}${targetUrl.pathname}`,
    get held() {
      return held.map((h) => h.agency);
    },
    letThrough() {
      const now = held;
      held = [];
      for (const h of now) (failing ? h.fail : h.go)();
    },
    failAll() {
      failing = true;
      open = false;
    },
    hold() {
      open = false;
    },
    close() {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

const exporter = new InMemorySpanExporter();
let fleet: Fleet;
let gateway: RunningGateway;
const gates: Record<string, Gate> = {};
let police: string;
let customs: string;
let belgian: string;
const JUSTIFICATION = 'dossier review for NL-ONB-2024-0456';
const CASE_REF = 'NL-ONB-2024-0456';

beforeAll(async () => {
  // Spans in memory: a joined call's span says it was deduplicated.
  startTracing('pactum-e2e-dedup', { spanExporter: exporter });
  fleet = await startFleet({ record: true });
  for (const [name, proxy] of Object.entries(fleet.recorded)) gates[name] = await startGate(proxy.url);
  const routes = Object.fromEntries(Object.entries(gates).map(([name, g]) => [`PACTUM_${name.toUpperCase()}_URL`, g.url]));
  gateway = await startGateway(loadGatewayConfig({ ...fleet.gatewayEnv, ...routes }));
  police = await fleet.keys.token(NL_INVESTIGATOR);
  customs = await fleet.keys.token(NL_CUSTOMS_OFFICER);
  belgian = await fleet.keys.token({ agency: 'BE-POLICE', sub: 'l.peeters', roles: ['investigator'], clearance: 'CONFIDENTIAL', purposes: ['drug-trafficking'] });
  for (const g of Object.values(gates)) g.hold();
}, 120_000);

afterAll(async () => {
  await gateway?.stop();
  await Promise.all(Object.values(gates).map((g) => g.close()));
  await fleet?.stop();
});

type Who = 'police' | 'customs' | 'belgian';
const AGENCY: Record<Who, string> = { police: 'NL-POLICE', customs: 'NL-CUSTOMS', belgian: 'BE-POLICE' };
const TOKEN: Record<Who, () => string> = { police: () => police, customs: () => customs, belgian: () => belgian };

/** What Dutch and Belgian police may both see of a container: Customs is asked the very same thing for either. */
const CONTAINER_BASICS = 'query ContainerBasics($number: ContainerNumber!) { container(number: $number) { number reefer } }';

function dossier(who: Who, query?: string): Promise<GraphQLReply> {
  return ask(gateway.url, {
    token: TOKEN[who](),
    purpose: 'drug-trafficking',
    ...(who === 'police' ? { justification: JUSTIFICATION, caseRef: CASE_REF } : {}),
    ...(query ? { query } : { operation: 'ContainerDossier' }),
    variables: { number: 'MSCU1234566' },
  });
}

/** Calls joined to one in flight so far, by subgraph. */
async function joinedSoFar(): Promise<Record<string, number>> {
  const { values } = await gateway.metrics.subgraphDeduplicated.get();
  return Object.fromEntries(values.map((v) => [String(v.labels.subgraph), v.value]));
}

/** What reached each subgraph, by subgraph: the agency of each call. */
function reached(): Record<string, string[]> {
  return Object.fromEntries(Object.entries(fleet.recorded).map(([name, p]) => [name, p.requests.map((r) => agencyOf(r.authorization))]));
}

function clearRecorded(): void {
  for (const p of Object.values(fleet.recorded)) p.clear();
}

/**
 * Runs the requests concurrently with every gate held, and lets a round of calls through only
 * when each held call has all its followers: (requests of its agency - 1) joined calls each.
 */
async function runStepped(whos: readonly Who[], query?: string): Promise<GraphQLReply[]> {
  const perAgency = new Map<string, number>();
  for (const w of whos) perAgency.set(AGENCY[w], (perAgency.get(AGENCY[w]) ?? 0) + 1);
  let done = false;
  const replies = Promise.all(whos.map((w) => dossier(w, query))).finally(() => {
    done = true;
  });
  let base = await joinedSoFar();
  const deadline = Date.now() + 60_000;
  while (!done) {
    if (Date.now() > deadline) throw new Error(`requests not answered; held: ${JSON.stringify(Object.fromEntries(Object.entries(gates).map(([n, g]) => [n, g.held])))}`);
    await new Promise((r) => setTimeout(r, 20));
    const joined = await joinedSoFar();
    const names = Object.keys(gates);
    const anyHeld = names.some((n) => (gates[n]?.held.length ?? 0) > 0);
    const complete = names.every((n) => {
      const expected = (gates[n]?.held ?? []).reduce((sum, agency) => sum + (perAgency.get(agency) ?? 1) - 1, 0);
      return (joined[n] ?? 0) - (base[n] ?? 0) === expected;
    });
    if (anyHeld && complete) {
      for (const g of Object.values(gates)) g.letThrough();
      base = joined;
    }
  }
  return replies;
}

function investigations(reply: GraphQLReply): unknown {
  return (reply.body.data as { container: { investigations: unknown } } | null)?.container.investigations;
}

let perRequest: Record<string, Record<string, number>>;
/** The audit outcome of one police dossier on its own. */
let policeOutcome: string | undefined;

async function auditRecords(): Promise<Map<string, { agency: string | undefined; outcome: string; requestId: string }>> {
  const trail = await openAuditTrail({ file: `${fleet.stateDir}/audit/audit.sqlite` });
  try {
    const records = new Map<string, { agency: string | undefined; outcome: string; requestId: string }>();
    for await (const record of trail.query({})) records.set(record.id, { agency: record.event.principal?.agency, outcome: record.event.outcome, requestId: record.event.requestId });
    return records;
  } finally {
    await trail.close();
  }
}

test('one request at a time: the calls one dossier takes, per agency (the baseline)', async () => {
  perRequest = {};
  for (const who of ['police', 'customs'] as const) {
    clearRecorded();
    const reply = await runStepped([who]);
    expect(reply[0]?.status).toBe(200);
    if (who === 'police') policeOutcome = (await auditRecords()).get(reply[0]?.body.extensions?.auditId as string)?.outcome;
    perRequest[AGENCY[who]] = Object.fromEntries(Object.entries(reached()).map(([name, calls]) => [name, calls.length]));
  }
  // The dossier draws on several subgraphs: Customs' container and the police investigations at least.
  expect(perRequest['NL-POLICE']?.customs).toBeGreaterThan(0);
  expect(perRequest['NL-POLICE']?.police).toBeGreaterThan(0);
}, 60_000);

test('eight identical dossiers by one principal at once: one subgraph call per distinct fetch, eight answers, eight audit records', async () => {
  clearRecorded();
  exporter.reset();
  const before = await joinedSoFar();
  const replies = await runStepped(Array(8).fill('police'));
  expect(Object.fromEntries(Object.entries(reached()).map(([name, calls]) => [name, calls.length]))).toEqual(perRequest['NL-POLICE']);
  const joined = await joinedSoFar();
  for (const [name, calls] of Object.entries(perRequest['NL-POLICE'] ?? {})) expect([name, (joined[name] ?? 0) - (before[name] ?? 0)]).toEqual([name, 7 * calls]);

  for (const r of replies) {
    expect(r.status).toBe(200);
    expect(Array.isArray(investigations(r)) && (investigations(r) as unknown[]).length).toBeGreaterThan(0);
  }
  // The same data for all, and each its own record.
  expect(new Set(replies.map((r) => JSON.stringify(r.body.data))).size).toBe(1);
  const ids = replies.map((r) => r.body.extensions?.auditId as string);
  expect(new Set(ids).size).toBe(8);
  const records = await auditRecords();
  expect(policeOutcome).toBeDefined();
  for (const id of ids) expect(records.get(id)).toMatchObject({ agency: 'NL-POLICE', outcome: policeOutcome });
  expect(new Set(ids.map((id) => records.get(id)?.requestId)).size).toBe(8);

  // Tracing: each request still has a span per subgraph call, the joined ones marked as such.
  const calls = exporter.getFinishedSpans().filter((s) => /^subgraph \w+$/.test(s.name));
  const merged = calls.filter((s) => s.attributes['pactum.deduplicated'] === true);
  const sent = calls.filter((s) => s.attributes['pactum.deduplicated'] === undefined);
  const totalPerRequest = Object.values(perRequest['NL-POLICE'] ?? {}).reduce((a, b) => a + b, 0);
  expect(sent).toHaveLength(totalPerRequest);
  expect(merged).toHaveLength(7 * totalPerRequest);
  for (const s of merged) expect(typeof s.attributes['pactum.deduplicated_into']).toBe('string');
}, 90_000);

test('two agencies asking the same dossier at once never share a call: each keeps its own need-to-know outcome', async () => {
  clearRecorded();
  const replies = await runStepped(['police', 'customs', 'police', 'customs', 'police', 'customs']);
  // Every subgraph was asked once per fetch of each agency: no call served the other agency.
  const byAgency = (agency: string) =>
    Object.fromEntries(Object.entries(reached()).map(([name, calls]) => [name, calls.filter((a) => a === agency).length]));
  expect(byAgency('NL-POLICE')).toEqual(perRequest['NL-POLICE']);
  expect(byAgency('NL-CUSTOMS')).toEqual(perRequest['NL-CUSTOMS']);
  for (const [i, r] of replies.entries()) {
    expect(r.status).toBe(200);
    if (i % 2 === 0) {
      expect((investigations(r) as unknown[]).length).toBeGreaterThan(0);
      expect(r.body.errors ?? []).not.toContainEqual(expect.objectContaining({ path: ['container', 'investigations'] }));
    } else {
      expect(investigations(r)).toBeNull();
      expect(r.body.errors).toContainEqual(expect.objectContaining({ path: ['container', 'investigations'], extensions: expect.objectContaining({ code: 'FORBIDDEN', reason: 'HIT_ONLY' }) }));
    }
  }
  expect(new Set(replies.map((r) => r.body.extensions?.auditId)).size).toBe(6);
}, 90_000);

test('the very same subgraph request for two agencies is still two calls: only the context token differs', async () => {
  clearRecorded();
  const replies = await runStepped(['police', 'belgian', 'police', 'belgian'], CONTAINER_BASICS);
  for (const r of replies) expect(r.body).toMatchObject({ data: { container: { number: 'MSCU1234566', reefer: true } } });
  const calls = fleet.recorded.customs?.requests ?? [];
  expect(calls.map((c) => agencyOf(c.authorization)).sort()).toEqual(['BE-POLICE', 'NL-POLICE']);
  expect(calls[0]?.query).toBe(calls[1]?.query);
  expect(calls[0]?.variables).toEqual(calls[1]?.variables);
  expect(calls[0]?.authorization).not.toBe(calls[1]?.authorization);
}, 60_000);

test('the police subgraph failing with waiters queued: every request gets the failure and no police data', async () => {
  clearRecorded();
  const police8 = Array(8).fill('police') as Who[];
  let done = false;
  const replies = Promise.all(police8.map((w) => dossier(w))).finally(() => {
    done = true;
  });
  // Let every step through until the police call is held with its seven followers, then fail it.
  let base = await joinedSoFar();
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (Date.now() > deadline) throw new Error('the police call was never held with its followers');
    await new Promise((r) => setTimeout(r, 20));
    const joined = await joinedSoFar();
    const heldPolice = gates.police?.held.length ?? 0;
    const names = Object.keys(gates);
    const complete = names.every((n) => (joined[n] ?? 0) - (base[n] ?? 0) === 7 * (gates[n]?.held.length ?? 0));
    if (!complete || !names.some((n) => (gates[n]?.held.length ?? 0) > 0)) continue;
    if (heldPolice > 0) break;
    for (const g of Object.values(gates)) g.letThrough();
    base = joined;
  }
  gates.police?.failAll();
  for (const g of Object.values(gates)) g.letThrough();
  while (!done) {
    await new Promise((r) => setTimeout(r, 20));
    for (const [name, g] of Object.entries(gates)) if (name !== 'police') g.letThrough();
  }
  for (const r of await replies) {
    expect(r.status).toBe(200);
    expect(investigations(r)).toBeNull();
    const unavailable = (r.body.errors ?? []).filter((e) => e.extensions?.code === 'SUBGRAPH_UNAVAILABLE' && e.extensions.serviceName === 'police');
    expect(unavailable.length).toBeGreaterThan(0);
    expect(typeof r.body.extensions?.auditId).toBe('string');
  }
  // The gate answered 502 and forwarded nothing: no police call reached the subgraph.
  expect(fleet.recorded.police?.requests).toEqual([]);
}, 90_000);
