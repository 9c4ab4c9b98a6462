/** `pactum keys`: the rotation steps from the command line, their exit codes and messages. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runKeysCommand } from '../commands/keys';

let dir: string;
beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keys-cli-'))));
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

async function run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runKeysCommand([...argv, '--dir', dir], { stdout: (t) => (out += t), stderr: (t) => (err += t) });
  return { code, out, err };
}

test('init, next, promote, then retire refused until the previous key has aged, status all along', async () => {
  expect((await run('status')).err).toMatch(/the current signing key is missing/);
  const init = await run('init');
  expect(init.code).toBe(0);
  const first = /current +(\S+)/.exec(init.out)?.[1];
  expect((await run('init')).err).toMatch(/exists already/);
  const next = await run('next');
  expect(next.out).toMatch(new RegExp(`current +${first}[\\s\\S]*next +\\S+`));
  expect((await run('promote')).out).toMatch(new RegExp(`previous +${first}`));
  const retire = await run('retire');
  expect(retire.code).toBe(1);
  expect(retire.err).toMatch(/retry in \d+ s \(or --force\)/);
  expect((await run('retire', '--force')).out).not.toMatch(/previous/);
  const jwks = JSON.parse((await run('jwks')).out) as { keys: Record<string, unknown>[] };
  expect(jwks.keys).toHaveLength(1);
  expect(jwks.keys[0]).not.toHaveProperty('d');
});

test.each([
  [[], /which step\?/],
  [['rotate'], /unknown step "rotate"/],
  [['status', 'extra'], /unknown step "status extra"/],
  [['next', '--force'], /--force applies to retire only/],
  [['status', '--bogus'], /Unknown option '--bogus'/],
])('usage errors exit 2: %j', async (argv, message) => {
  const result = await run(...argv);
  expect(result.code).toBe(2);
  expect(result.err).toMatch(message);
});
