/**
 * The log variants of the bench do what their names say: `pactum` writes a JSON line per request
 * (the production default), `pactum-no-logs` does not — whatever PACTUM_LOG_LEVEL the bench
 * itself inherited. A refused request (no token) is enough to show it, and needs no subgraph.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from '../child-service';
import { gatewayArgs, peerGatewayArgs, peerHeapMb } from '../gateway-node-args';
import { BASELINE_ENV, checkoutsToBuild, DEDUP_ENV, gatewayReadsDedupSwitch, pactumScript, startVariant, type VariantName } from '../gateway-variants';

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-variants-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

test.each<[VariantName, boolean]>([
  ['pactum', true],
  ['pactum-no-logs', false],
])('%s: a request line per request: %s', async (name, logs) => {
  const variant = await startVariant(name, { subgraphUrls: {}, stateDir: dir, workDir: dir });
  let status: number;
  try {
    const res = await fetch(variant.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":"{ __typename }"}' });
    status = res.status;
  } finally {
    // Stopped first, so everything it wrote has been read: absence is then a fact, not a race.
    await variant.service.stop();
  }
  expect(status).toBe(401);
  const output = variant.service.outputTail();
  // At info the drain's last line is there too (the whole output was read).
  expect(output.includes('"event":"drained"')).toBe(logs);
  expect(output.includes('"event":"request"')).toBe(logs);
}, 120_000);

test('pactum-tracing exports its spans over OTLP to the sink; the other variants export nothing', async () => {
  const variant = await startVariant('pactum-tracing', { subgraphUrls: {}, stateDir: dir, workDir: dir });
  let status: number;
  let exports = 0;
  try {
    const res = await fetch(variant.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":"{ __typename }"}' });
    status = res.status;
  } finally {
    // The gateway flushes its spans when it stops; read the count before the sink goes.
    await variant.service.stop();
    exports = variant.otlpExports?.() ?? 0;
  }
  expect(status).toBe(401);
  expect(exports).toBeGreaterThan(0);
  const plain = await startVariant('pactum', { subgraphUrls: {}, stateDir: dir, workDir: dir });
  expect(plain.otlpExports).toBeUndefined();
  await plain.service.stop();
}, 120_000);

test(`pactum-no-dedup runs only where the gateway reads ${DEDUP_ENV}`, () => {
  expect(gatewayReadsDedupSwitch()).toBe(true);
  const tree = path.join(dir, 'tree-without-switch');
  fs.mkdirSync(path.join(tree, 'gateway', 'src', 'config'), { recursive: true });
  fs.writeFileSync(path.join(tree, 'gateway', 'src', 'config', 'gateway-config.ts'), 'export const x = 1;\n');
  expect(gatewayReadsDedupSwitch(tree)).toBe(false);
});

test(`pactum-baseline runs the gateway of the checkout in ${BASELINE_ENV}, and says what is missing`, async () => {
  expect(() => pactumScript('pactum-baseline', 'source', {})).toThrow(`set ${BASELINE_ENV}`);
  expect(() => pactumScript('pactum-baseline', 'source', { [BASELINE_ENV]: dir })).toThrow('gateway/src/cli/pactum.ts not found');
  expect(() => pactumScript('pactum-baseline', 'build', { [BASELINE_ENV]: dir })).toThrow(/gateway\/dist\/cli\/pactum.js not found .*run `npm run build` there/);
  expect(pactumScript('pactum-baseline', 'source', { [BASELINE_ENV]: REPO_ROOT })).toBe(path.join(REPO_ROOT, 'gateway/src/cli/pactum.ts'));
  const saved = process.env[BASELINE_ENV];
  process.env[BASELINE_ENV] = REPO_ROOT; // this checkout stands in for another one
  try {
    const variant = await startVariant('pactum-baseline', { subgraphUrls: {}, stateDir: dir, workDir: dir });
    try {
      const res = await fetch(variant.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":"{ __typename }"}' });
      expect(res.status).toBe(401);
    } finally {
      await variant.service.stop();
    }
  } finally {
    if (saved === undefined) delete process.env[BASELINE_ENV];
    else process.env[BASELINE_ENV] = saved;
  }
}, 120_000);

test('--pactum-from build runs dist/ of each checkout a selected Pactum variant comes from, and builds only those', () => {
  expect(pactumScript('pactum-no-audit', 'source', {})).toBe(path.join(REPO_ROOT, 'gateway/src/cli/pactum.ts'));
  // Whether or not this checkout is built, the built variant names dist/ (and says how to make it when missing).
  try {
    expect(pactumScript('pactum', 'build', {})).toBe(path.join(REPO_ROOT, 'gateway/dist/cli/pactum.js'));
  } catch (err) {
    expect((err as Error).message).toContain(`${path.join(REPO_ROOT, 'gateway/dist/cli/pactum.js')} not found; run \`npm run build\` there`);
  }
  const baseline = { [BASELINE_ENV]: dir };
  expect(checkoutsToBuild(['bare', 'hive', 'grafbase-no-dedup'], 'build', baseline)).toEqual([]);
  expect(checkoutsToBuild(['bare', 'pactum', 'pactum-no-audit'], 'build', baseline)).toEqual([REPO_ROOT]);
  expect(checkoutsToBuild(['bare', 'pactum', 'pactum-baseline'], 'build', baseline)).toEqual([REPO_ROOT, dir]);
  expect(checkoutsToBuild(['bare', 'pactum', 'pactum-baseline'], 'source', baseline)).toEqual([]);
  expect(() => checkoutsToBuild(['pactum-baseline'], 'build', {})).toThrow(`set ${BASELINE_ENV}`);
});

test('BENCH_GATEWAY_NODE_ARGS adds options after the heap ceiling, and refuses anything but options', () => {
  expect(gatewayArgs({})).toEqual(['--max-old-space-size=192']);
  expect(gatewayArgs({ BENCH_GATEWAY_NODE_ARGS: ' --max-semi-space-size=32  --single-threaded-gc ' })).toEqual(['--max-old-space-size=192', '--max-semi-space-size=32', '--single-threaded-gc']);
  expect(gatewayArgs({ BENCH_GATEWAY_CPU_PROF: '/tmp/p', BENCH_GATEWAY_NODE_ARGS: '--v8-pool-size=1' })).toEqual(['--max-old-space-size=192', '--v8-pool-size=1', '--cpu-prof', '--cpu-prof-dir=/tmp/p']);
  expect(() => gatewayArgs({ BENCH_GATEWAY_NODE_ARGS: '--x script.js' })).toThrow(/BENCH_GATEWAY_NODE_ARGS=.*Node.js options only/);
});

test('a Node.js peer gets its own heap ceiling, last so that it wins over the shared one; a bad BENCH_PEER_HEAP_MB is refused', () => {
  const args = peerGatewayArgs({});
  expect(args).toContain('--max-old-space-size=192');
  expect(args[args.length - 1]).toBe('--max-old-space-size=512');
  expect(peerHeapMb({ BENCH_PEER_HEAP_MB: '1024' })).toBe(1024);
  for (const bad of ['0', '12', 'lots', '-5', '99999']) expect(() => peerHeapMb({ BENCH_PEER_HEAP_MB: bad })).toThrow(/BENCH_PEER_HEAP_MB/);
});
