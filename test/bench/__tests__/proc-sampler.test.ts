import { spawn } from 'node:child_process';
import { processTree, startProcessSampler } from '../proc-sampler';

describe('startProcessSampler', () => {
  it('charges a window the CPU the process spent in it and reports its memory', () => {
    const sampler = startProcessSampler(process.pid);
    // Work until the kernel's accounting (10 ms ticks) has certainly moved.
    const until = process.cpuUsage();
    let x = 0;
    while (process.cpuUsage(until).user < 60_000) x += Math.sqrt(x + 1);
    const sample = sampler.stop();
    expect(x).toBeGreaterThan(0);
    expect(sample.cpuMs).toBeGreaterThan(0);
    expect(sample.peakRssBytes).toBeGreaterThan(1024 * 1024);
    expect(sample.lifetimePeakRssBytes).toBeGreaterThanOrEqual(sample.peakRssBytes - 64 * 1024 * 1024);
  });

  it('refuses a process that does not exist', () => {
    expect(() => startProcessSampler(2 ** 22 + 12345)).toThrow(/is not running/);
  });

  it('finds children in the process tree', async () => {
    const child = spawn('sleep', ['5']);
    try {
      await new Promise((r) => child.once('spawn', r));
      expect(processTree(process.pid)).toContain(child.pid);
    } finally {
      child.kill();
    }
  });
});
