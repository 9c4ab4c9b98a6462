/**
 * In-flight deduplication in SubgraphDataSource, against a real loopback HTTP server standing in
 * for the subgraph: it counts the calls it receives and holds its answers until the test lets
 * them go, so "in flight" is a state the test controls, not a timing guess. The context tokens
 * come from the real signer, so "identical callers share a call" is shown with the tokens the
 * gateway really sends.
 */
import { generateKeyPairSync } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import type { DeclaredPurpose, Principal } from '../../auth';
import { createContextTokenSigner } from '../../auth/context-token-signer';
import { SubgraphCaller } from '../subgraph-caller';
import { SubgraphDataSource, type DeduplicatedCall, type SubgraphDataSourceOptions } from '../subgraph-data-source';
import { copyJson, InFlightCalls, operationTypeOf, SharedReading, type DedupIdentity, type RawSubgraphOutcome } from '../subgraph-dedup';

interface Received {
  readonly body: { query: string; variables?: Record<string, unknown>; operationName?: string };
  readonly authorization: string | undefined;
  readonly requestId: string | undefined;
}

/** How the fake subgraph answers the calls it holds. */
type Answer = (res: http.ServerResponse, received: Received) => void;

const answerJson: Answer = (res, received) => {
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ data: { echo: { variables: received.body.variables ?? null, list: [1, 2, 3] } } }));
};

interface FakeSubgraph {
  readonly url: string;
  readonly received: Received[];
  /** Calls received and not yet answered. */
  readonly held: number;
  /** Answers every held call (and every later one at once) with `answer`. */
  release(answer?: Answer): void;
  close(): Promise<void>;
}

async function startFakeSubgraph(): Promise<FakeSubgraph> {
  const received: Received[] = [];
  let held: { res: http.ServerResponse; r: Received }[] = [];
  let releasedWith: Answer | undefined;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const r: Received = {
        body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as Received['body'],
        authorization: req.headers.authorization,
        requestId: req.headers['x-request-id'] as string | undefined,
      };
      received.push(r);
      if (releasedWith) releasedWith(res, r);
      else held.push({ res, r });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`,
    received,
    get held() {
      return held.length;
    },
    release(answer = answerJson) {
      releasedWith = answer;
      const now = held;
      held = [];
      for (const { res, r } of now) answer(res, r);
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Waits for `condition`, polling; the deadline only keeps a broken test from hanging. */
async function until(what: string, condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`not within ${timeoutMs} ms: ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

const { privateKey } = generateKeyPairSync('ed25519');
const signer = createContextTokenSigner({ privateKey, kid: 'test-kid' });

function principal(overrides: Partial<Principal> = {}): Principal {
  return {
    subject: 'j.devries',
    agency: 'NL-POLICE',
    issuer: 'https://idp.politie.example',
    roles: new Set(['investigator']),
    clearance: 'CONFIDENTIAL',
    purposes: new Set(['drug-trafficking', 'strategic-analysis']),
    cases: new Set(['NL-ONB-2024-0456', 'JIT-2024-07']),
    ...overrides,
  };
}

let requestCounter = 0;
function caller(p: Principal = principal(), purpose: DeclaredPurpose = { code: 'drug-trafficking', caseRef: 'NL-ONB-2024-0456' }): SubgraphCaller {
  requestCounter += 1;
  return new SubgraphCaller(p, purpose, `req-${requestCounter}`);
}

const QUERY = 'query Dossier__police__0($number: String!) { container(number: $number) { number } }';

function call(
  source: SubgraphDataSource,
  context: unknown,
  query: string = QUERY,
  variables: Record<string, unknown> = { number: 'MSCU1234566' },
  operationName?: string,
): Promise<GatewayGraphQLResponse> {
  const options = {
    // GraphQLDataSourceRequestKind.INCOMING_OPERATION (a const enum: no runtime value to import).
    kind: 'incoming operation',
    request: { query, variables, ...(operationName !== undefined ? { operationName } : {}) },
    context,
    incomingRequestContext: {},
  } as unknown as GraphQLDataSourceProcessOptions<Record<string, unknown>>;
  return source.process(options);
}

let subgraph: FakeSubgraph;
const sources: SubgraphDataSource[] = [];
let deduplicated = 0;
let observed: (string | undefined)[] = [];
let traced: (DeduplicatedCall | undefined)[] = [];

function dataSource(overrides: Partial<SubgraphDataSourceOptions> = {}): SubgraphDataSource {
  const source = new SubgraphDataSource({
    name: 'police',
    url: subgraph.url,
    contextToken: async (name, c) => ({ token: await signer.sign({ audience: name, principal: c.principal, purpose: c.purpose }), requestId: c.requestId }),
    timeoutMs: 5_000,
    idleMs: 1_000,
    observe: (_seconds, error) => observed.push(error),
    onDeduplicated: () => {
      deduplicated += 1;
    },
    trace: (_name, _headers, dedup) => {
      traced.push(dedup);
      return () => undefined;
    },
    ...overrides,
  });
  sources.push(source);
  return source;
}

beforeEach(async () => {
  subgraph = await startFakeSubgraph();
  deduplicated = 0;
  observed = [];
  traced = [];
});

afterEach(async () => {
  await Promise.all(sources.splice(0).map((s) => s.close()));
  await subgraph.close();
});

/** Starts `calls`, waits until the subgraph holds `sent` of them and `joined` more have joined, then answers. */
async function inFlightTogether<T>(calls: (() => Promise<T>)[], sent: number, joined: number, answer?: Answer): Promise<PromiseSettledResult<T>[]> {
  const running = Promise.allSettled(calls.map((c) => c()));
  await until(`${sent} sent and ${joined} joined`, () => subgraph.held === sent && deduplicated === joined);
  subgraph.release(answer);
  return running;
}

function values<T>(settled: PromiseSettledResult<T>[]): T[] {
  return settled.map((s) => {
    if (s.status === 'rejected') throw s.reason;
    return s.value;
  });
}

describe('identical queries in flight for the same caller', () => {
  test('ten concurrent identical calls make one subgraph call; each caller still lists the subgraph', async () => {
    const source = dataSource();
    const callers = Array.from({ length: 10 }, () => caller());
    const results = values(await inFlightTogether(callers.map((c) => () => call(source, c)), 1, 9));
    expect(subgraph.received).toHaveLength(1);
    for (const r of results) expect(r).toEqual({ data: { echo: { variables: { number: 'MSCU1234566' }, list: [1, 2, 3] } } });
    for (const c of callers) expect(c.calls).toEqual(['police']);
    // Sent once, with the first request's id; the other nine were served by it, and each says so.
    expect(subgraph.received[0]?.requestId).toBe(callers[0]?.requestId);
    expect(callers[0]?.joined).toEqual([]);
    for (const c of callers.slice(1)) expect(c.joined).toEqual([callers[0]?.requestId]);
    expect(observed).toEqual([undefined]);
    expect(traced.filter((t) => t !== undefined)).toEqual(Array(9).fill({ leaderRequestId: callers[0]?.requestId }));
    expect(source.inFlightCalls).toBe(0);
  });

  test('identical callers get the very same context token (the key part that makes merging possible)', async () => {
    const a = await signer.sign({ audience: 'police', principal: principal(), purpose: { code: 'drug-trafficking', caseRef: 'NL-ONB-2024-0456' } });
    const b = await signer.sign({ audience: 'police', principal: principal(), purpose: { code: 'drug-trafficking', caseRef: 'NL-ONB-2024-0456' } });
    expect(b).toBe(a);
  });

  test('each waiter gets its own copy: mutating one result changes no other', async () => {
    const source = dataSource();
    const results = values(await inFlightTogether([0, 1, 2].map(() => () => call(source, caller())), 1, 2)) as { data: { echo: { list: number[]; added?: string } } }[];
    const [first, second, third] = results;
    expect(first).not.toBe(second);
    first?.data.echo.list.push(4);
    if (first) first.data.echo.added = 'leaked?';
    expect(second?.data.echo).toEqual({ variables: { number: 'MSCU1234566' }, list: [1, 2, 3] });
    expect(third?.data.echo).toEqual({ variables: { number: 'MSCU1234566' }, list: [1, 2, 3] });
  });

  test('the answer is read once, yet no object of one waiter\'s tree is in another\'s', async () => {
    const text = '{"data":{"rows":[{"id":"1","label":{"owner":"NL-CUSTOMS","releasableTo":["NL-POLICE","EUROPOL"]},"__proto__":{"polluted":true}},{"id":"2","label":null,"n":[[1],[2,{"deep":[]}]]}]}}';
    const source = dataSource();
    const answerText: Answer = (res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(text);
    };
    const results = values(await inFlightTogether([0, 1, 2, 3].map(() => () => call(source, caller())), 1, 3, answerText));
    const objectsOf = (v: unknown, into = new Set<object>()): Set<object> => {
      if (typeof v === 'object' && v !== null) {
        into.add(v);
        for (const child of Object.values(v)) objectsOf(child, into);
      }
      return into;
    };
    const trees = results.map((r) => objectsOf(r));
    for (let i = 0; i < trees.length; i++) {
      expect(results[i]).toStrictEqual(JSON.parse(text));
      for (let j = i + 1; j < trees.length; j++) for (const o of trees[i] ?? []) expect(trees[j]?.has(o)).toBe(false);
    }
    for (const r of results as unknown as { data: { rows: Record<string, unknown>[] } }[]) {
      const row = r.data.rows[0] as Record<string, unknown>;
      expect(Object.getPrototypeOf(row)).toBe(Object.prototype);
      expect(Object.keys(row)).toEqual(['id', 'label', '__proto__']);
      expect((row as { polluted?: unknown }).polluted).toBeUndefined();
    }
  });

  test('shorthand and commented queries are queries: merged', async () => {
    const source = dataSource();
    const text = '# mutation M { x }\n{ container(number: "MSCU1234566") { number } }';
    values(await inFlightTogether([0, 1, 2].map(() => () => call(source, caller(), text, {})), 1, 2));
    expect(subgraph.received).toHaveLength(1);
  });
});

describe('never merged', () => {
  const differing: [string, () => SubgraphCaller, () => SubgraphCaller][] = [
    ['agency', () => caller(principal({ agency: 'NL-POLICE' })), () => caller(principal({ agency: 'NL-CUSTOMS' }))],
    ['subject', () => caller(principal({ subject: 'j.devries' })), () => caller(principal({ subject: 'a.bakker' }))],
    ['purpose', () => caller(principal(), { code: 'drug-trafficking', caseRef: 'NL-ONB-2024-0456' }), () => caller(principal(), { code: 'strategic-analysis', caseRef: 'NL-ONB-2024-0456' })],
    ['case ref', () => caller(principal(), { code: 'drug-trafficking', caseRef: 'NL-ONB-2024-0456' }), () => caller(principal(), { code: 'drug-trafficking', caseRef: 'JIT-2024-07' })],
    ['case ref present or not', () => caller(principal(), { code: 'drug-trafficking', caseRef: 'NL-ONB-2024-0456' }), () => caller(principal(), { code: 'drug-trafficking' })],
  ];

  test.each(differing)('two callers differing only in %s: two calls, each with its own token', async (_what, one, other) => {
    const source = dataSource();
    const [a, b] = [one(), other()];
    const results = values(await inFlightTogether([() => call(source, a), () => call(source, b), () => call(source, a), () => call(source, b)], 2, 2));
    expect(results).toHaveLength(4);
    expect(subgraph.received).toHaveLength(2);
    expect(new Set(subgraph.received.map((r) => r.authorization)).size).toBe(2);
  });

  test('different variables: separate calls', async () => {
    const source = dataSource();
    const c = caller();
    values(await inFlightTogether([() => call(source, c, QUERY, { number: 'MSCU1234566' }), () => call(source, c, QUERY, { number: 'TGHU8765437' })], 2, 0));
    expect(subgraph.received).toHaveLength(2);
  });

  test.each([
    ['a mutation', 'mutation Seize($number: String!) { seize(number: $number) { id } }', undefined],
    ['a mutation behind a comment saying query', '# query\nmutation { seize(number: "MSCU1234566") { id } }', undefined],
    ['the mutation of a document that also has a query', 'query A { container(number: "X") { number } } mutation B { seize(number: "X") { id } }', 'B'],
    ['a subscription', 'subscription { seizures { id } }', undefined],
    ['a document that does not parse', 'query {', undefined],
  ])('%s: every call is sent', async (_what, text, operationName) => {
    const source = dataSource();
    const c = caller();
    values(await inFlightTogether([0, 1, 2].map(() => () => call(source, c, text, {}, operationName)), 3, 0));
    expect(subgraph.received).toHaveLength(3);
  });

  test('sequential identical calls: each is sent (nothing is kept once the answer is in)', async () => {
    const source = dataSource();
    subgraph.release();
    const c = caller();
    for (let i = 0; i < 3; i++) await call(source, c);
    expect(subgraph.received).toHaveLength(3);
    expect(deduplicated).toBe(0);
  });

  test('a call arriving once the answer is in is sent anew, not served from the finished one', async () => {
    const source = dataSource();
    const c = caller();
    const first = Promise.all([call(source, c), call(source, c)]);
    await until('one sent, one joined', () => subgraph.held === 1 && deduplicated === 1);
    subgraph.release();
    await first;
    await call(source, c);
    expect(subgraph.received).toHaveLength(2);
  });

  test('PACTUM_SUBGRAPH_DEDUP=off (dedup: false): every call is sent', async () => {
    const source = dataSource({ dedup: false });
    const c = caller();
    values(await inFlightTogether([0, 1, 2].map(() => () => call(source, c)), 3, 0));
    expect(subgraph.received).toHaveLength(3);
  });

  test('no verified caller: nothing merged (and no token sent)', async () => {
    const source = dataSource();
    values(await inFlightTogether([0, 1, 2].map(() => () => call(source, {})), 3, 0));
    expect(subgraph.received).toHaveLength(3);
    expect(subgraph.received.every((r) => r.authorization === undefined)).toBe(true);
  });
});

describe('a failed call fails every waiter, each with its own error, and leaves nothing behind', () => {
  const failures: [string, Answer, RegExp][] = [
    ['transport error', (res) => res.socket?.destroy(), /./],
    ['bad JSON', (res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"data":'), /body is not JSON/],
    ['HTTP error', (res) => res.writeHead(502).end('{}'), /HTTP 502/],
  ];

  test.each(failures)('%s', async (_what, answer, detail) => {
    const source = dataSource();
    const settled = await inFlightTogether([0, 1, 2, 3].map(() => () => call(source, caller())), 1, 3, answer);
    const errors = settled.map((s) => (s.status === 'rejected' ? (s.reason as { message: string; extensions: Record<string, unknown> }) : undefined));
    for (const e of errors) {
      expect(e).toBeDefined();
      expect(e?.extensions.code).toBe('SUBGRAPH_UNAVAILABLE');
      expect(e?.extensions.detail).toMatch(detail);
    }
    expect(new Set(errors).size).toBe(4);
    expect(source.inFlightCalls).toBe(0);
    // Nothing cached: the next identical call is sent, and answers.
    subgraph.release(answerJson);
    await expect(call(source, caller())).resolves.toMatchObject({ data: { echo: { list: [1, 2, 3] } } });
    expect(subgraph.received).toHaveLength(2);
  });

  test('an HTTP error carrying GraphQL errors and data: every waiter gets the errors, none the data', async () => {
    const source = dataSource();
    const answer: Answer = (res) =>
      res.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ data: { echo: { list: [9] } }, errors: [{ message: 'half done' }] }));
    const settled = await inFlightTogether([0, 1, 2].map(() => () => call(source, caller())), 1, 2, answer);
    for (const s of settled) {
      expect(s.status).toBe('fulfilled');
      const value = (s as PromiseFulfilledResult<Record<string, unknown>>).value;
      expect(value).toEqual({ errors: [{ message: 'half done' }] });
    }
  });

  test('subgraph timeout: the call and its waiters all fail', async () => {
    const source = dataSource({ timeoutMs: 200 });
    const running = Promise.allSettled([0, 1, 2].map(() => call(source, caller())));
    await until('one sent, two joined', () => subgraph.held === 1 && deduplicated === 2);
    const settled = await running;
    for (const s of settled) {
      expect(s.status).toBe('rejected');
      expect((s as PromiseRejectedResult).reason).toMatchObject({ extensions: { code: 'SUBGRAPH_UNAVAILABLE' } });
    }
    expect(source.inFlightCalls).toBe(0);
  });

  test('a waiter never waits past its own limit, even while the call it joined still runs (a body trickling in)', async () => {
    const source = dataSource({ timeoutMs: 150 });
    let trickle: NodeJS.Timeout | undefined;
    let leaderResponse: http.ServerResponse | undefined;
    subgraph.release((res) => {
      // Headers at once, then a space every 30 ms: within undici's body timeout, never finished.
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"data":');
      trickle = setInterval(() => res.write(' '), 30);
      leaderResponse = res;
    });
    let leaderSettled = false;
    const leader = call(source, caller()).finally(() => {
      leaderSettled = true;
    });
    await until('the call is sent', () => subgraph.received.length === 1);
    const waiter = call(source, caller());
    await expect(waiter).rejects.toMatchObject({ extensions: { code: 'SUBGRAPH_UNAVAILABLE', detail: expect.stringMatching(/waiting for the identical call in flight/) } });
    expect(deduplicated).toBe(1);
    expect(leaderSettled).toBe(false);
    clearInterval(trickle);
    leaderResponse?.end('{"echo":null}}');
    await expect(leader).resolves.toEqual({ data: { echo: null } });
    expect(subgraph.received).toHaveLength(1);
  });

  test('a call in flight for longer than the timeout is not joined: the next identical call is sent, and later ones join that one', async () => {
    const source = dataSource({ timeoutMs: 150 });
    let trickle: NodeJS.Timeout | undefined;
    const responses: http.ServerResponse[] = [];
    subgraph.release((res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"data":');
      responses.push(res);
      trickle ??= setInterval(() => responses.forEach((r) => r.write(' ')), 30);
    });
    const c = caller();
    const old = call(source, c);
    await until('the first call is sent', () => subgraph.received.length === 1);
    const sentAt = Date.now();
    // Past the timeout (the guard only keeps the test from hanging): a fresh call of its own.
    await until('the first call is older than the timeout', () => Date.now() - sentAt > 200);
    const fresh = [call(source, c), call(source, c)];
    await until('a second call is sent', () => subgraph.received.length === 2);
    expect(deduplicated).toBe(1);
    clearInterval(trickle);
    for (const r of responses) r.end('{"echo":1}}');
    await expect(old).resolves.toEqual({ data: { echo: 1 } });
    await expect(Promise.all(fresh)).resolves.toEqual([{ data: { echo: 1 } }, { data: { echo: 1 } }]);
    expect(subgraph.received).toHaveLength(2);
  });
});

describe('operationTypeOf', () => {
  test.each([
    ['query Q { a }', undefined, 'query'],
    ['{ a }', undefined, 'query'],
    ['# mutation\nquery { a }', undefined, 'query'],
    ['mutation { a }', undefined, 'mutation'],
    ['fragment F on Query { a } mutation M { ...F }', undefined, 'mutation'],
    ['query A { a } mutation B { a }', 'B', 'mutation'],
    ['query A { a } mutation B { a }', 'A', 'query'],
    ['query A { a } mutation B { a }', undefined, undefined],
    ['query A { a }', 'Other', undefined],
    ['not graphql', undefined, undefined],
  ])('%j (operation %s): %s', (text, name, expected) => {
    expect(operationTypeOf(text, name)).toBe(expected);
  });
});

describe('SharedReading', () => {
  const text = '{"data":{"a":[{"b":1}]}}';

  test('one waiter: the text parsed, nothing kept', () => {
    const reading = new SharedReading();
    expect(reading.read(text)).toEqual({ data: { a: [{ b: 1 }] } });
  });

  test('three waiters: two copies of one parse, then the parsed tree itself, each its own', () => {
    const reading = new SharedReading();
    reading.join();
    reading.join();
    const trees = [reading.read(text), reading.read(text), reading.read(text)] as { data: { a: { b: number }[] } }[];
    trees[0]!.data.a[0]!.b = 99; // a waiter changing its tree changes no other
    expect(trees[1]).toEqual({ data: { a: [{ b: 1 }] } });
    expect(trees[2]).toEqual({ data: { a: [{ b: 1 }] } });
    expect(new Set(trees.map((t) => t.data.a)).size).toBe(3);
  });

  test('a malformed text fails every reader alike', () => {
    const reading = new SharedReading();
    reading.join();
    expect(() => reading.read('{"data":')).toThrow(SyntaxError);
    expect(() => reading.read('{"data":')).toThrow(SyntaxError);
  });

  test('copyJson keeps key order and keeps __proto__ an own key', () => {
    const parsed = JSON.parse('{"z":1,"a":{"__proto__":{"x":1},"m":[null,true,"s"]}}') as unknown;
    const copy = copyJson(parsed) as { a: Record<string, unknown> };
    expect(copy).toStrictEqual(parsed);
    expect(Object.keys(copy)).toEqual(['z', 'a']);
    expect(Object.keys(copy.a)).toEqual(['__proto__', 'm']);
    expect(Object.getPrototypeOf(copy.a)).toBe(Object.prototype);
  });
});

describe('InFlightCalls', () => {
  const identity: DedupIdentity = { token: 'aaaa.bbbb.cccc', agency: 'NL-POLICE', subject: 'j.devries', purpose: 'drug-trafficking', caseRef: 'NL-ONB-2024-0456' };
  const body = '{"query":"{ a }","variables":{"n":"MSCU1234566"}}';

  test('found only for exactly the same identity and body, also where they agree in every length (one bucket)', () => {
    const calls = new InFlightCalls();
    let settle: (raw: RawSubgraphOutcome) => void = () => undefined;
    void calls.lead(identity, body, 'req-1', new Promise((resolve) => (settle = resolve)));
    expect(calls.find({ ...identity }, `${body}`, Infinity)?.requestId).toBe('req-1');
    // Same lengths, different content: the same bucket, never the same call.
    expect(calls.find({ ...identity, token: 'aaaa.bbbb.cccd' }, body, Infinity)).toBeUndefined();
    expect(calls.find(identity, body.replace('MSCU1234566', 'MSCU1234567'), Infinity)).toBeUndefined();
    expect(calls.find({ ...identity, subject: 'j.devriez' }, body, Infinity)).toBeUndefined();
    expect(calls.find({ ...identity, caseRef: undefined }, body, Infinity)).toBeUndefined();
    expect(calls.size).toBe(1);
    settle({ ok: true, statusCode: 200, text: '{}' });
  });

  test('two calls in one bucket are told apart, and each leaves the table when it settles', async () => {
    const calls = new InFlightCalls();
    const other = { ...identity, token: 'aaaa.bbbb.cccd' };
    const settles: ((raw: RawSubgraphOutcome) => void)[] = [];
    const first = calls.lead(identity, body, 'req-1', new Promise((resolve) => settles.push(resolve)));
    const second = calls.lead(other, body, 'req-2', new Promise((resolve) => settles.push(resolve)));
    expect(calls.find(identity, body, Infinity)?.requestId).toBe('req-1');
    expect(calls.find(other, body, Infinity)?.requestId).toBe('req-2');
    settles[0]?.({ ok: false, detail: 'gone' });
    await first;
    expect(calls.find(identity, body, Infinity)).toBeUndefined();
    expect(calls.find(other, body, Infinity)?.requestId).toBe('req-2');
    settles[1]?.({ ok: true, statusCode: 200, text: '{}' });
    await second;
    expect(calls.size).toBe(0);
    expect(calls.find(other, body, Infinity)).toBeUndefined();
  });
});
