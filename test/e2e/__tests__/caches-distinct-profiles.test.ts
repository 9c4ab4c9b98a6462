/**
 * Caches bounded in bytes, not entries: 6 000 distinct access profiles (one case set each, so
 * 6 000 profile keys, rewrites, verified tokens and context tokens) go through a gateway run as
 * production runs it — a child process with the default heap ceiling (`PACTUM_GATEWAY_HEAP_MB`,
 * 192 MiB) and the default configuration — asking the heaviest trusted operation
 * (ContainerDossier: a rewrite weighs ~110 kB, so the old 2 000-entry rewrite cache alone could
 * reach ~220 MB). It keeps answering every request, its heap stays under a stated bound, and it
 * still answers a real dossier afterwards. 6 000 rewrites kept by count would be ~660 MB, well
 * past the 240 MiB heap ceiling, so this many already shows the bound is in bytes; more only adds
 * minutes (`PACTUM_CACHE_TEST_PROFILES=20000` for a longer run).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { SignJWT } from 'jose';
import { loadOperations } from '@pactum/schema';
import { ensureDevIdentityProviders, loadTrustRegistry } from '@pactum/gateway/src/auth';
import { gatewayNodeArgs } from '@pactum/gateway/src/config/gateway-process';
import { startFleet, type Fleet } from '../../src/stack';
import { freePort } from '../../src/free-port';

const repoRoot = path.resolve(__dirname, '../../..');
const PROFILES = Number(process.env.PACTUM_CACHE_TEST_PROFILES ?? 6_000);
const CONCURRENCY = 8;
/**
 * Heap used (live objects and garbage not yet collected) never above this: caches together may
 * hold 40 % of the 240 MiB `heap_size_limit` (96 MiB), the gateway's own state after start-up is
 * ~60 MiB, and the rest is requests in flight and garbage between collections. Measured peak:
 * see the test's output line.
 */
const HEAP_BOUND_BYTES = 200 * 2 ** 20;

let fleet: Fleet;
let gateway: ChildProcess;
let url: string;
let metricsUrl: string;
let output = '';

beforeAll(async () => {
  fleet = await startFleet();
  const port = await freePort();
  gateway = spawn(process.execPath, [...gatewayNodeArgs({}), '--import', 'tsx', path.join(repoRoot, 'gateway/src/cli/pactum.ts'), 'gateway'], {
    cwd: repoRoot,
    // The agency's rate limit off: 6 000 requests of one agency in a minute or two are past its
    // default budget (6000/min), and what is measured here is the caches, not the limits.
    env: { ...process.env, ...fleet.gatewayEnv, PACTUM_GATEWAY_PORT: String(port), PACTUM_GATEWAY_HEAP_MB: '', PACTUM_RATE_LIMIT_AGENCY: 'off' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  gateway.stdout?.on('data', (d: Buffer) => (output = (output + d.toString()).slice(-4000)));
  gateway.stderr?.on('data', (d: Buffer) => (output = (output + d.toString()).slice(-4000)));
  url = `http://127.0.0.1:${port}/graphql`;
  metricsUrl = `http://127.0.0.1:${port}/metrics`;
  const deadline = Date.now() + 90_000;
  for (;;) {
    const ready = await fetch(`http://127.0.0.1:${port}/readyz`).then((r) => r.ok, () => false);
    if (ready) break;
    if (gateway.exitCode !== null || Date.now() > deadline) throw new Error(`gateway did not become ready:\n${output}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}, 120_000);

afterAll(async () => {
  // Died of a signal (an out-of-heap abort), exitCode stays null: signalCode says it is gone.
  if (gateway && gateway.exitCode === null && gateway.signalCode === null) {
    const exited = new Promise((r) => gateway.once('exit', r));
    gateway.kill('SIGTERM');
    // A gateway thrashing at its heap ceiling may not get to its drain: then it is killed.
    const timer = setTimeout(() => gateway.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  }
  await fleet?.stop();
});

async function heapUsed(): Promise<number> {
  const text = await (await fetch(metricsUrl)).text();
  const m = /^pactum_nodejs_heap_size_used_bytes (\d+(?:\.\d+)?(?:e\+\d+)?)$/m.exec(text);
  if (!m) throw new Error('no heap metric');
  return Number(m[1]);
}

test(`${PROFILES} distinct profiles through a default gateway: every request answered, heap bounded`, async () => {
  // Tokens signed here with the stack's development identity provider: the gateway verifies
  // them like any other (and caches what it verified, which is part of what is bounded).
  const registry = loadTrustRegistry(path.join(fleet.policyDir, 'agencies.yaml'));
  const idp = ensureDevIdentityProviders({ registry, dir: path.join(fleet.stateDir, 'dev-idp') }).get('NL-POLICE');
  if (!idp) throw new Error('no NL-POLICE development identity provider');
  const iat = Math.floor(Date.now() / 1000);
  const token = (i: number): Promise<string> =>
    new SignJWT({ agency: 'NL-POLICE', roles: ['investigator'], clearance: 'CONFIDENTIAL', purposes: ['drug-trafficking'], cases: ['NL-ONB-2024-0456', `NL-LOAD-${i}`] })
      .setProtectedHeader({ alg: idp.alg, kid: idp.kid, typ: 'JWT' })
      .setIssuer(idp.agency.identityProvider.issuer)
      .setAudience(idp.agency.identityProvider.audience[0] ?? 'pactum')
      .setSubject(`load.${i}`)
      .setIssuedAt(iat)
      .setExpirationTime(iat + 3600)
      .sign(idp.privateKey);
  const query = loadOperations().ContainerDossier;
  // A well-formed number no agency holds: the rewrite and the plan are the full dossier's, the
  // execution one subgraph call answering null, so the test's time goes to profiles, not data.
  const body = JSON.stringify({ query, operationName: 'ContainerDossier', variables: { number: 'ZZZU9999992' } });

  const started = Date.now();
  const failures: string[] = [];
  let peak = 0;
  let next = 0;
  let done = 0;
  const worker = async (): Promise<void> => {
    while (next < PROFILES && failures.length < 5) {
      const i = next++;
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${await token(i)}`, 'x-purpose': 'drug-trafficking' },
        body,
      }).catch((err: Error) => ({ status: 0, json: async () => ({ error: err.message }) }));
      const reply = (await res.json()) as { data?: { container?: unknown }; errors?: unknown };
      if (res.status !== 200 || reply.data?.container !== null || reply.errors !== undefined) failures.push(`#${i}: ${res.status} ${JSON.stringify(reply).slice(0, 300)}`);
      done += 1;
      if (done % 1000 === 0) {
        const used = await heapUsed().catch(() => undefined);
        if (used === undefined) failures.push(`gateway unreachable after ${done} requests:\n${output}`);
        else peak = Math.max(peak, used);
      }
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const last = await heapUsed().catch(() => undefined);
  if (last === undefined) failures.push(`gateway unreachable at the end:\n${output}`);
  else peak = Math.max(peak, last);
  const seconds = (Date.now() - started) / 1000;
  process.stdout.write(`${done} distinct profiles in ${seconds.toFixed(1)} s; heap used peak ${(peak / 2 ** 20).toFixed(1)} MiB (bound ${HEAP_BOUND_BYTES / 2 ** 20} MiB)\n`);

  expect(failures).toEqual([]);
  expect([gateway.exitCode, gateway.signalCode]).toEqual([null, null]);
  expect(done).toBe(PROFILES);
  expect(peak).toBeLessThan(HEAP_BOUND_BYTES);

  const dossier = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${await token(0)}`, 'x-purpose': 'drug-trafficking' },
    body: JSON.stringify({ query, operationName: 'ContainerDossier', variables: { number: 'MSCU1234566' } }),
  });
  expect(dossier.status).toBe(200);
  expect(((await dossier.json()) as { data?: { container?: { number?: string } } }).data?.container?.number).toBe('MSCU1234566');
}, 180_000);
