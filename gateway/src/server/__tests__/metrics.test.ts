/** The metrics with bounded labels: operations past the cap, and the caches' hit/miss tallies. */
import { ByteLruCache, cacheLookups } from '../../cache';
import { createGatewayMetrics, METRIC_NAMES } from '../metrics';

const value = async (metrics: ReturnType<typeof createGatewayMetrics>, name: string, labels: Record<string, string>): Promise<number | undefined> => {
  const metric = (await metrics.registry.getMetricsAsJSON()).find((m) => m.name === name);
  const match = metric?.values.find((v) => Object.entries(labels).every(([k, l]) => v.labels[k] === l));
  return match?.value;
};

test('operations are labelled by name and hash up to the cap, then counted as (other)', async () => {
  const metrics = createGatewayMetrics({ maxOperationSeries: 3 });
  const hash = (i: number) => `${String(i).padStart(2, '0')}${'ab'.repeat(31)}`;
  for (let i = 0; i < 10; i++) metrics.countOperation(`Op${i}`, hash(i), 'released');
  metrics.countOperation('Op0', hash(0), 'released'); // a known pair keeps its label after the cap
  metrics.countOperation(null, hash(99), 'refused');
  expect(await value(metrics, 'pactum_operations_total', { operation: 'Op0', hash: hash(0).slice(0, 12), outcome: 'released' })).toBe(2);
  expect(await value(metrics, 'pactum_operations_total', { operation: 'Op2', outcome: 'released' })).toBe(1);
  expect(await value(metrics, 'pactum_operations_total', { operation: 'Op3' })).toBeUndefined();
  expect(await value(metrics, 'pactum_operations_total', { operation: '(other)', outcome: 'released' })).toBe(7);
  expect(await value(metrics, 'pactum_operations_total', { operation: '(other)', outcome: 'refused' })).toBe(1);
  const series = (await metrics.registry.getMetricsAsJSON()).find((m) => m.name === 'pactum_operations_total')?.values ?? [];
  expect(series.length).toBe(5);
});

test('cache lookups: a named cache counts hits and misses, exported as pactum_cache_lookups_total', async () => {
  const metrics = createGatewayMetrics();
  const before = { ...cacheLookups('rewrites') };
  const cache = new ByteLruCache<string, string>({ maxBytes: 10_000, sizeOf: () => 10, lookups: cacheLookups('rewrites') });
  cache.get('a');
  cache.set('a', 'x');
  cache.get('a');
  cache.get('a');
  expect(await value(metrics, 'pactum_cache_lookups_total', { cache: 'rewrites', result: 'hit' })).toBe(before.hits + 2);
  expect(await value(metrics, 'pactum_cache_lookups_total', { cache: 'rewrites', result: 'miss' })).toBe(before.misses + 1);
});

test('every series named in METRIC_NAMES is registered (and nothing beyond them and the process defaults)', async () => {
  const metrics = createGatewayMetrics();
  const names = (await metrics.registry.getMetricsAsJSON()).map((m) => m.name);
  for (const name of METRIC_NAMES) expect(names).toContain(name);
  const defaults = names.filter((n) => !(METRIC_NAMES as readonly string[]).includes(n));
  expect(defaults.every((n) => n.startsWith('pactum_process_') || n.startsWith('pactum_nodejs_'))).toBe(true);
});
