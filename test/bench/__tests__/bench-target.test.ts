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
        run('pactum', 50, { requestsPerSec: 100, gatewayCpuMsPerRequest: 1.5, gatewayPeakRssBytes: 299 * 1024 * 1024 }),
      ],
      probes,
      order,
    );
    const checks = checkTarget(rows, 'bare');
    expect(checks.map((c) => [c.rule, c.rows, c.misses.length])).toEqual([
      ['CPU ms/req ≤ 1.00 × bare', 2, 0],
      ['req/s ≥ 1.00 × bare at 50 connections', 1, 0],
      ['p99 ≤ 1.10 × bare', 2, 0],
      ['RSS < 300 MB at 50 connections', 1, 0],
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
});
