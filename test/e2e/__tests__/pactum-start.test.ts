/**
 * `npm start` as a newcomer runs it: separate processes, a ready banner with a request that
 * works as printed, a clean stop on SIGTERM, no orphans when the supervisor is killed, and a
 * clear message when a port is taken.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { copyPolicies } from '../../src/copy-policies';
import { freePort } from '../../src/free-port';

const repoRoot = path.resolve(__dirname, '../../..');
const SERVICES = ['GATEWAY', 'POLICE', 'CUSTOMS', 'EUROJUST', 'EUROPOL'] as const;


function portInUse(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

interface Started {
  child: ChildProcess;
  ports: Record<(typeof SERVICES)[number], number>;
  output: () => string;
  exited: Promise<number | null>;
  stateDir: string;
}

async function start(fixed: Partial<Started['ports']> = {}): Promise<Started> {
  const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pactum-start-'));
  const policyDir = copyPolicies(stateDir);
  const ports = Object.fromEntries(await Promise.all(SERVICES.map(async (s) => [s, fixed[s] ?? (await freePort())]))) as Started['ports'];
  // As a newcomer sees it: the default log level, whatever the test run set.
  const env: NodeJS.ProcessEnv = { ...process.env, PACTUM_STATE_DIR: stateDir, PACTUM_POLICY_DIR: policyDir, PACTUM_LOG_LEVEL: 'info' };
  for (const s of SERVICES) env[`PACTUM_${s}_PORT`] = String(ports[s]);
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'gateway/src/cli/pactum.ts'), 'start'], {
    cwd: repoRoot,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  return { child, ports, output: () => out, exited, stateDir };
}

async function waitFor(started: Started, text: string, timeoutMs = 150_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!started.output().includes(text)) {
    if (started.child.exitCode !== null) throw new Error(`exited before "${text}":\n${started.output()}`);
    if (Date.now() > deadline) throw new Error(`no "${text}" after ${timeoutMs} ms:\n${started.output()}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function allPortsFree(ports: Started['ports'], timeoutMs = 20_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const used = await Promise.all(Object.values(ports).map(portInUse));
    if (!used.some(Boolean)) return true;
    await new Promise((r) => setTimeout(r, 200));
  }
  return false;
}

/** The pids of a process's children (Linux: every thread's `children` list). */
function childPids(pid: number): number[] {
  return fs.readdirSync(`/proc/${pid}/task`).flatMap((tid) => fs.readFileSync(`/proc/${pid}/task/${tid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number));
}

/** Runs the request the banner prints, as printed (headers and body taken from the curl lines). */
async function runBannerRequest(banner: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const url = /curl -s (\S+)/.exec(banner)?.[1];
  const headers = Object.fromEntries([...banner.matchAll(/-H '([^:]+): ([^']*)'/g)].map((m) => [m[1] as string, m[2] as string]));
  const body = /-d '(\{.*\})'/.exec(banner)?.[1];
  if (!url || !body) throw new Error(`no request in the banner:\n${banner}`);
  const res = await fetch(url, { method: 'POST', headers, body });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

test('starts everything, answers the printed request, and stops cleanly on SIGTERM', async () => {
  const started = await start();
  try {
    await waitFor(started, 'Ctrl-C stops everything.');
    const banner = started.output();
    expect(banner).toContain(`gateway    http://localhost:${started.ports.GATEWAY}/graphql`);
    // Development: GraphiQL at / (test/e2e/__tests__/graphiql-browser.test.ts drives it in Chromium).
    expect(banner).toContain(`GraphiQL   http://localhost:${started.ports.GATEWAY}/ (development tokens from the page)`);
    const page = await fetch(`http://127.0.0.1:${started.ports.GATEWAY}/`);
    expect({ status: page.status, type: page.headers.get('content-type') }).toEqual({ status: 200, type: 'text/html; charset=utf-8' });
    const reply = await runBannerRequest(banner);
    expect(reply.status).toBe(200);
    const data = reply.body.data as { container: { number: string; seizures: unknown[]; investigations: unknown[] } };
    expect(data.container.number).toBe('MSCU1234566');
    expect(data.container.investigations.length).toBeGreaterThan(0);
    expect(typeof (reply.body.extensions as { auditId?: unknown }).auditId).toBe('string');
    // The gateway process runs with the environment production gives it (gateway-process.ts).
    const gatewayPid = childPids(started.child.pid ?? 0).find((pid) => /pactum\.ts\0gateway/.test(fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8')));
    expect(fs.readFileSync(`/proc/${gatewayPid}/environ`, 'utf8').split('\0')).toContain('MALLOC_ARENA_MAX=2');

    // A subgraph port answers no one but the gateway.
    const direct = await fetch(`http://127.0.0.1:${started.ports.POLICE}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ _service { sdl } }' }),
    });
    expect(direct.status).toBe(401);

    started.child.kill('SIGTERM');
    expect(await started.exited).toBe(0);
    expect(started.output()).toContain('all stopped');
    // The gateway drained first, while the subgraphs its requests need were still up.
    const out = started.output();
    expect(out).toMatch(/\[gateway\] +drained: \d+ request\(s\) finished/);
    for (const name of ['police', 'customs', 'eurojust', 'europol']) {
      const stoppedAt = out.search(new RegExp(`\\[${name}\\] +subgraph ${name} stopped`));
      expect(stoppedAt).toBeGreaterThan(out.indexOf('[gateway]   gateway stopped'));
    }
    // Each of the five stopped on its own: the supervisor's SIGKILL fallback never fired.
    expect(started.output()).not.toContain('did not stop within');
    expect(await allPortsFree(started.ports)).toBe(true);
    // Every subgraph closed its store: no WAL file left behind.
    const dataDir = path.join(started.stateDir, 'data');
    expect(fs.readdirSync(dataDir).filter((f) => f.endsWith('-wal'))).toEqual([]);
  } finally {
    if (started.child.exitCode === null) started.child.kill('SIGKILL');
    fs.rmSync(started.stateDir, { recursive: true, force: true });
  }
}, 200_000);

test('a killed supervisor leaves no orphan process behind', async () => {
  const started = await start();
  try {
    await waitFor(started, 'Ctrl-C stops everything.');
    started.child.kill('SIGKILL');
    await started.exited;
    expect(await allPortsFree(started.ports)).toBe(true);
  } finally {
    fs.rmSync(started.stateDir, { recursive: true, force: true });
  }
}, 200_000);

test('a port already taken gets a clear message, not a stack trace', async () => {
  // The other ports are picked free but only bound later, so a test running beside this one can
  // take one of them meanwhile; pactum start then rightly names that one. Such a round says
  // nothing about the gateway's port: it is tried again, at most three times.
  for (let attempt = 1; ; attempt++) {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const started = await start({ GATEWAY: (blocker.address() as net.AddressInfo).port });
    try {
      expect(await started.exited).toBe(1);
      const output = started.output();
      const named = /port (\d+) is already in use \(needed by (\w+)\)/.exec(output);
      if (named && named[2] !== 'gateway' && attempt < 3) continue;
      expect(output).toContain(`port ${started.ports.GATEWAY} is already in use (needed by gateway); stop what holds it or set PACTUM_GATEWAY_PORT=<another port>`);
      expect(output).not.toMatch(/\n\s+at /);
      return;
    } finally {
      await new Promise((r) => blocker.close(r));
      fs.rmSync(started.stateDir, { recursive: true, force: true });
    }
  }
}, 120_000);
