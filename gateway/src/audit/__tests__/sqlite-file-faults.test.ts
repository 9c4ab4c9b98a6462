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
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { TRAIL_FAULT_MOVES, TRAIL_FILE_KEYS, type TrailFaultMove, type TrailFileKey } from './support/trail-faults';

const CHILD = path.join(__dirname, 'fixtures', 'trail-under-fault.ts');

/** What the store reports for each fault done (a truncated `-shm` is its corruption). */
function expectedKind(key: TrailFileKey, move: TrailFaultMove): string {
  return key === 'shm' && move === 'corrupted' ? 'truncated' : move;
}

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'pactum-audit-faults-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const cases = TRAIL_FILE_KEYS.flatMap((key) => TRAIL_FAULT_MOVES.map((move) => [key, move] as const));

test.each(cases)('%s file %s: 503 with the fault named, no crash, and the chain resumes when the file is back', async (key, move) => {
  const result = await new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>((resolve) => {
    const child = execFile(process.execPath, ['--import', 'tsx', CHILD, path.join(dir, 'audit.sqlite'), key, move], { cwd: path.resolve(__dirname, '../../../..'), timeout: 60_000 }, (_e, stdout, stderr) =>
      resolve({ code: child.exitCode, signal: child.signalCode, stdout, stderr }),
    );
  });
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
