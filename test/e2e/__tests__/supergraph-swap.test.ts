/**
 * The dev loop in a running stack (`pactum dev` runs the gateway with PACTUM_SUPERGRAPH_WATCH=1):
 * a recomposed supergraph is swapped in without restarting the gateway, its own caches with it; a
 * broken one, or one the policy is invalid against, is refused and the last good one keeps serving.
 * `/readyz` follows the swap: it reports the subgraphs of the supergraph served now. Rate-limit
 * buckets outlive a swap: waiting for one does not buy a fresh budget.
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { memoryLog } from '@pactum/gateway/src/testing';
import { agencySubgraphs, composeSupergraph, loadSupergraphSdl } from '@pactum/schema';
import { subgraphTypeDefs } from '@pactum/subgraph-kit';
import { maocSdl } from '@pactum/subgraph-maoc';
import { ask, type GraphQLReply } from '../../src/client';
import { startStack, type Stack } from '../../src/stack';
import { NL_INVESTIGATOR } from '../../src/story-principals';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pactum-swap-'));
const file = path.join(dir, 'supergraph.graphql');
const original = loadSupergraphSdl();
const log = memoryLog();
let stack: Stack;
let token: string;

/** The supergraph with MAOC-N's SDL edited (the running maoc subgraph is left as it is). */
function withMaoc(edit: (sdl: string) => string): string {
  const changed = edit(maocSdl);
  if (changed === maocSdl) throw new Error('the edit changed nothing');
  const result = composeSupergraph(agencySubgraphs().map((s) => (s.name === 'maoc' ? { ...s, typeDefs: subgraphTypeDefs(changed) } : s)));
  if ('errors' in result) throw new Error(result.errors.map((e) => e.message).join('; '));
  return result.sdl;
}

const WITH_ASSET = 'query Interdictions { interdictions(first: 1) { id actingAsset } }';
const ask1 = (query: string): Promise<GraphQLReply> => ask(stack.gatewayUrl, { token, purpose: 'drug-trafficking', query });

/** Writes `sdl` and waits (polling, no timing asserted) for the gateway to log the outcome. */
async function publish(sdl: string, event: 'supergraph_swapped' | 'supergraph_swap_refused'): Promise<void> {
  log.lines.length = 0;
  fs.writeFileSync(file, sdl);
  const deadline = Date.now() + 60_000;
  while (!log.lines.some((l) => l.fields.event === event || l.fields.event === 'supergraph_swapped' || l.fields.event === 'supergraph_swap_refused')) {
    if (Date.now() > deadline) throw new Error(`the gateway did not react to the new supergraph: ${JSON.stringify(log.lines.slice(-3))}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  expect(log.lines.map((l) => l.fields.event).filter((e) => String(e).startsWith('supergraph_'))).toEqual([event]);
}

beforeAll(async () => {
  fs.writeFileSync(file, original);
  // A hit budget of one, for the test that a swap resets no bucket (no other test here asks a hit).
  stack = await startStack({ env: { PACTUM_SUPERGRAPH: file, PACTUM_SUPERGRAPH_WATCH: '1', PACTUM_RATE_LIMIT_HIT_PRINCIPAL: '1/10m' }, log });
  token = await stack.keys.token(NL_INVESTIGATOR);
}, 120_000);

afterAll(async () => {
  await stack?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

test('a field removed from a subgraph schema disappears from the running gateway, and comes back with it — no restart', async () => {
  const before = await ask1(WITH_ASSET);
  expect(before.body.data).toEqual({ interdictions: [{ id: 'MAOC-INT-2025-0004', actingAsset: 'Guardia Civil ocean patrol vessel' }] });
  const url = stack.gatewayUrl;

  await publish(withMaoc((s) => s.replace(/\n\s*"The asset that boarded \(ship, aircraft, unit\)\."\n\s*actingAsset: String/, '')), 'supergraph_swapped');
  // Same query text, same hash: the old plan and validated document must not be served.
  const after = await ask1(WITH_ASSET);
  expect(after.status).toBe(400);
  expect(after.body.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
  expect((await ask1('query Interdictions { interdictions(first: 1) { id } }')).body.data).toEqual({ interdictions: [{ id: 'MAOC-INT-2025-0004' }] });

  await publish(original, 'supergraph_swapped');
  expect((await ask1(WITH_ASSET)).body.data).toEqual(before.body.data);
  expect(stack.gatewayUrl).toBe(url);
});

test('a broken supergraph is refused and the last good one keeps serving', async () => {
  await publish('type Query { this is not a supergraph', 'supergraph_swap_refused');
  expect((await ask1(WITH_ASSET)).body.data).toEqual({ interdictions: [{ id: 'MAOC-INT-2025-0004', actingAsset: 'Guardia Civil ocean patrol vessel' }] });
  await publish(original, 'supergraph_swapped');
});

test('a supergraph the policy is invalid against (a granted field removed) is refused, supergraph and policy unchanged', async () => {
  // maoc-n-to-member-police grants Vessel.maocInterest by name: without it the policy does not load.
  await publish(withMaoc((s) => s.replace(/\n\s*"Why MAOC-N watches this vessel, when it does\."\n\s*maocInterest: VesselOfInterest/, '')), 'supergraph_swap_refused');
  const refused = log.lines.find((l) => l.fields.event === 'supergraph_swap_refused');
  expect(String(refused?.fields.error)).toContain('maocInterest');
  const still = await ask1('query V { vessel(imo: "9463786") { maocInterest { id } } }');
  expect(still.body.data).toEqual({ vessel: { maocInterest: { id: 'MAOC-VOI-0044' } } });
});

test('/readyz reports the subgraphs of the supergraph served now: one a swap adds is probed, one it removes is gone (metrics too)', async () => {
  const readyz = async (): Promise<{ status: number; subgraphs: Record<string, string> }> => {
    const res = await fetch(stack.gatewayUrl.replace('/graphql', '/readyz'));
    return { status: res.status, subgraphs: ((await res.json()) as { subgraphs: Record<string, string> }).subgraphs };
  };
  const before = await readyz();
  expect(before.status).toBe(200);
  expect(Object.keys(before.subgraphs)).not.toContain('coastguard');
  // A sixth subgraph, answering its health check: only the supergraph names it.
  const coastguard = http.createServer((req, res) => res.writeHead(req.url === '/healthz' ? 200 : 404).end());
  await new Promise<void>((r) => coastguard.listen(0, '127.0.0.1', r));
  try {
    const url = `http://127.0.0.1:${(coastguard.address() as AddressInfo).port}/graphql`;
    const composed = composeSupergraph([...agencySubgraphs(), { name: 'coastguard', url, typeDefs: subgraphTypeDefs('type Query { coastguardPing: String }') }]);
    if ('errors' in composed) throw new Error(composed.errors.map((e) => e.message).join('; '));
    await publish(composed.sdl, 'supergraph_swapped');
    const added = await readyz();
    expect(added.status).toBe(200);
    expect(added.subgraphs).toEqual({ ...before.subgraphs, coastguard: 'up' });
    expect(await (await fetch(stack.gatewayUrl.replace('/graphql', '/metrics'))).text()).toContain('pactum_subgraph_up{subgraph="coastguard"} 1');

    await publish(original, 'supergraph_swapped');
    const removed = await readyz();
    expect(removed.subgraphs).toEqual(before.subgraphs);
    expect(await (await fetch(stack.gatewayUrl.replace('/graphql', '/metrics'))).text()).not.toContain('subgraph="coastguard"');
  } finally {
    await new Promise<void>((r) => coastguard.close(() => r()));
  }
});

test('a swap resets no rate-limit bucket: a principal that spent its hit budget is still refused on the new supergraph', async () => {
  const prober = await stack.keys.token({ ...NL_INVESTIGATOR, sub: 'j.devries.swap-prober' });
  const hitCheck = (): Promise<GraphQLReply> =>
    ask(stack.gatewayUrl, { token: prober, purpose: 'drug-trafficking', operation: 'ContainerHitCheck', variables: { number: 'MSCU1234566' } });
  expect((await hitCheck()).status).toBe(200);
  expect((await hitCheck()).body.errors?.[0]?.extensions?.reason).toBe('hit_principal_budget');
  await publish(withMaoc((s) => s.replace(/\n\s*"The asset that boarded \(ship, aircraft, unit\)\."\n\s*actingAsset: String/, '')), 'supergraph_swapped');
  try {
    const after = await hitCheck();
    expect(after.status).toBe(429);
    expect(after.body.errors?.[0]?.extensions?.reason).toBe('hit_principal_budget');
  } finally {
    await publish(original, 'supergraph_swapped');
  }
});
