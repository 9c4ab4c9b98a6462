import { formatTable } from '../bench-table';
import { summarise, type MeasuredRun, type ProbeResult } from '../bench-results';
import type { VariantName } from '../gateway-variants';
import { measuredRun } from './measured-run';

function run(variant: VariantName, round: number, over: Partial<MeasuredRun> = {}): MeasuredRun {
  return measuredRun(variant, { round, ...over });
}

const probe = (variant: VariantName, errorCodes: string[] = []): ProbeResult => ({
  workload: 'lookup',
  variant,
  status: 200,
  bodyBytes: 98,
  errorCodes,
  dataFields: ['container'],
  dataHash: 'h',
});

const order = { workloads: ['lookup'], connections: [10], variants: ['bare', 'pactum'] as VariantName[] };

describe('summarise', () => {
  it('takes medians and spreads over rounds and divides by the reference', () => {
    const rows = summarise(
      [
        run('bare', 1, { requestsPerSec: 100, gatewayCpuMsPerRequest: 2 }),
        run('pactum', 1, { requestsPerSec: 90, gatewayCpuMsPerRequest: 2.4, subgraphCpuMsPerRequest: 5 }),
        run('bare', 2, { requestsPerSec: 120, gatewayCpuMsPerRequest: 2 }),
        run('pactum', 2, { requestsPerSec: 110, gatewayCpuMsPerRequest: 1.6, gatewayPeakRssBytes: 300 * 1024 * 1024 }),
      ],
      [probe('bare'), probe('pactum')],
      order,
    );
    expect(rows.map((r) => r.variant)).toEqual(['bare', 'pactum']);
    expect(rows[0]?.requestsPerSec).toEqual({ median: 110, min: 100, max: 120 });
    expect(rows[0]?.ratio).toBeUndefined();
    expect(rows[1]?.ratio?.requestsPerSec).toBeCloseTo(100 / 110);
    expect(rows[1]?.ratio?.cpuMsPerRequest).toBeCloseTo(1);
    expect(rows[1]?.peakRssMb).toBe(300);
    expect(rows[1]?.subgraphCpuMsPerRequest).toEqual({ median: 4, min: 3, max: 5 });
    expect(rows.every((r) => !r.flagged)).toBe(true);
  });

  it('flags a row with non-2xx answers, socket errors or timeouts, and the table says so', () => {
    const rows = summarise([run('bare', 1), run('pactum', 1, { non2xx: 3, errors: 1 })], [probe('bare'), probe('pactum')], order);
    expect(rows[0]?.flagged).toBe(false);
    expect(rows[1]?.flagged).toBe(true);
    expect(rows[1]?.failures).toMatchObject({ non2xx: 3, errors: 1, timeouts: 0 });
    const table = formatTable({ rows, settings: { durationSec: 10, warmupSec: 2, rounds: 1, connections: [10], workloads: ['lookup'], variants: ['bare', 'pactum'] }, skippedVariants: [] });
    expect(table).toMatch(/pactum.*!!/);
    expect(table).toContain('lookup 10 pactum: non-2xx 3, socket errors 1');
  });

  it('counts GraphQL errors against what the probe saw', () => {
    // Bare answered the probe cleanly, so errors under load are unexpected; Pactum's probe carried
    // FORBIDDEN errors, so a response WITHOUT them is the unexpected one.
    const rows = summarise(
      [run('bare', 1, { graphqlErrorResponses: 5 }), run('pactum', 1, { graphqlErrorResponses: 990 })],
      [probe('bare'), probe('pactum', ['FORBIDDEN:NO_AGREEMENT'])],
      order,
    );
    expect(rows[0]?.failures.unexpectedGraphqlErrors).toBe(5);
    expect(rows[1]?.failures.unexpectedGraphqlErrors).toBe(10);
    expect(rows.every((r) => r.flagged)).toBe(true);
  });

  it('flags a window in which no request completed', () => {
    const rows = summarise([run('bare', 1, { requests: 0, requestsPerSec: 0, gatewayCpuMsPerRequest: Number.NaN }), run('pactum', 1)], [probe('bare'), probe('pactum')], order);
    expect(rows[0]?.failures.emptyWindows).toBe(1);
    expect(rows[0]?.flagged).toBe(true);
    expect(rows[1]?.flagged).toBe(false);
  });

  it('leaves a variant without a reference row without ratios', () => {
    const rows = summarise([run('pactum', 1)], [probe('pactum')], order);
    expect(rows).toHaveLength(1);
    expect(rows[0]?.ratio).toBeUndefined();
  });

  it('flags a row whose probe answered other data than the reference', () => {
    const rows = summarise([run('bare', 1), run('pactum', 1)], [probe('bare'), { ...probe('pactum'), dataHash: 'other', sameDataAsReference: false }], order);
    expect(rows[0]?.flagged).toBe(false);
    expect(rows[1]?.failures.differentData).toBe(1);
    expect(rows[1]?.flagged).toBe(true);
    const table = formatTable({ rows, settings: { durationSec: 10, warmupSec: 2, rounds: 1, connections: [10], workloads: ['lookup'], variants: ['bare', 'pactum'] }, skippedVariants: [] });
    expect(table).toContain('lookup 10 pactum: non-2xx 0, socket errors 0, timeouts 0, unexpected GraphQL-error responses 0, windows without a completed request 0, probe data differs from the reference');
  });

  it('does not flag a difference the workload expects of the variant', () => {
    const rows = summarise([run('bare', 1), run('pactum', 1)], [probe('bare'), { ...probe('pactum'), dataHash: 'other', sameDataAsReference: false, differenceExpected: true }], order);
    expect(rows[1]?.failures.differentData).toBe(0);
    expect(rows[1]?.flagged).toBe(false);
  });
});
