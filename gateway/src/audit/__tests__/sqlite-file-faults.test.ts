/**
 * The SQLite trail under file faults: each of its three files (database, `-wal`, `-shm`)
 * removed, replaced by another file, made unwritable (immutable, which stops root too) and
 * corrupted (header overwritten; `-shm` truncated). Each case runs in a child process, since
 * the failure this guards against — touching an unwritable or truncated memory-mapped WAL
 * index — is a SIGBUS that would take a Jest worker down: here it shows as a signal exit.
 * Throughout the fault: appends and reads fail with AUDIT_UNAVAILABLE and a reason naming
 * the fault, the health check names it; once the very same file is back, service resumes
 * on the same chain and it verifies.
 */
import { execFile } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { releasedEvent } from './support/events';
import { createHarness } from './support/store-harness';
import { clearImmutable, TRAIL_FAULT_MOVES, TRAIL_FILE_KEYS, type TrailFaultMove, type TrailFileKey } from './support/trail-faults';

const CHILD = path.join(__dirname, 'fixtures', 'trail-under-fault.ts');
const OPEN_CHILD = path.join(__dirname, 'fixtures', 'open-with-unwritable-shm.ts');

interface ChildResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

function runChild(args: readonly string[]): Promise<ChildResult> {
  return new Promise((resolve) => {
    const child = execFile(process.execPath, ['--import', 'tsx', ...args], { cwd: path.resolve(__dirname, '../../../..'), timeout: 60_000 }, (_e, stdout, stderr) =>
      resolve({ code: child.exitCode, signal: child.signalCode, stdout, stderr }),
    );
  });
}

/** What the store reports for each fault done (a truncated `-shm` is its corruption). */
function expectedKind(key: TrailFileKey, move: TrailFaultMove): string {
  return key === 'shm' && move === 'corrupted' ? 'truncated' : move;
}

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'pactum-audit-faults-'));
});
afterEach(() => {
  clearImmutable(path.join(dir, 'audit.sqlite'));
  rmSync(dir, { recursive: true, force: true });
});

const cases = TRAIL_FILE_KEYS.flatMap((key) => TRAIL_FAULT_MOVES.map((move) => [key, move] as const));

test.each(cases)('%s file %s: 503 with the fault named, no crash, and the chain resumes when the file is back', async (key, move) => {
  const result = await runChild([CHILD, path.join(dir, 'audit.sqlite'), key, move]);
  expect({ signal: result.signal, code: result.code, stderr: result.code === 0 ? '' : result.stderr }).toEqual({ signal: null, code: 0, stderr: '' });
  const kind = expectedKind(key, move);
  const refused = { ok: false, code: 'AUDIT_UNAVAILABLE', reason: `trail_${kind}`, message: expect.stringContaining(`audit trail ${key} file ${kind}`) };
  expect(JSON.parse(result.stdout)).toEqual({
    before: 1,
    during: { append: refused, secondAppend: refused, read: refused, problem: `trail ${key} file ${kind}` },
    problemAfter: null,
    after: 2,
    verify: { ok: true, checked: 2 },
  });
}, 90_000);

test('opening a trail whose -shm another connection left behind is unwritable: refused with trail_unwritable before SQLite maps it; closing the other during the fault: no crash', async () => {
  const result = await runChild([OPEN_CHILD, path.join(dir, 'audit.sqlite')]);
  expect({ signal: result.signal, code: result.code, stderr: result.code === 0 ? '' : result.stderr }).toEqual({ signal: null, code: 0, stderr: '' });
  expect(JSON.parse(result.stdout)).toEqual({ opened: false, code: 'AUDIT_UNAVAILABLE', reason: 'trail_unwritable', closed: true });
}, 90_000);

test('a damaged page inside the database (SQLITE_CORRUPT on the next read): 503 trail_corrupted, the health check reads the file before it says ok, resumes once repaired', async () => {
  const h = await createHarness('sqlite');
  const file = String(h.config.file);
  const trail = await h.open();
  try {
    await trail.append(releasedEvent(1));
    // Make the writer read from disk on its next batch: a foreign write lock fails one batch,
    // and a failed batch closes the writer's connection (its page cache goes with it).
    const outage = await h.outage();
    await outage.down();
    await expect(trail.append(releasedEvent(2))).rejects.toMatchObject({ reason: 'store_unavailable' });
    await outage.up();
    // Every page in the database file itself (nothing newer left in the WAL), then the
    // head table's root page gets an impossible page type: no header check can see it.
    await h.sql('PRAGMA wal_checkpoint(FULL)');
    const [root] = await h.sql("SELECT rootpage FROM sqlite_master WHERE name = 'audit_head'");
    const offset = (Number(root?.rootpage) - 1) * 4096;
    const fd = openSync(file, 'r+');
    const original = Buffer.alloc(1);
    try {
      readSync(fd, original, 0, 1, offset);
      writeSync(fd, Buffer.from([0xff]), 0, 1, offset);
      await expect(trail.append(releasedEvent(3))).rejects.toMatchObject({ code: 'AUDIT_UNAVAILABLE', reason: 'trail_corrupted' });
      expect(await trail.healthProblem()).toBe('trail database file corrupted');
    } finally {
      writeSync(fd, original, 0, 1, offset);
      closeSync(fd);
    }
    expect(await trail.healthProblem()).toBeNull();
    expect((await trail.append(releasedEvent(4))).seq).toBe(2);
    await expect(trail.verify()).resolves.toMatchObject({ ok: true, checked: 2 });
  } finally {
    await trail.close();
    await h.cleanup();
  }
});
