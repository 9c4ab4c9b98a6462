/**
 * `pactum dev`, end to end, as an integrator uses it: real processes on free ports over a
 * temporary copy of the repository whose maoc subgraph is a copy we may edit (the repository's
 * own sources are never touched). A field added to the schema and its resolver answers through
 * the gateway without the gateway restarting (same process id); a schema that does not compose is
 * refused and the old field keeps answering; the fix is picked up.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { loadSubgraphRegistry } from '@pactum/schema';
import { ask, type GraphQLReply } from '../../src/client';
import { copyPolicies } from '../../src/copy-policies';
import { freePort } from '../../src/free-port';

const run = promisify(execFile);
const REPO = path.resolve(__dirname, '../../..');
const PACTUM = path.join(REPO, 'gateway/src/cli/pactum.ts');

/** A repository copy: registry, policies and supergraph copied, maoc copied (sources only), the rest linked. */
function tempRepo(): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'pactum-dev-'));
  fs.copyFileSync(path.join(REPO, 'tsconfig.base.json'), path.join(root, 'tsconfig.base.json'));
  fs.symlinkSync(path.join(REPO, 'node_modules'), path.join(root, 'node_modules'));
  fs.mkdirSync(path.join(root, 'subgraphs'));
  for (const d of fs.readdirSync(path.join(REPO, 'subgraphs'), { withFileTypes: true })) {
    if (!d.isDirectory() || d.name === 'maoc') continue;
    fs.symlinkSync(path.join(REPO, 'subgraphs', d.name), path.join(root, 'subgraphs', d.name));
  }
  const maoc = path.join(root, 'subgraphs/maoc');
  fs.mkdirSync(maoc);
  for (const f of ['package.json', 'tsconfig.json']) fs.copyFileSync(path.join(REPO, 'subgraphs/maoc', f), path.join(maoc, f));
  fs.cpSync(path.join(REPO, 'subgraphs/maoc/src'), path.join(maoc, 'src'), { recursive: true });
  fs.copyFileSync(path.join(REPO, 'subgraphs/subgraphs.yaml'), path.join(root, 'subgraphs/subgraphs.yaml'));
  return root;
}

/** The process listening on a loopback port (Linux `ss`). */
async function listeningPid(port: number): Promise<number> {
  const { stdout } = await run('ss', ['-Hltnp', `sport = :${port}`]);
  const pid = /pid=(\d+)/.exec(stdout)?.[1];
  if (!pid) throw new Error(`nothing listens on port ${port}:\n${stdout}`);
  return Number(pid);
}

const root = tempRepo();
const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pactum-dev-state-'));
const schemaFile = path.join(root, 'subgraphs/maoc/src/schema.ts');
const resolversFile = path.join(root, 'subgraphs/maoc/src/resolvers/maoc-resolvers.ts');
let child: ChildProcess | undefined;
let out = '';
let gatewayPort = 0;
let token = '';

async function waitFor(text: string | RegExp, from: number, timeoutMs = 150_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const seen = (): boolean => (typeof text === 'string' ? out.slice(from).includes(text) : text.test(out.slice(from)));
  while (!seen()) {
    if (child?.exitCode !== null) throw new Error(`pactum dev exited before "${text}":\n${out}`);
    if (Date.now() > deadline) throw new Error(`no "${text}" after ${timeoutMs} ms:\n${out.slice(from)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

const query = (fields: string): Promise<GraphQLReply> =>
  ask(`http://127.0.0.1:${gatewayPort}/graphql`, { token, purpose: 'drug-trafficking', query: `query Dev { interdiction(id: "MAOC-INT-2024-0011") { ${fields} } }` });

/**
 * The first query after a restart of maoc: in one loaded full-suite run the call right after the
 * swap found maoc unavailable once (not reproduced alone, cause not found); a subgraph that is
 * restarting may be unavailable for a moment in the dev loop, so that answer is asked again for up
 * to 5 s. Anything else is returned at once.
 */
async function queryAfterRestart(fields: string): Promise<GraphQLReply> {
  const deadline = Date.now() + 5000;
  for (;;) {
    const reply = await query(fields);
    const unavailable = reply.body.errors?.some((e) => e.extensions?.code === 'SUBGRAPH_UNAVAILABLE') ?? false;
    if (!unavailable || Date.now() > deadline) return reply;
    await new Promise((r) => setTimeout(r, 250));
  }
}

beforeAll(async () => {
  const policyDir = copyPolicies(stateDir);
  const env: NodeJS.ProcessEnv = { ...process.env, PACTUM_STATE_DIR: stateDir, PACTUM_POLICY_DIR: policyDir, PACTUM_SUBGRAPHS_FILE: path.join(root, 'subgraphs/subgraphs.yaml'), PACTUM_LOG_LEVEL: 'info' };
  gatewayPort = await freePort();
  env.PACTUM_GATEWAY_PORT = String(gatewayPort);
  for (const s of loadSubgraphRegistry(env.PACTUM_SUBGRAPHS_FILE).subgraphs) env[`PACTUM_${s.name.toUpperCase()}_PORT`] = String(await freePort());
  child = spawn(process.execPath, ['--import', 'tsx', PACTUM, 'dev', '--debounce', '200'], { cwd: REPO, env, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  await waitFor(/\[dev\] +watching subgraphs\//, 0);
  const issued = await run(process.execPath, ['--import', 'tsx', PACTUM, 'token', '--agency', 'MAOC-N', '--sub', 'a.silva', '--roles', 'analyst', '--clearance', 'SECRET', '--purposes', 'drug-trafficking', '--policies', policyDir, '--keys', path.join(stateDir, 'dev-idp')], { cwd: REPO, env });
  token = issued.stdout.trim();
}, 200_000);

afterAll(async () => {
  if (child && child.exitCode === null) {
    const exited = new Promise((r) => child?.once('exit', r));
    child.kill('SIGTERM');
    await exited;
  }
  fs.rmSync(root, { recursive: true, force: true });
  fs.rmSync(stateDir, { recursive: true, force: true });
}, 60_000);

test('writes its supergraph to the state folder, never the committed one', () => {
  const committed = fs.readFileSync(path.join(REPO, 'schema/supergraph.graphql'), 'utf8');
  expect(fs.readFileSync(path.join(stateDir, 'dev/supergraph.graphql'), 'utf8')).toBe(committed);
});

test('a new field answers without a gateway restart; a broken schema or one the policy refuses changes nothing and the old field keeps answering; the fix is picked up', async () => {
  const before = await query('id seaArea');
  expect(before.body.errors).toBeUndefined();
  expect(before.body.data).toEqual({ interdiction: { id: 'MAOC-INT-2024-0011', seaArea: expect.any(String) } });
  const unknown = await query('id devNote');
  expect(unknown.body.errors?.length).toBeGreaterThan(0);
  const gatewayPid = await listeningPid(gatewayPort);

  // 1. Add a field and its resolver (two files, one burst: one round of the loop).
  let mark = out.length;
  fs.writeFileSync(schemaFile, fs.readFileSync(schemaFile, 'utf8').replace('    seaArea: String\n', '    seaArea: String\n    "Added in the dev loop."\n    devNote: String\n'));
  fs.writeFileSync(resolversFile, fs.readFileSync(resolversFile, 'utf8').replace('    seaArea: (r: InterdictionRow) => r.sea_area,\n', "    seaArea: (r: InterdictionRow) => r.sea_area,\n    devNote: (r: InterdictionRow) => `note on ${r.id}`,\n"));
  await waitFor('maoc restarted', mark);
  await waitFor('supergraph recomposed and written', mark);
  await waitFor(/supergraph [0-9a-f]{16} in force/, mark);
  expect(out.slice(mark).match(/maoc changed: restarting it/g)).toHaveLength(1);
  const added = await queryAfterRestart('id devNote');
  expect(added.body.errors).toBeUndefined();
  expect(added.body.data).toEqual({ interdiction: { id: 'MAOC-INT-2024-0011', devNote: 'note on MAOC-INT-2024-0011' } });
  expect(await listeningPid(gatewayPort)).toBe(gatewayPid);
  const devSupergraph = fs.readFileSync(path.join(stateDir, 'dev/supergraph.graphql'), 'utf8');
  expect(devSupergraph).toContain('devNote: String');

  // 2. Break composition: Vessel's key field given another type than NL-CUSTOMS's.
  mark = out.length;
  const working = fs.readFileSync(schemaFile, 'utf8');
  fs.writeFileSync(schemaFile, working.replace('    imo: IMO!\n', '    imo: Int!\n'));
  await waitFor('composition refused', mark);
  const refused = out.slice(mark);
  expect(refused).toMatch(/Vessel\.imo/);
  expect(refused).not.toContain('restarting it');
  expect(fs.readFileSync(path.join(stateDir, 'dev/supergraph.graphql'), 'utf8')).toBe(devSupergraph);
  const still = await query('id devNote');
  expect(still.body.data).toEqual({ interdiction: { id: 'MAOC-INT-2024-0011', devNote: 'note on MAOC-INT-2024-0011' } });

  // 3. Compose, but take away a field an agreement grants by name: the policy refuses it, nothing restarts.
  mark = out.length;
  fs.writeFileSync(schemaFile, working.replace('    trackingReports: [TrackingReport!]\n', '    trackingReportz: [TrackingReport!]\n'));
  await waitFor('the policy is not valid against the new supergraph', mark);
  expect(out.slice(mark)).toMatch(/Vessel\.trackingReports/);
  expect(out.slice(mark)).not.toContain('restarting it');
  expect(fs.readFileSync(path.join(stateDir, 'dev/supergraph.graphql'), 'utf8')).toBe(devSupergraph);
  expect((await query('id devNote')).body.data).toEqual({ interdiction: { id: 'MAOC-INT-2024-0011', devNote: 'note on MAOC-INT-2024-0011' } });

  // 4. Fix it and rename the field: picked up again, the gateway still the same process.
  mark = out.length;
  fs.writeFileSync(schemaFile, working.replace('    devNote: String\n', '    devRemark: String\n'));
  fs.writeFileSync(resolversFile, fs.readFileSync(resolversFile, 'utf8').replace('devNote:', 'devRemark:'));
  await waitFor('supergraph recomposed and written', mark);
  await waitFor(/supergraph [0-9a-f]{16} in force/, mark);
  const fixed = await queryAfterRestart('id devRemark');
  expect(fixed.body.errors).toBeUndefined();
  expect(fixed.body.data).toEqual({ interdiction: { id: 'MAOC-INT-2024-0011', devRemark: 'note on MAOC-INT-2024-0011' } });
  expect(await listeningPid(gatewayPort)).toBe(gatewayPid);
  // The repository's own maoc sources were never touched.
  expect(fs.readFileSync(path.join(REPO, 'subgraphs/maoc/src/schema.ts'), 'utf8')).not.toMatch(/devNote|devRemark/);
}, 300_000);
