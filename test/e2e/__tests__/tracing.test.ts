/**
 * Tracing on, with the SDK's in-memory exporter: one request through the gateway and the four
 * subgraphs gives one trace — the request's SERVER span, a child per pipeline stage in order,
 * a CLIENT span per subgraph call under the execute stage, and each subgraph's SERVER span as the
 * child of its call (the `traceparent` went along). No span says anything personal.
 */
import { InMemorySpanExporter, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { startTracing } from '@pactum/subgraph-kit';
import { ask } from '../../src/client';
import { startStack, type Stack } from '../../src/stack';

const exporter = new InMemorySpanExporter();
let stack: Stack;
let token: string;
const JUSTIFICATION = 'dossier review for NL-ONB-2024-0456, suspect Jansen';
const CASE_REF = 'NL-ONB-2024-0456';

beforeAll(async () => {
  // Before the stack: its gateway and subgraphs trace when a tracing is active in the process.
  startTracing('pactum-e2e', { spanExporter: exporter });
  stack = await startStack();
  token = await stack.keys.token({ agency: 'NL-POLICE', sub: 'j.devries', roles: ['investigator'], clearance: 'SECRET', purposes: ['drug-trafficking'], cases: [CASE_REF] });
}, 120_000);

afterAll(async () => {
  await stack?.stop();
});

const idOf = (s: ReadableSpan): string => s.spanContext().spanId;

test('one request, one trace: stages under the request, subgraph calls under execute, subgraph servers under their calls', async () => {
  exporter.reset();
  const reply = await ask(stack.gatewayUrl, { token, purpose: 'drug-trafficking', justification: JUSTIFICATION, caseRef: CASE_REF, operation: 'ContainerDossier', variables: { number: 'MSCU1234566' } });
  expect(reply.status).toBe(200);
  expect(JSON.stringify(reply.body.data)).toMatch(/cocaine/);
  const spans = exporter.getFinishedSpans();
  const roots = spans.filter((s) => s.name === 'POST /graphql');
  expect(roots).toHaveLength(1);
  const root = roots[0] as ReadableSpan;
  expect(root.parentSpanId).toBeUndefined();
  expect(root.attributes['http.response.status_code']).toBe(200);
  // Every span of the request is in its trace.
  expect(new Set(spans.map((s) => s.spanContext().traceId))).toEqual(new Set([root.spanContext().traceId]));

  const stages = spans.filter((s) => s.name.startsWith('pactum.')).sort((a, b) => (a.startTime[0] - b.startTime[0]) * 1e9 + (a.startTime[1] - b.startTime[1]));
  expect(stages.map((s) => s.name)).toEqual(['pactum.authenticate', 'pactum.rate_limit', 'pactum.trust', 'pactum.prepare', 'pactum.hit_budget', 'pactum.authorize', 'pactum.execute', 'pactum.post_process', 'pactum.audit_and_respond']);
  for (const s of stages) expect([s.name, s.parentSpanId]).toEqual([s.name, idOf(root)]);

  const byId = new Map(spans.map((s) => [idOf(s), s]));
  const ancestors = (s: ReadableSpan): string[] => {
    const names: string[] = [];
    for (let p = s.parentSpanId ? byId.get(s.parentSpanId) : undefined; p; p = p.parentSpanId ? byId.get(p.parentSpanId) : undefined) names.push(p.name);
    return names;
  };
  const execute = stages.find((s) => s.name === 'pactum.execute') as ReadableSpan;
  const calls = spans.filter((s) => /^subgraph \w+$/.test(s.name));
  // The Dutch investigator's dossier draws on (at least) Customs and the police.
  expect(calls.map((c) => c.attributes['pactum.subgraph'])).toEqual(expect.arrayContaining(['customs', 'police']));
  for (const call of calls) {
    expect(ancestors(call)).toContain(execute.name);
    // The subgraph's own span is the child of this very call.
    const served = spans.filter((s) => s.parentSpanId === idOf(call));
    expect([call.name, served.map((s) => s.name)]).toEqual([call.name, [`${call.name} POST /graphql`]]);
    expect(served[0]?.attributes['http.response.status_code']).toBe(200);
  }
});

test('no span carries personal data: no token, subject, justification, case reference, variable or field value', async () => {
  exporter.reset();
  const reply = await ask(stack.gatewayUrl, { token, purpose: 'drug-trafficking', justification: JUSTIFICATION, caseRef: CASE_REF, operation: 'ContainerDossier', variables: { number: 'MSCU1234566' } });
  expect(reply.status).toBe(200);
  const spans = exporter.getFinishedSpans();
  expect(spans.length).toBeGreaterThan(15);
  const said = JSON.stringify(spans.map((s) => ({ name: s.name, attributes: s.attributes, events: s.events, links: s.links, status: s.status })));
  for (const secret of [token, token.split('.')[1] ?? '', 'j.devries', JUSTIFICATION, 'Jansen', CASE_REF, 'MSCU1234566', 'cocaine', 'BANAANSCHIL', 'Bearer']) {
    expect([secret.slice(0, 20), said.includes(secret)]).toEqual([secret.slice(0, 20), false]);
  }
});

test('a refused request is traced too, its stage marked failed with the refusal code only', async () => {
  exporter.reset();
  const reply = await ask(stack.gatewayUrl, { token: `${token}x`, purpose: 'drug-trafficking', operation: 'ContainerDossier', variables: { number: 'MSCU1234566' } });
  expect(reply.status).toBe(401);
  const spans = exporter.getFinishedSpans();
  const authenticate = spans.find((s) => s.name === 'pactum.authenticate');
  expect(authenticate?.status.code).toBe(2); // ERROR
  expect(authenticate?.attributes['error.type']).toBe('UNAUTHENTICATED');
  expect(spans.map((s) => s.name)).toEqual(expect.arrayContaining(['pactum.refuse', 'POST /graphql']));
  expect(spans.filter((s) => /^subgraph /.test(s.name))).toEqual([]);
  expect(JSON.stringify(spans.map((s) => s.attributes))).not.toContain(token.slice(-20));
});
