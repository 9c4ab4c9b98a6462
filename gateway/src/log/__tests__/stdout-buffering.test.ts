/**
 * The default destination buffers request lines and nothing else: run in a child process whose
 * stdout is a pipe, as a gateway's is under a supervisor.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';

const LOGGER = path.join(__dirname, '../create-logger.ts');

/** Runs `body` (with `log` bound to a default logger) in a child; resolves with the lines seen before `until` holds, and the child. */
function child(body: string) {
  const script = `const { createLogger } = require(${JSON.stringify(LOGGER)}); const log = createLogger({ level: 'info' });\n${body}`;
  const proc = spawn(process.execPath, ['--import', 'tsx', '-e', script], { stdio: ['pipe', 'pipe', 'inherit'] });
  let text = '';
  const waiters: Array<() => void> = [];
  let gone = false;
  proc.stdout.on('data', (chunk: Buffer) => {
    text += chunk.toString();
    waiters.splice(0).forEach((w) => w());
  });
  const lines = (): Array<Record<string, unknown>> => text.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);
  const until = (test: (l: ReturnType<typeof lines>) => boolean): Promise<ReturnType<typeof lines>> =>
    new Promise((resolve, reject) => {
      const check = (): void => {
        if (test(lines())) resolve(lines());
        else if (gone) reject(new Error(`the child exited; it wrote: ${text}`));
        else waiters.push(check);
      };
      check();
    });
  const exited = new Promise<number | null>((resolve) =>
    proc.on('exit', (code) => {
      gone = true;
      waiters.splice(0).forEach((w) => w());
      resolve(code);
    }),
  );
  return { proc, lines, until, exited };
}

describe('the default log destination', () => {
  it('writes an operator line with the request lines buffered before it, in order, while the process runs on', async () => {
    // The child keeps running (stdin open): only a flush, not its exit, can deliver the lines.
    const c = child(`
      for (let i = 0; i < 3; i++) log.info({ event: 'request', n: i }, 'request');
      log.info({ event: 'ready' }, 'ready');
      process.stdin.resume();`);
    const seen = await c.until((l) => l.some((x) => x.event === 'ready'));
    expect(seen.map((x) => x.event)).toEqual(['request', 'request', 'request', 'ready']);
    c.proc.kill();
    await c.exited;
  });

  it('delivers an operator line logged while a write of request lines is still in progress', async () => {
    // 300 request lines pass the buffer's size, so a write is under way when the operator line comes.
    const c = child(`
      for (let i = 0; i < 300; i++) log.info({ event: 'request', n: i }, 'request');
      log.info({ event: 'supergraph_swapped' }, 'swapped');
      process.stdin.resume();`);
    const seen = await c.until((l) => l.some((x) => x.event === 'supergraph_swapped'));
    expect(seen.filter((x) => x.event === 'request')).toHaveLength(300);
    c.proc.kill();
    await c.exited;
  });

  it('delivers a lone request line without any other line or exit (the periodic flush)', async () => {
    const c = child(`log.info({ event: 'request', n: 1 }, 'request'); process.stdin.resume();`);
    const seen = await c.until((l) => l.length > 0);
    expect(seen).toEqual([expect.objectContaining({ event: 'request', n: 1 })]);
    c.proc.kill();
    await c.exited;
  });

  it('flushes every buffered request line when the process exits, also through process.exit', async () => {
    const c = child(`for (let i = 0; i < 500; i++) log.info({ event: 'request', n: i }, 'request'); process.exit(0);`);
    expect(await c.exited).toBe(0);
    expect(c.lines().map((x) => x.n)).toEqual(Array.from({ length: 500 }, (_, i) => i));
  });
});
