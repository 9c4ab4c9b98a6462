import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { summarise, type BenchReport, type MeasuredRun } from '../bench-results';
import { formatComparison, readReport } from '../bench-compare';
import type { VariantName } from '../gateway-variants';
import { measuredRun } from './measured-run';

const probes = (['bare', 'pactum'] as const).map((variant) => ({ workload: 'lookup', variant, status: 200, bodyBytes: 98, errorCodes: [], dataFields: ['container'], dataHash: 'h' }));

function report(runs: MeasuredRun[], connections: number[], commit: string): BenchReport {
  const variants: VariantName[] = ['bare', 'pactum'];
  const rows = summarise(runs, probes, { workloads: ['lookup'], connections, variants });
  return {
    startedAt: '2026-11-29T17:00:00.000Z',
    finishedAt: '2026-11-29T17:10:00.000Z',
    machine: { cpus: 2, cpuModel: 'test', node: 'v20', loadAvgBefore: [0, 0, 0] },
    gitCommit: commit,
    settings: { durationSec: 10, warmupSec: 2, rounds: 1, connections, workloads: ['lookup'], variants },
    workloads: [],
    skippedVariants: [],
    probes,
    rows,
    target: [],
    runs,
  };
}

describe('formatComparison', () => {
  it('puts each row of both runs before → after, with the change and each run against its own reference', () => {
    const before = report([measuredRun('bare', { connections: 1 }), measuredRun('pactum', { connections: 1, gatewayCpuMsPerRequest: 2.2 })], [1], 'aaaaaaa');
    const after = report(
      [
        measuredRun('bare', { connections: 1, gatewayCpuMsPerRequest: 2.5 }),
        measuredRun('pactum', { connections: 1, gatewayCpuMsPerRequest: 1.5 }),
        measuredRun('bare', { connections: 50 }),
        measuredRun('pactum', { connections: 50 }),
      ],
      [1, 50],
      'bbbbbbb',
    );
    const text = formatComparison(before, after, { before: 'old.json', after: 'new.json' });
    expect(text).toContain('before: old.json (2026-11-29T17:00:00.000Z, commit aaaaaaa, 1 round(s) of 10 s)');
    const pactum = text.split('\n').find((l) => /^lookup\s+1\s+pactum/.test(l));
    expect(pactum).toMatch(/2\.20 → 1\.50\s+-32%\s+1\.10 → 0\.60/);
    expect(text).toContain('only after: lookup c=50 bare; lookup c=50 pactum');
  });

  it('says so when the runs share no row', () => {
    const a = report([measuredRun('bare', { connections: 1 })], [1], 'a');
    const b = report([measuredRun('bare', { connections: 10 })], [10], 'b');
    expect(formatComparison(a, b, { before: 'a', after: 'b' })).toContain('(no row in common');
  });
});

describe('readReport', () => {
  it('names the file that is missing or not a bench results file', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-compare-'));
    try {
      expect(() => readReport(path.join(dir, 'missing.json'))).toThrow(/missing\.json: cannot read a bench results file/);
      const components = path.join(dir, 'components-latest.json');
      fs.writeFileSync(components, '[]');
      expect(() => readReport(components)).toThrow(/not a bench results file/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
