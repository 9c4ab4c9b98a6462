/**
 * A `pactum` command piped into `head` ends quietly: the real CLI in a child process, its stdout
 * closed by the reader after the first chunk, must print no EPIPE trace and exit 0.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';

const CLI = join(__dirname, '..', 'pactum.ts');

it('policy access --json | head: no EPIPE trace, exit 0', async () => {
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, 'policy', 'access', '--json'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  child.stderr.on('data', (c: Buffer) => (err += c.toString()));
  let got = 0;
  // Like `head -c`: take one chunk, then close our end of the pipe.
  child.stdout.once('data', (c: Buffer) => {
    got = c.length;
    child.stdout.destroy();
  });
  const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
  expect(got).toBeGreaterThan(0);
  expect(err).not.toMatch(/EPIPE|Error|at /);
  expect(code).toBe(0);
}, 60_000);
