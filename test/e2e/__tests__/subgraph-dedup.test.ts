/**
 * In-flight deduplication through the real gateway and subgraphs: concurrent identical requests
 * by one principal make one subgraph call per distinct fetch, two agencies asking the very same
 * thing never share a call, every response keeps its own need-to-know outcome and audit record,
 * and a subgraph failing with waiters queued fails every one of them.
 *
 * Each subgraph sits behind a gate (which holds the gateway's calls) in front of a recording
 * proxy (which keeps what reached the subgraph). The gate lets a step of the query plan through
 * only once every request has made that step's calls — the calls held at the gate and those
 * joined to them (the gateway's `pactum_subgraph_requests_deduplicated_total`) add up to one per
 * request — so merging is observed, not raced. The assertions hold even if a context token is
 * renewed in the middle of a step (it is reused for 30 s): then the requests on either side of
 * the renewal make two calls, never one call for two tokens.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';
import { openAuditTrail } from '@pactum/gateway/src/audit';
import { loadGatewayConfig, memoryLog, startGateway, type RunningGateway } from '@pactum/gateway/src/testing';
import { startTracing } from '@pactum/subgraph-kit';
import { ask, type GraphQLReply } from '../../src/client';
import { startFleet, type Fleet } from '../../src/stack';
import { NL_CUSTOMS_OFFICER, NL_INVESTIGATOR } from '../../src/story-principals';

/** A call held at a gate: whose (the context token's agency) and exactly what it asks. */
interface HeldCall {
  readonly agency: string;
  readonly body: string;
}

/** Holds the gateway's POSTs to one subgraph until let through. */
interface Gate {
  readonly url: string;
  readonly held: readonly HeldCall[];
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
  let held: (HeldCall & { go: () => void; fail: () => void })[] = [];
  let open = true;
  let failing = false;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const go = (): void => {
        const upstream = http.request({ host: targetUrl.hostname, port: targetUrl.port, path: req.url, method: req.method, headers: req.headers }, (up) => {
          res.writeHead(up.statusCode ?? 502, up.headers);
          up.pipe(res);
        });
        upstream.on('error', () => res.writeHead(502).end());
        upstream.end(body);
      };
      const fail = (): void => void res.writeHead(502, { 'content-type': 'text/plain' }).end('subgraph down');
      if (failing) fail();
      else if (open || req.method !== 'POST') go();
      else held.push({ agency: agencyOf(req.headers.authorization), body: body.toString('utf8'), go, fail });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}${targetUrl.pathname}`,
    get held() {
      return held.map(({ agency, body }) => ({ agency, body }));
    },
    letThrough() {
      const now = held;
      held = [];
      for (const h of now) (failing ? h.fail : h.go)();
    },
    hold() {
      open = false;
    },
    failAll() {
      failing = true;
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
const log = memoryLog();
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
  gateway = await startGateway(loadGatewayConfig({ ...fleet.gatewayEnv, ...routes }), log);
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

function since(now: Record<string, number>, before: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.keys(gates).map((n) => [n, (now[n] ?? 0) - (before[n] ?? 0)]));
}

function clearRecorded(): void {
  for (const p of Object.values(fleet.recorded)) p.clear();
}

/** Calls that reached each subgraph, by subgraph. */
function sent(): Record<string, number> {
  return Object.fromEntries(Object.entries(fleet.recorded).map(([name, p]) => [name, p.requests.length]));
}

/** Per subgraph, the distinct requests (query and variables) that reached it with `agency`'s tokens. */
function distinctSentBy(agency: string): Record<string, number> {
  return Object.fromEntries(
    Object.entries(fleet.recorded).map(([name, p]) => [name, new Set(p.requests.filter((r) => agencyOf(r.authorization) === agency).map((r) => JSON.stringify([r.query, r.variables]))).size]),
  );
}

/** Requests that reached a subgraph more than once with the very same token: what merging should have saved. */
function sentTwice(): string[] {
  const seen = new Set<string>();
  const twice: string[] = [];
  for (const [name, p] of Object.entries(fleet.recorded)) {
    for (const r of p.requests) {
      const key = JSON.stringify([name, r.query, r.variables, r.authorization]);
      if (seen.has(key)) twice.push(`${name}: ${r.query.slice(0, 60)}`);
      seen.add(key);
    }
  }
  return twice;
}

/**
 * Whether every request has made the calls now held: for each distinct held call, the requests
 * of its agency that did not send it themselves have joined it.
 */
function roundComplete(perAgency: ReadonlyMap<string, number>, joined: Record<string, number>): boolean {
  return Object.entries(gates).every(([name, gate]) => {
    const copies = new Map<string, { agency: string; count: number }>();
    for (const h of gate.held) {
      const key = `${h.agency}\n${h.body}`;
      copies.set(key, { agency: h.agency, count: (copies.get(key)?.count ?? 0) + 1 });
    }
    const expected = [...copies.values()].reduce((total, c) => total + (perAgency.get(c.agency) ?? c.count) - c.count, 0);
    return (joined[name] ?? 0) === expected;
  });
}

/**
 * Lets the held calls through round by round, each round once it is complete, until `finished`
 * — or, with `stopWhen`, leaves the first complete round for which it is true held and returns.
 */
async function stepThrough(whos: readonly Who[], finished: () => boolean, stopWhen?: () => boolean): Promise<void> {
  const perAgency = new Map<string, number>();
  for (const w of whos) perAgency.set(AGENCY[w], (perAgency.get(AGENCY[w]) ?? 0) + 1);
  let base = await joinedSoFar();
  const deadline = Date.now() + 60_000;
  while (!finished()) {
    if (Date.now() > deadline) throw new Error(`requests not answered; held: ${JSON.stringify(Object.fromEntries(Object.entries(gates).map(([n, g]) => [n, g.held.map((h) => h.agency)])))}`);
    await new Promise((r) => setTimeout(r, 20));
    const joined = await joinedSoFar();
    if (!Object.values(gates).some((g) => g.held.length > 0) || !roundComplete(perAgency, since(joined, base))) continue;
    if (stopWhen?.()) return;
    for (const g of Object.values(gates)) g.letThrough();
    base = joined;
  }
}

/** Runs the requests at once, every gate held, stepping the plan through (see the file comment). */
async function runStepped(whos: readonly Who[], query?: string): Promise<GraphQLReply[]> {
  let done = false;
  const replies = Promise.all(whos.map((w) => dossier(w, query))).finally(() => {
    done = true;
  });
  await stepThrough(whos, () => done);
  return replies;
}

function investigations(reply: GraphQLReply): unknown {
  return (reply.body.data as { container: { investigations: unknown } } | null)?.container.investigations;
}

/** Per agency: the subgraph calls one dossier makes (sent or joined), and the distinct requests among them. */
let made: Record<string, Record<string, number>>;
let distinct: Record<string, Record<string, number>>;
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

const sum = (counts: Record<string, number> | undefined): number => Object.values(counts ?? {}).reduce((a, b) => a + b, 0);

test('one request at a time: the calls one dossier makes, per agency (the baseline)', async () => {
  made = {};
  distinct = {};
  for (const who of ['police', 'customs'] as const) {
    clearRecorded();
    const before = await joinedSoFar();
    const reply = await runStepped([who]);
    expect(reply[0]?.status).toBe(200);
    if (who === 'police') policeOutcome = (await auditRecords()).get(reply[0]?.body.extensions?.auditId as string)?.outcome;
    const joined = since(await joinedSoFar(), before);
    made[AGENCY[who]] = Object.fromEntries(Object.entries(sent()).map(([name, n]) => [name, n + (joined[name] ?? 0)]));
    distinct[AGENCY[who]] = distinctSentBy(AGENCY[who]);
  }
  // The dossier draws on several subgraphs: Customs' container and the police investigations at least.
  expect(made['NL-POLICE']?.customs).toBeGreaterThan(0);
  expect(made['NL-POLICE']?.police).toBeGreaterThan(0);
}, 60_000);

test('eight identical dossiers by one principal at once: one subgraph call per distinct fetch, eight answers, eight audit records', async () => {
  clearRecorded();
  exporter.reset();
  const before = await joinedSoFar();
  const replies = await runStepped(Array(8).fill('police'));
  // Nothing identical went twice, and each distinct fetch went out: the eight were served by the calls of one.
  expect(sentTwice()).toEqual([]);
  expect(distinctSentBy('NL-POLICE')).toEqual(distinct['NL-POLICE']);
  // Every request made each of its calls, sent or joined.
  const joined = since(await joinedSoFar(), before);
  const calls = sent();
  for (const name of Object.keys(gates)) expect([name, (calls[name] ?? 0) + (joined[name] ?? 0)]).toEqual([name, 8 * (made['NL-POLICE']?.[name] ?? 0)]);
  expect(sum(joined)).toBeGreaterThanOrEqual(6 * sum(made['NL-POLICE']));

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

  // Each request's log line names the requests whose calls served its joined ones: request ids
  // of these eight (what the subgraphs' logs show), never its own.
  const lines = log.lines.filter((l) => l.fields.event === 'request' && ids.includes(String(l.fields.auditId)));
  expect(lines).toHaveLength(8);
  const requestIds = new Set(lines.map((l) => String(l.fields.requestId)));
  expect(lines.reduce((n, l) => n + Number(l.fields.joinedCalls ?? 0), 0)).toBe(sum(joined));
  for (const l of lines) {
    for (const leader of (l.fields.joinedRequestIds as string[] | undefined) ?? []) {
      expect(requestIds.has(leader)).toBe(true);
      expect(leader).not.toBe(l.fields.requestId);
    }
  }

  // Tracing: a span per subgraph call of every request, the joined ones marked as such.
  const spans = exporter.getFinishedSpans().filter((s) => /^subgraph \w+$/.test(s.name));
  const merged = spans.filter((s) => s.attributes['pactum.deduplicated'] === true);
  expect(spans.length - merged.length).toBe(sum(calls));
  expect(merged).toHaveLength(sum(joined));
  for (const s of merged) expect(typeof s.attributes['pactum.deduplicated_into']).toBe('string');
}, 90_000);

test('two agencies asking the same dossier at once never share a call: each keeps its own need-to-know outcome', async () => {
  clearRecorded();
  const replies = await runStepped(['police', 'customs', 'police', 'customs', 'police', 'customs']);
  // Each agency's fetches all went out with its own tokens; nothing identical went twice.
  expect(distinctSentBy('NL-POLICE')).toEqual(distinct['NL-POLICE']);
  expect(distinctSentBy('NL-CUSTOMS')).toEqual(distinct['NL-CUSTOMS']);
  expect(sentTwice()).toEqual([]);
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
  expect(new Set(calls.map((c) => agencyOf(c.authorization)))).toEqual(new Set(['BE-POLICE', 'NL-POLICE']));
  expect(new Set(calls.map((c) => JSON.stringify([c.query, c.variables]))).size).toBe(1);
  expect(sentTwice()).toEqual([]);
}, 60_000);

test('the police subgraph failing with waiters queued: every request gets the failure and no police data', async () => {
  clearRecorded();
  const whos = Array(8).fill('police') as Who[];
  let done = false;
  const replies = Promise.all(whos.map((w) => dossier(w))).finally(() => {
    done = true;
  });
  // Step the plan until the police call is held with every other request joined to it; then it fails.
  await stepThrough(whos, () => done, () => (gates.police?.held.length ?? 0) > 0);
  expect(gates.police?.held.length).toBeGreaterThan(0);
  gates.police?.failAll();
  // The round is complete: all of it goes (the police call to its failure), then the rest of the plan.
  for (const g of Object.values(gates)) g.letThrough();
  await stepThrough(whos, () => done);
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
