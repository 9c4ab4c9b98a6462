import { summarise, type MeasuredRun } from '../bench-results';
import { checkTarget, formatTarget } from '../bench-target';
import { formatTable } from '../bench-table';
import type { VariantName } from '../gateway-variants';
import { measuredRun } from './measured-run';

function run(variant: VariantName, connections: number, over: Partial<MeasuredRun> = {}): MeasuredRun {
  return measuredRun(variant, { connections, ...over });
}

const probes = (['bare', 'pactum'] as const).map((variant) => ({ workload: 'lookup', variant, status: 200, bodyBytes: 98, errorCodes: [], dataFields: ['container'], dataHash: 'h' }));
const order = { workloads: ['lookup'], connections: [1, 50], variants: ['bare', 'pactum'] as VariantName[] };

describe('checkTarget', () => {
  it('is met when pactum costs no more CPU, keeps p99 within 10 %, matches throughput and RSS at 50 connections', () => {
    const rows = summarise(
      [
        run('bare', 1),
        run('pactum', 1, { gatewayCpuMsPerRequest: 2, latencyMs: { p50: 10, p90: 15, p99: 22, max: 30, mean: 11 } }),
        run('bare', 50),
        run('pactum', 50, { requestsPerSec: 100, gatewayCpuMsPerRequest: 1.5, gatewayPeakRssBytes: 249 * 1024 * 1024 }),
      ],
      probes,
      order,
    );
    const checks = checkTarget(rows, 'bare');
    expect(checks.map((c) => [c.rule, c.rows, c.misses.length])).toEqual([
      ['CPU ms/req ≤ 1.00 × bare', 2, 0],
      ['req/s ≥ 1.00 × bare at 50 connections', 1, 0],
      ['p99 ≤ 1.10 × bare', 2, 0],
      ['RSS < 250 MB at 50 connections', 1, 0],
    ]);
    expect(formatTarget(checks).every((l, i) => i === 0 || l.startsWith('  met '))).toBe(true);
  });

  it('names each row that misses, with its figure, and the table prints it', () => {
    const rows = summarise(
      [
        run('bare', 1),
        run('pactum', 1, { gatewayCpuMsPerRequest: 2.2, latencyMs: { p50: 10, p90: 15, p99: 23, max: 30, mean: 11 } }),
        run('bare', 50),
        run('pactum', 50, { requestsPerSec: 95, gatewayPeakRssBytes: 310 * 1024 * 1024 }),
      ],
      probes,
      order,
    );
    const checks = checkTarget(rows, 'bare');
    expect(checks.find((c) => c.rule.startsWith('CPU'))?.misses).toEqual([{ workload: 'lookup', connections: 1, value: expect.closeTo(1.1, 5) }]);
    expect(checks.find((c) => c.rule.startsWith('req/s'))?.misses).toEqual([{ workload: 'lookup', connections: 50, value: 0.95 }]);
    expect(checks.find((c) => c.rule.startsWith('p99'))?.misses).toEqual([{ workload: 'lookup', connections: 1, value: 1.15 }]);
    expect(checks.find((c) => c.rule.startsWith('RSS'))?.misses).toEqual([{ workload: 'lookup', connections: 50, value: 310 }]);
    const table = formatTable({ rows, settings: { durationSec: 10, warmupSec: 2, rounds: 1, connections: [1, 50], workloads: ['lookup'], variants: ['bare', 'pactum'] }, skippedVariants: [] });
    expect(table).toContain('MISS  CPU ms/req ≤ 1.00 × bare: 1/2 rows — missed by lookup c=1: 1.10');
    expect(table).toContain('MISS  req/s ≥ 1.00 × bare at 50 connections: 0/1 rows — missed by lookup c=50: 0.95');
  });

  it('leaves flagged rows out rather than judging a broken run', () => {
    const rows = summarise([run('bare', 1), run('pactum', 1, { non2xx: 5, gatewayCpuMsPerRequest: 9 })], probes, { ...order, connections: [1] });
    expect(checkTarget(rows, 'bare')).toEqual([]);
  });

  it('checks pactum against the peers, by defaults and like for like, and the list sizes against half of bare', () => {
    const variants: VariantName[] = ['bare', 'pactum', 'pactum-no-dedup', 'hive', 'hive-no-dedup', 'hive-rust-no-dedup'];
    const at = (workload: string, connections: number, variant: VariantName, over: Partial<MeasuredRun> = {}): MeasuredRun =>
      measuredRun(variant, { workload, connections, ...over });
    const runs = [10, 50].flatMap((c) => [
      at('list-10', c, 'bare', { gatewayCpuMsPerRequest: 4 }),
      at('list-10', c, 'pactum', { gatewayCpuMsPerRequest: c === 10 ? 1.9 : 2.1, requestsPerSec: 120 }),
      at('list-10', c, 'pactum-no-dedup', { requestsPerSec: 90, gatewayCpuMsPerRequest: 1.2 }),
      at('list-10', c, 'hive', { requestsPerSec: 110, latencyMs: { p50: 10, p90: 15, p99: 25, max: 30, mean: 11 } }),
      at('list-10', c, 'hive-no-dedup', { requestsPerSec: 100 }),
      at('list-10', c, 'hive-rust-no-dedup', { gatewayCpuMsPerRequest: 1 }),
    ]);
    const probesOf = variants.map((variant) => ({ workload: 'list-10', variant, status: 200, bodyBytes: 98, errorCodes: [], dataFields: ['p0'], dataHash: 'h' }));
    const rows = summarise(runs, probesOf, { workloads: ['list-10'], connections: [10, 50], variants });
    const checks = checkTarget(rows, 'bare');
    const byRule = (start: string) => checks.find((c) => c.rule.startsWith(start));
    expect(byRule('CPU ms/req ≤ 0.50 × bare at every list size')?.misses).toEqual([{ workload: 'list-10', connections: 50, value: expect.closeTo(0.525, 5) }]);
    expect(byRule("pactum req/s ≥ hive's at 10 and 50 connections")).toMatchObject({ rows: 2, misses: [] });
    expect(byRule("pactum p99 ≤ hive's")).toMatchObject({ rows: 2, misses: [] });
    expect(byRule("pactum-no-dedup req/s ≥ hive-no-dedup's")?.misses).toEqual([
      { workload: 'list-10', connections: 10, value: 0.9 },
      { workload: 'list-10', connections: 50, value: 0.9 },
    ]);
    expect(byRule("pactum-no-dedup CPU ms/req ≤ hive-rust-no-dedup's")?.misses.map((m) => m.value)).toEqual([expect.closeTo(1.2, 5), expect.closeTo(1.2, 5)]);
    // hive-rust (defaults) was not run against pactum-no-dedup's pair: no rule names it.
    expect(checks.some((c) => c.rule.includes("hive-rust's"))).toBe(false);
  });

  it('leaves out a peer rule whose peer was not run', () => {
    const rows = summarise([run('bare', 50), run('pactum', 50)], probes, { ...order, connections: [50] });
    expect(checkTarget(rows, 'bare').some((c) => c.rule.includes('hive'))).toBe(false);
  });
});
