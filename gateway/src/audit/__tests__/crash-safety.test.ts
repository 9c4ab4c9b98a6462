/**
 * Crash safety at the store level: a process appending under concurrency is SIGKILLed;
 * every record it acknowledged is in the trail and the chain verifies. (The gateway-level
 * SIGKILL test lives in test/.)
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { collect } from '../index';
import { createHarness, type StoreHarness } from './support/store-harness';

const CHILD = path.join(__dirname, 'fixtures', 'append-until-killed.ts');

describe.each(['sqlite', 'postgres'] as const)('SIGKILL while appending to %s', (kind) => {
  let h: StoreHarness;
  beforeEach(async () => {
    h = await createHarness(kind);
  });
  afterEach(() => h.cleanup());

  test('every acknowledged record survives and verify passes on what remains', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, JSON.stringify(h.config), '20'], {
      cwd: path.resolve(__dirname, '../../../..'),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const acknowledged: string[] = [];
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
    const lines = createInterface({ input: child.stdout });
    const drained = new Promise((r) => lines.once('close', r));
    let ready = false;
    await new Promise<void>((resolve, reject) => {
      child.on('exit', (_code, signal) => {
        if (signal !== 'SIGKILL') reject(new Error(`child exited before the kill: ${stderr}`));
      });
      lines.on('line', (line) => {
        if (line === 'ready') {
          ready = true;
          return;
        }
        acknowledged.push(line);
        // Kill in the middle of the load: appends are in flight at this moment.
        if (acknowledged.length === 400) {
          child.kill('SIGKILL');
          resolve();
        }
      });
    });
    expect(await exited).toBe('SIGKILL');
    await drained;
    expect(ready).toBe(true);
    expect(acknowledged.length).toBeGreaterThanOrEqual(400);

    const trail = await h.open({ replicaId: 'after-crash' });
    try {
      const stored = new Set((await collect(trail.query())).map((r) => r.id));
      const lost = acknowledged.filter((id) => !stored.has(id));
      expect(lost).toEqual([]);
      const report = await trail.verify();
      expect(report).toMatchObject({ ok: true });
      expect(report.checked).toBe(stored.size);
      // The writer's chain continues after the crash.
      const again = await h.open();
      try {
        const { releasedEvent } = await import('./support/events');
        expect((await again.append(releasedEvent(99_999))).seq).toBe(stored.size + 1);
        await expect(again.verify()).resolves.toMatchObject({ ok: true });
      } finally {
        await again.close();
      }
    } finally {
      await trail.close();
    }
  });
});
