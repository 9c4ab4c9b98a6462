import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runDevCommand } from '../dev';
import { changedSources, snapshotSources } from '../watch-sources';

describe('watch-sources: what pactum dev sees change', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pactum-watch-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  fs.mkdirSync(path.join(dir, 'src/resolvers'), { recursive: true });
  fs.mkdirSync(path.join(dir, 'src/__tests__'));
  fs.writeFileSync(path.join(dir, 'src/schema.ts'), 'a');
  fs.writeFileSync(path.join(dir, 'package.json'), '{}');

  it('sees a file changed, added or removed under src/', () => {
    const first = snapshotSources(dir);
    expect(changedSources(first, snapshotSources(dir))).toBe(false);
    fs.writeFileSync(path.join(dir, 'src/schema.ts'), 'ab');
    const second = snapshotSources(dir);
    expect(changedSources(first, second)).toBe(true);
    fs.writeFileSync(path.join(dir, 'src/resolvers/r.ts'), 'x');
    const third = snapshotSources(dir);
    expect(changedSources(second, third)).toBe(true);
    fs.rmSync(path.join(dir, 'src/resolvers/r.ts'));
    expect(changedSources(third, snapshotSources(dir))).toBe(true);
  });

  it('ignores tests and files outside src/', () => {
    const before = snapshotSources(dir);
    fs.writeFileSync(path.join(dir, 'src/__tests__/x.test.ts'), 'test');
    fs.writeFileSync(path.join(dir, 'package.json'), '{"a":1}');
    expect(changedSources(before, snapshotSources(dir))).toBe(false);
  });

  it('a workspace without src/ is an empty snapshot, not an error', () => {
    expect(snapshotSources(path.join(dir, 'nowhere')).size).toBe(0);
  });
});

describe('pactum dev: bad usage starts nothing', () => {
  let stderr = '';
  beforeEach(() => {
    stderr = '';
    jest.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => ((stderr += String(chunk)), true));
  });
  afterEach(() => jest.restoreAllMocks());

  it.each([['x'], ['10'], ['99999999'], ['1e3'], ['-5']])('refuses --debounce %s', async (value) => {
    expect(await runDevCommand([`--debounce=${value}`])).toBe(2);
    expect(stderr).toMatch(/--debounce .*: must be a whole number of milliseconds between 50 and 60000/);
  });

  it('refuses an unknown option', async () => {
    expect(await runDevCommand(['--wat'])).toBe(2);
    expect(stderr).toContain('usage: pactum dev');
  });

  it('refuses a broken registry with its message', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pactum-dev-reg-'));
    fs.writeFileSync(path.join(dir, 'subgraphs.yaml'), 'version: 1\nsubgraphs: []\n');
    const before = process.env.PACTUM_SUBGRAPHS_FILE;
    process.env.PACTUM_SUBGRAPHS_FILE = path.join(dir, 'subgraphs.yaml');
    try {
      expect(await runDevCommand([])).toBe(1);
      expect(stderr).toMatch(/^pactum dev: .*subgraphs\.yaml/);
    } finally {
      if (before === undefined) delete process.env.PACTUM_SUBGRAPHS_FILE;
      else process.env.PACTUM_SUBGRAPHS_FILE = before;
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
