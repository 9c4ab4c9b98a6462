/**
 * A subgraph down: the gateway answers with what the others hold, puts null and a
 * SUBGRAPH_UNAVAILABLE error where the missing agency's fields were, says nothing internal,
 * releases nothing it would not have released anyway, and stays ready: one agency's outage
 * must not take every gateway replica out of service. `/readyz` and `/metrics` report it.
 */
import { ask } from '../../src/client';
import { startStack, type Stack } from '../../src/stack';
import { NL_INVESTIGATOR } from '../../src/story-principals';

let stack: Stack;
let token: string;

beforeAll(async () => {
  stack = await startStack({ record: true });
  token = await stack.keys.token(NL_INVESTIGATOR);
}, 120_000);
afterAll(async () => stack?.stop());

const dossier = () =>
  ask(stack.gatewayUrl, { token, purpose: 'drug-trafficking', operation: 'ContainerDossier', variables: { number: 'MSCU1234566' } });

test('with the police subgraph down, Customs data still comes back and the police fields are null with SUBGRAPH_UNAVAILABLE', async () => {
  const before = await dossier();
  const healthy = before.body.data as { container: Record<string, unknown> };
  expect(Array.isArray(healthy.container.investigations)).toBe(true);
  const ready = await fetch(stack.gatewayUrl.replace('/graphql', '/readyz'));
  expect(ready.status).toBe(200);

  await stack.recorded.police?.close();
  const reply = await dossier();
  expect(reply.status).toBe(200);
  const data = reply.body.data as { container: Record<string, unknown> | null };
  expect(data.container?.number).toBe('MSCU1234566');
  expect(data.container?.seizures).toEqual(healthy.container.seizures);
  expect(data.container).toHaveProperty('investigations', null);
  const unavailable = reply.body.errors?.filter((e) => e.extensions?.code === 'SUBGRAPH_UNAVAILABLE') ?? [];
  expect(unavailable.length).toBeGreaterThan(0);
  expect(unavailable[0]?.extensions?.serviceName).toBe('police');
  // Errors explain, never leak: no socket details, hosts or ports of the subgraph.
  expect(JSON.stringify(reply.body.errors)).not.toMatch(/ECONNREFUSED|127\.0\.0\.1|detail/);
  // Nothing beyond what the healthy answer released: every value present now is the very same value.
  for (const key of Object.keys(data.container ?? {})) {
    if (data.container?.[key] !== null) expect(data.container?.[key]).toEqual(healthy.container[key]);
  }
  expect(typeof reply.body.extensions?.auditId).toBe('string');

  // Readiness is probed at most once a second; the next probe sees the subgraph gone — and
  // stays ready, because the gateway still serves the other agencies' data.
  await new Promise((r) => setTimeout(r, 1100));
  const stillReady = await fetch(stack.gatewayUrl.replace('/graphql', '/readyz'));
  expect(stillReady.status).toBe(200);
  const body = (await stillReady.json()) as { status: string; checks: Record<string, string>; subgraphs: Record<string, string> };
  expect(body.status).toBe('ready');
  // Every subgraph of the system is reported: police down, all the others up.
  const expected = Object.fromEntries(Object.keys(stack.subgraphUrls).map((name) => [name, name === 'police' ? 'down' : 'up']));
  expect(Object.keys(expected).length).toBeGreaterThanOrEqual(4);
  expect(body.subgraphs).toEqual(expected);
  expect(Object.keys(body.checks).sort()).toEqual(['audit', 'policy', 'supergraph', 'trustRegistry']);

  const metrics = await (await fetch(stack.gatewayUrl.replace('/graphql', '/metrics'))).text();
  expect(metrics).toContain('pactum_subgraph_up{subgraph="police"} 0');
  expect(metrics).toContain('pactum_subgraph_up{subgraph="customs"} 1');
  expect(metrics).toMatch(/pactum_subgraph_errors_total\{subgraph="police",kind="(transport|http)"\} [1-9]/);
  expect(metrics).toMatch(/pactum_subgraph_request_duration_seconds_count\{subgraph="customs"\} [1-9]/);
});
