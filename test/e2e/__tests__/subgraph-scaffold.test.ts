/**
 * `pactum subgraph new`, end to end, as an integrator runs it: into a temporary copy of the
 * repository, then the generated subgraph's own type check and tests, then composition, the
 * registry's subgraphs with the new one and a gateway, and a query through the gateway with a
 * token of the owning agency. No hand edit anywhere. Then the refusals: each changes nothing.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { loadSubgraphRegistry } from '@pactum/schema';
import { ask } from '../../src/client';
import { startStack, type Stack } from '../../src/stack';

const run = promisify(execFile);
const REPO = path.resolve(__dirname, '../../..');
const PACTUM = path.join(REPO, 'gateway/src/cli/pactum.ts');

/** A repository copy the scaffold may write into: policies, registry and schema copied; the rest linked. */
function tempRepo(): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'pactum-scaffold-'));
  for (const f of ['package.json', 'jest.base.js', 'tsconfig.base.json']) fs.copyFileSync(path.join(REPO, f), path.join(root, f));
  fs.symlinkSync(path.join(REPO, 'node_modules'), path.join(root, 'node_modules'));
  fs.mkdirSync(path.join(root, 'subgraphs'));
  for (const d of fs.readdirSync(path.join(REPO, 'subgraphs'), { withFileTypes: true })) {
    if (d.isDirectory()) fs.symlinkSync(path.join(REPO, 'subgraphs', d.name), path.join(root, 'subgraphs', d.name));
  }
  fs.copyFileSync(path.join(REPO, 'subgraphs/subgraphs.yaml'), path.join(root, 'subgraphs/subgraphs.yaml'));
  fs.cpSync(path.join(REPO, 'policies'), path.join(root, 'policies'), { recursive: true });
  fs.mkdirSync(path.join(root, 'schema'));
  fs.copyFileSync(path.join(REPO, 'schema/supergraph.graphql'), path.join(root, 'schema/supergraph.graphql'));
  fs.mkdirSync(path.join(root, 'deploy/kubernetes'), { recursive: true });
  fs.copyFileSync(path.join(REPO, 'deploy/kubernetes/gateway-deployment.yaml'), path.join(root, 'deploy/kubernetes/gateway-deployment.yaml'));
  return root;
}

/** A hash over every regular file the scaffold may touch (links not followed): equal means unchanged. */
function treeHash(root: string): string {
  const hash = createHash('sha256');
  const walk = (dir: string): void => {
    for (const d of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const full = path.join(dir, d.name);
      if (d.isSymbolicLink()) hash.update(`link ${full}\n`);
      else if (d.isDirectory()) walk(full);
      else hash.update(`${full}\n`).update(fs.readFileSync(full));
    }
  };
  for (const sub of ['subgraphs', 'policies', 'schema', 'deploy']) walk(path.join(root, sub));
  return hash.digest('hex');
}

async function pactum(root: string, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', PACTUM, 'subgraph', ...args, '--root', root], { cwd: REPO });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: e.code ?? -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

describe('pactum subgraph new, into a temporary repository', () => {
  const root = tempRepo();
  let stack: Stack | undefined;
  afterAll(async () => {
    await stack?.stop();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('scaffolds, type-checks, passes its own tests, composes and answers through the gateway', async () => {
    const created = await pactum(root, 'new', 'fiodx', '--agency', 'NL-FIOD');
    expect(created.stderr).toBe('');
    expect(created.code).toBe(0);
    expect(created.stdout).toContain('+ subgraphs/fiodx/src/schema.ts');
    expect(created.stdout).toContain('+ policies/agreements/nl-fiod-own-data.yaml');
    expect(created.stdout).toContain('~ subgraphs/subgraphs.yaml');
    expect(created.stdout).toContain('~ deploy/kubernetes/gateway-deployment.yaml');
    expect(fs.readFileSync(path.join(root, 'deploy/kubernetes/gateway-deployment.yaml'), 'utf8')).toMatch(/- \{ name: PACTUM_FIODX_URL, value: "http:\/\/pactum-fiodx:\d+\/graphql" \}/);

    const workspace = path.join(root, 'subgraphs/fiodx');
    await run(process.execPath, [path.join(REPO, 'node_modules/typescript/bin/tsc'), '-p', workspace]);
    const own = await run(process.execPath, [path.join(REPO, 'node_modules/jest/bin/jest.js'), '--ci'], { cwd: workspace }).catch((err: { stderr: string }) => {
      throw new Error(`the generated tests failed:\n${err.stderr}`);
    });
    expect(own.stderr).toMatch(/Tests:\s+5 passed, 5 total/);

    const registry = loadSubgraphRegistry(path.join(root, 'subgraphs/subgraphs.yaml'));
    expect(registry.subgraphs.at(-1)).toMatchObject({ name: 'fiodx', agency: 'NL-FIOD', factory: 'createFiodxSubgraph' });
    const supergraph = fs.readFileSync(path.join(root, 'schema/supergraph.graphql'), 'utf8');
    expect(supergraph).toMatch(/FIODX @join__graph\(name: "fiodx"/);

    stack = await startStack({ registry, policySource: path.join(root, 'policies'), env: { PACTUM_SUPERGRAPH: path.join(root, 'schema/supergraph.graphql') } });
    const query = 'query FiodRecords { fiodxRecords(first: 2) { id title label { owner } } }';
    const fiod = await stack.keys.token({ agency: 'NL-FIOD', sub: 'f.jansen', roles: ['financial-investigator'], clearance: 'CONFIDENTIAL', purposes: ['drug-trafficking'] });
    const own2 = await ask(stack.gatewayUrl, { token: fiod, purpose: 'drug-trafficking', query });
    expect(own2.status).toBe(200);
    expect(own2.body.errors).toBeUndefined();
    expect(own2.body.data).toEqual({
      fiodxRecords: [
        { id: 'FIODX-2024-0003', title: 'Third NL-FIOD record', label: { owner: 'NL-FIOD' } },
        { id: 'FIODX-2024-0002', title: 'Second NL-FIOD record', label: { owner: 'NL-FIOD' } },
      ],
    });

    // Default deny: no agreement gives another agency the new subgraph's data.
    const police = await stack.keys.token({ agency: 'NL-POLICE', sub: 'j.devries', roles: ['investigator'], clearance: 'CONFIDENTIAL', purposes: ['drug-trafficking'] });
    const other = await ask(stack.gatewayUrl, { token: police, purpose: 'drug-trafficking', query });
    expect(other.body.data).toEqual({ fiodxRecords: null });
    expect(other.body.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'NO_AGREEMENT' });
  }, 240_000);

  it.each([
    ['a name taken', ['new', 'fiodx', '--agency', 'NL-OM'], /subgraph fiodx is already registered/],
    ['a name that is not a subgraph name', ['new', 'Fiod-2', '--agency', 'NL-OM'], /"Fiod-2" is not a subgraph name/],
    ['a reserved name', ['new', 'kit', '--agency', 'NL-OM'], /"kit" is a reserved name/],
    ['an unknown agency', ['new', 'omx', '--agency', 'XX-NOBODY'], /agency XX-NOBODY is not in policies\/agencies.yaml/],
    ['a malformed agency id', ['new', 'omx', '--agency', 'nl-om; rm'], /is not an agency id/],
    ['an agency that owns a subgraph already', ['new', 'omx', '--agency', 'NL-POLICE'], /agency NL-POLICE already owns subgraph police/],
    ['a port taken', ['new', 'omx', '--agency', 'NL-OM', '--port', '4001'], /port 4001 is already used by police/],
    ['a port out of range', ['new', 'omx', '--agency', 'NL-OM', '--port', '80'], /port 80: must be a whole number between 1024 and 65535/],
  ])('refuses %s and changes nothing', async (_what, args, message) => {
    const before = treeHash(root);
    const refused = await pactum(root, ...args);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(message);
    expect(treeHash(root)).toBe(before);
  }, 60_000);

  it('refuses a folder that already exists, without overwriting it', async () => {
    fs.mkdirSync(path.join(root, 'subgraphs/omx'));
    fs.writeFileSync(path.join(root, 'subgraphs/omx/keep.txt'), 'mine');
    const before = treeHash(root);
    const refused = await pactum(root, 'new', 'omx', '--agency', 'NL-OM');
    expect(refused.stderr).toMatch(/subgraphs\/omx already exists; nothing was overwritten/);
    expect(treeHash(root)).toBe(before);
    fs.rmSync(path.join(root, 'subgraphs/omx'), { recursive: true });
  }, 60_000);

  it('takes everything back when the policy tests fail with the new subgraph', async () => {
    // A policy test expecting a grant that does not exist: found only after the files are written.
    fs.writeFileSync(
      path.join(root, 'policies/tests/zz-expects-a-grant.yaml'),
      `at: 2026-06-01T12:00:00Z\nprincipals:\n  om: { agency: NL-OM, roles: [prosecutor], clearance: SECRET }\ntests:\n  - name: om_reads_its_record_through_a_missing_grant\n    principal: om\n    purpose: drug-trafficking\n    field: OmxRecord.title\n    expect: { outcome: released, grant: nowhere/none }\n`,
    );
    const before = treeHash(root);
    const refused = await pactum(root, 'new', 'omx', '--agency', 'NL-OM');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/policy tests fail with the new subgraph/);
    expect(treeHash(root)).toBe(before);
    expect(fs.existsSync(path.join(root, 'subgraphs/omx'))).toBe(false);
    fs.rmSync(path.join(root, 'policies/tests/zz-expects-a-grant.yaml'));
  }, 60_000);

  it('without --agency prints its usage and exits 2', async () => {
    const refused = await pactum(root, 'new', 'omx');
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('usage: pactum subgraph new <name> --agency <ID>');
  });
});
