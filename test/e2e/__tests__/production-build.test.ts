/**
 * The production build, run as production runs it: `npm run build`, then the registry's subgraphs and
 * `pactum gateway` started from `dist/` with plain `node` (no tsx, no `.ts` file may load) and
 * NODE_ENV=production, a real request through them, the audit trail checked by the built
 * `pactum audit verify`, the built `pactum token` and the installed `pactum` bin, and a clean
 * stop on SIGTERM.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { decodeJwt } from 'jose';
import { prepareTestKeys } from '@pactum/gateway/src/testing';
import { copyPolicies } from '../../src/copy-policies';
import { ask } from '../../src/client';
import { freePort } from '../../src/free-port';
import { buildTree, repoRoot, runBuilt, startBuilt, type BuiltProcess } from '../../src/built-tree';
import { NL_INVESTIGATOR } from '../../src/story-principals';
import { startVariant } from '../../bench/gateway-variants';
import { spawnSync } from 'node:child_process';
import { loadSubgraphRegistry } from '@pactum/schema';

/** Every registered subgraph (subgraphs/subgraphs.yaml), each started from its workspace's dist/. */
const SUBGRAPHS = loadSubgraphRegistry().subgraphs.map((s) => ({ name: s.name, workspace: s.workspace }));

let stateDir: string;
let env: NodeJS.ProcessEnv;
let gatewayUrl: string;
const processes: BuiltProcess[] = [];
let gateway: BuiltProcess;

beforeAll(async () => {
  buildTree();
  stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pactum-built-'));
  const policyDir = copyPolicies(stateDir);
  env = { NODE_ENV: 'production', PACTUM_STATE_DIR: stateDir, PACTUM_POLICY_DIR: policyDir, PACTUM_DATA_DIR: path.join(stateDir, 'data') };
  // The built CLI makes the state folder's keys: the dev identity providers (token) and the gateway's own.
  const token = runBuilt('gateway/dist/cli/pactum.js', ['token', '--agency', 'EUROPOL', '--sub', 'warmup', '--roles', 'analyst', '--clearance', 'SECRET', '--purposes', 'drug-trafficking'], env);
  expect(token.stderr).toBe('');
  expect(token.status).toBe(0);

  const ports = await Promise.all(SUBGRAPHS.map(() => freePort()));
  SUBGRAPHS.forEach(({ name }, i) => {
    env[`PACTUM_${name.toUpperCase()}_URL`] = `http://127.0.0.1:${ports[i]}/graphql`;
  });
  const gatewayPort = await freePort();
  gatewayUrl = `http://127.0.0.1:${gatewayPort}/graphql`;
  // As an operator provisions it: the gateway's key pair exists before the subgraphs start.
  const keys = prepareTestKeys({ stateDir, policyDir });
  const subgraphs = SUBGRAPHS.map(({ name, workspace }, i) =>
    startBuilt(`${workspace}/dist/main.js`, [], {
      ...env,
      [`PACTUM_${name.toUpperCase()}_PORT`]: String(ports[i]),
      PACTUM_GATEWAY_PUBLIC_KEY_FILE: keys.gatewayPublicKeyFile,
    }),
  );
  processes.push(...subgraphs);
  gateway = startBuilt('gateway/dist/cli/pactum.js', ['gateway'], { ...env, PACTUM_GATEWAY_PORT: String(gatewayPort) }, ['--max-old-space-size=192']);
  processes.push(gateway);
  await Promise.all(subgraphs.map((s) => s.waitFor('ready at')));
  // Ready as an orchestrator sees it: /readyz answers 200.
  const deadline = Date.now() + 120_000;
  while (!(await fetch(`http://127.0.0.1:${gatewayPort}/readyz`).then((r) => r.ok, () => false))) {
    if (gateway.child.exitCode !== null || Date.now() > deadline) throw new Error(`the built gateway did not become ready:\n${gateway.output()}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}, 600_000);

afterAll(async () => {
  await Promise.all(processes.map((p) => p.kill()));
  if (stateDir) fs.rmSync(stateDir, { recursive: true, force: true });
});

test('the built gateway answers ContainerDossier from the built subgraphs, and audits it', async () => {
  const tokenRun = runBuilt(
    'gateway/dist/cli/pactum.js',
    ['token', '--agency', NL_INVESTIGATOR.agency, '--sub', NL_INVESTIGATOR.sub, '--roles', (NL_INVESTIGATOR.roles ?? []).join(','), '--clearance', NL_INVESTIGATOR.clearance, '--purposes', (NL_INVESTIGATOR.purposes ?? []).join(','), ...(NL_INVESTIGATOR.cases ? ['--cases', NL_INVESTIGATOR.cases.join(',')] : [])],
    env,
  );
  expect(tokenRun.status).toBe(0);
  const token = tokenRun.stdout.trim();
  expect(decodeJwt(token).sub).toBe(NL_INVESTIGATOR.sub);

  const reply = await ask(gatewayUrl, { token, purpose: 'drug-trafficking', justification: 'dossier review for NL-ONB-2024-0456', operation: 'ContainerDossier', variables: { number: 'MSCU1234566' } });
  expect(reply.status).toBe(200);
  const container = (reply.body.data as { container: { number: string; seizures: unknown[]; investigations: { localId: string }[] } }).container;
  expect(container.number).toBe('MSCU1234566');
  expect(container.seizures.length).toBeGreaterThan(0);
  expect(container.investigations.map((i) => i.localId)).toContain('NL-ONB-2024-0456');
  expect(reply.body.extensions?.auditId).toEqual(expect.any(String));

  // The record went through the SQLite writer thread of the build; the built CLI verifies the chain.
  const verify = runBuilt('gateway/dist/cli/pactum.js', ['audit', 'verify'], env);
  expect(verify.status).toBe(0);
  const query = runBuilt('gateway/dist/cli/pactum.js', ['audit', 'query', '--entity', 'Container:MSCU1234566', '--format', 'jsonl'], env);
  expect(query.status).toBe(0);
  expect(query.stdout).toContain(String(reply.body.extensions?.auditId));
});

test('a request without a token is refused by the built gateway exactly as by the sources', async () => {
  const reply = await ask(gatewayUrl, { purpose: 'drug-trafficking', operation: 'ContainerDossier', variables: { number: 'MSCU1234566' } });
  expect(reply.status).toBe(401);
  expect(reply.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  expect(reply.body.data ?? null).toBeNull();
});

test("the bench's Pactum variants start this build with plain node (`npm run bench -- --pactum-from build`)", async () => {
  const benchDir = fs.mkdtempSync(path.join(stateDir, 'bench-'));
  const variant = await startVariant('pactum', { subgraphUrls: {}, stateDir: benchDir, workDir: benchDir, pactumFrom: 'build' });
  try {
    const commandLine = fs.readFileSync(`/proc/${variant.service.pid}/cmdline`, 'utf8').split('\0');
    expect(commandLine).toContain(path.join(repoRoot, 'gateway/dist/cli/pactum.js'));
    expect(commandLine).not.toContain('tsx');
    const res = await fetch(variant.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":"{ __typename }"}' });
    expect(res.status).toBe(401);
  } finally {
    await variant.service.stop();
  }
}, 120_000);

test('a built subgraph refuses a direct call without the gateway context token', async () => {
  const res = await fetch(String(env.PACTUM_POLICE_URL), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ _service { sdl } }' }) });
  expect(res.status).toBe(401);
});

test('the installed `pactum` bin runs the build in production, and says so when there is none', () => {
  const bin = runBuilt('node_modules/.bin/pactum', ['token', '--agency', 'NL-CUSTOMS', '--sub', 'a.bakker', '--roles', 'customs-officer', '--clearance', 'CONFIDENTIAL', '--purposes', 'drug-trafficking'], env);
  expect(bin.stderr).toBe('');
  expect(bin.status).toBe(0);
  expect(decodeJwt(bin.stdout.trim()).sub).toBe('a.bakker');
  // Outside production the bin runs the sources (through tsx), which the guard of these tests refuses:
  // proof that the runs above did not load them.
  const dev = runBuilt('node_modules/.bin/pactum', ['token', '--agency', 'NL-CUSTOMS', '--sub', 'a.bakker', '--clearance', 'CONFIDENTIAL'], { ...env, NODE_ENV: 'development' });
  expect(dev.status).not.toBe(0);
  expect(dev.stderr).toMatch(/built process tried to load .*src\/cli\/pactum\.ts/);
  // A copy of the bin beside no build: a clear message, exit 1 — never a fall-back to the sources.
  const lonely = fs.mkdtempSync(path.join(os.tmpdir(), 'pactum-nobuild-'));
  fs.mkdirSync(path.join(lonely, 'bin'));
  fs.copyFileSync(path.join(repoRoot, 'gateway/bin/pactum.js'), path.join(lonely, 'bin/pactum.js'));
  const missing = runBuilt(path.relative(repoRoot, path.join(lonely, 'bin/pactum.js')), ['token'], env);
  expect(missing.status).toBe(1);
  expect(missing.stderr).toMatch(/dist\/cli\/pactum\.js does not exist; run `npm run build` first/);
  fs.rmSync(lonely, { recursive: true, force: true });
});

test('in a development checkout the bin runs the current sources through tsx (`npx pactum token` used to crash)', () => {
  const run = spawnSync(path.join(repoRoot, 'node_modules/.bin/pactum'), ['token', '--agency', 'NL-CUSTOMS', '--sub', 'a.bakker', '--clearance', 'CONFIDENTIAL', '--purposes', 'drug-trafficking'], {
    cwd: os.tmpdir(),
    env: { ...process.env, ...env, NODE_ENV: 'development', NODE_OPTIONS: '' },
    encoding: 'utf8',
  });
  expect(run.stderr).toBe('');
  expect(run.status).toBe(0);
  expect(decodeJwt(run.stdout.trim()).sub).toBe('a.bakker');
});

test('SIGTERM stops the built gateway and subgraphs with exit code 0', async () => {
  for (const p of processes) p.child.kill('SIGTERM');
  const ends = await Promise.all(processes.map((p) => p.exited));
  expect(ends).toEqual(processes.map(() => ({ code: 0, signal: null })));
});
