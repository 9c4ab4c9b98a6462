/**
 * No audit, no data — when the SQLite trail's files are tampered with under a running
 * gateway. Each of the three files (database, `-wal`, `-shm`) is removed, replaced by
 * another file, made unwritable (immutable: stops root too) and corrupted (header
 * overwritten; `-shm` truncated). Throughout: 503 AUDIT_UNAVAILABLE with no `data`, the
 * gateway process alive (it runs as a child, so a SIGBUS from the memory-mapped WAL index
 * would show as its signal exit), `/readyz` 503 naming the audit fault; once the very same
 * file is back, 200 again. Every answer that carried data has its record, no refused one
 * has, and `pactum audit verify` passes on the chain across all the outages.
 */
import path from 'node:path';
import { openAuditTrail } from '@pactum/gateway/src/audit';
import { applyTrailFault, clearImmutable, TRAIL_FAULT_MOVES, TRAIL_FILE_KEYS } from '@pactum/gateway/src/audit/__tests__/support/trail-faults';
import { ask, type GraphQLReply } from '../../src/client';
import { startGatewayProcess, type GatewayProcess } from '../../src/gateway-process';
import { runAuditCli } from '../../src/run-audit-cli';
import { startFleet, type Fleet } from '../../src/stack';
import { NL_CUSTOMS_OFFICER } from '../../src/story-principals';

let fleet: Fleet;
let gateway: GatewayProcess;
let token: string;
let trailFile: string;
const released: string[] = [];
const refused: string[] = [];

beforeAll(async () => {
  fleet = await startFleet();
  trailFile = path.join(fleet.stateDir, 'audit', 'audit.sqlite');
  gateway = await startGatewayProcess(fleet, { PACTUM_AUDIT_FILE: trailFile });
  token = await fleet.keys.token(NL_CUSTOMS_OFFICER);
}, 150_000);
afterAll(async () => {
  await gateway?.kill();
  if (trailFile) clearImmutable(trailFile);
  await fleet?.stop();
});

async function dossier(): Promise<GraphQLReply> {
  const reply = await ask(`${gateway.baseUrl}/graphql`, { token, purpose: 'drug-trafficking', operation: 'ContainerDossier', variables: { number: 'MSCU1234566' } });
  const id = reply.body.extensions?.auditId;
  if (typeof id === 'string') (reply.status === 200 ? released : refused).push(id);
  return reply;
}

/** `/readyz` until its status is `status` (its results are reused for a second). */
async function readyz(status: number): Promise<{ status: number; body: { checks?: Record<string, string> } }> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const res = await fetch(`${gateway.baseUrl}/readyz`);
    const body = (await res.json()) as { checks?: Record<string, string> };
    if (res.status === status || Date.now() > deadline) return { status: res.status, body };
    await new Promise((r) => setTimeout(r, 200));
  }
}

function expectAlive(): void {
  expect({ ended: gateway.ended() }).toEqual({ ended: null });
}

const cases = TRAIL_FILE_KEYS.flatMap((key) => TRAIL_FAULT_MOVES.map((move) => [key, move] as const));

test.each(cases)('%s file %s: 503 AUDIT_UNAVAILABLE and no data, process alive, /readyz names it; 200 once the file is back', async (key, move) => {
  const before = await dossier();
  expect(before.status).toBe(200);
  expect(before.body.data).toBeTruthy();

  const undo = applyTrailFault(trailFile, key, move);
  try {
    for (let i = 0; i < 3; i++) {
      const reply = await dossier();
      expect(reply.status).toBe(503);
      expect(reply.body).not.toHaveProperty('data');
      expect(reply.body.errors?.map((e) => e.extensions?.code)).toEqual(['AUDIT_UNAVAILABLE']);
    }
    expectAlive();
    const kind = key === 'shm' && move === 'corrupted' ? 'truncated' : move;
    const notReady = await readyz(503);
    expect(notReady.status).toBe(503);
    expect(notReady.body.checks?.audit).toBe(`down: trail ${key} file ${kind}`);
    expectAlive();
  } finally {
    undo();
  }

  expect((await readyz(200)).status).toBe(200);
  const after = await dossier();
  expect(after.status).toBe(200);
  expect(after.body.data).toBeTruthy();
  expectAlive();
}, 60_000);

test('across all the outages: every answer with data has its record, no refused one has, and the chain verifies', async () => {
  expect(released.length).toBe(cases.length * 2);
  expect(refused.length).toBe(cases.length * 3);
  const trail = await openAuditTrail({ file: trailFile, replicaId: 'e2e-reader' });
  try {
    const stored = new Set<string>();
    for await (const record of trail.query({})) stored.add(record.id);
    expect(released.filter((id) => !stored.has(id))).toEqual([]);
    expect(refused.filter((id) => stored.has(id))).toEqual([]);
  } finally {
    await trail.close();
  }
  const verify = await runAuditCli(['verify', '--file', trailFile]);
  expect(verify).toMatchObject({ code: 0 });
  expectAlive();
}, 60_000);
