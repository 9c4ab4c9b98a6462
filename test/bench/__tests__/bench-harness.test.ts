/**
 * Smoke test of `npm run bench` itself: a two-second window of one workload at one level on
 * bare @apollo/gateway and on Pactum, through the real command, must print the table and write
 * the JSON with numbers in every cell. No figure is compared with any threshold: the bench
 * measures, the suite only checks that it can.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { BenchReport } from '../bench-results';

const ROOT = path.resolve(__dirname, '../../..');

function runBench(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', 'test/bench/run.ts', ...args], { cwd: ROOT, timeout: 170_000 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : -1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

describe('npm run bench (smoke)', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-smoke-'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('runs bare and pactum side by side and produces the table and the JSON', async () => {
    const output = path.join(dir, 'smoke.json');
    const { code, stdout, stderr } = await runBench([
      '--gateways',
      '--variants', 'bare,pactum',
      // The sources: the production build is the e2e suite's to make (two builds at once would race), and its bench start is tested there.
      '--pactum-from', 'source',
      '--workloads', 'lookup',
      '--connections', '2',
      '--duration', '2',
      '--warmup', '0.5',
      '--rounds', '1',
      '--output', output,
    ]);
    if (code !== 0) throw new Error(`bench exited ${code}\n--- stdout ---\n${stdout}\n--- stderr ---\n${stderr}`);

    const report = JSON.parse(fs.readFileSync(output, 'utf8')) as BenchReport;
    expect(report.skippedVariants).toEqual([]);
    expect(report.rows.map((r) => [r.workload, r.connections, r.variant])).toEqual([
      ['lookup', 2, 'bare'],
      ['lookup', 2, 'pactum'],
    ]);
    for (const row of report.rows) {
      expect(row.flagged).toBe(false);
      expect(row.requestsPerSec.median).toBeGreaterThan(0);
      expect(row.p99Ms.median).toBeGreaterThanOrEqual(row.p50Ms.median);
      expect(row.cpuMsPerRequest.median).toBeGreaterThan(0);
      // The lookup makes subgraph calls: the subgraphs' CPU in the window is charged to it.
      expect(row.subgraphCpuMsPerRequest?.median).toBeGreaterThan(0);
      expect(row.peakRssMb).toBeGreaterThan(10);
    }
    const pactum = report.rows[1];
    expect(Number.isFinite(pactum?.ratio?.cpuMsPerRequest)).toBe(true);
    expect(Number.isFinite(pactum?.ratio?.requestsPerSec)).toBe(true);
    // Both gateways answered the probe with the container, Pactum with its audit id.
    expect(report.probes.map((p) => [p.variant, p.status, p.dataFields])).toEqual([
      ['bare', 200, ['container']],
      ['pactum', 200, ['container']],
    ]);
    expect(report.runs).toHaveLength(2);

    const lines = stdout.split('\n');
    const header = lines.find((l) => l.startsWith('workload'));
    expect(header).toMatch(/req\/s.*p50 ms.*p99 ms.*CPU ms\/req.*main.*subgr.*RSS MB.*×req\/s.*×CPU.*×p99/);
    const pactumLine = lines.find((l) => /^\s+pactum\s/.test(l));
    // req/s, p50, p99, CPU, RSS, three ratios: eight numbers on Pactum's line.
    expect(pactumLine?.match(/\d+(\.\d+)?/g)?.length).toBeGreaterThanOrEqual(8);
    expect(stdout).toMatch(/^targets \(pactum against the reference/m);

    // The run is kept beside the output, and two results files compare row by row.
    const kept = fs.readdirSync(dir).filter((f) => /^run-\d{8}T\d{6}Z-[0-9a-z]+\.json$/.test(f));
    expect(kept).toHaveLength(1);
    const compared = await runBench(['--compare', `${path.join(dir, kept[0] as string)},${output}`]);
    expect(compared.code).toBe(0);
    expect(compared.stdout).toMatch(/^lookup\s+2\s+pactum\s+\S+ → \S+/m);
  }, 180_000);
});
