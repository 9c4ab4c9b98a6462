import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runSchemaCommand } from '../schema';
import { runCaptured } from './support/run-command';

const REPO = path.resolve(__dirname, '../../../../..');

/**
 * A repository whose registry points at a copy of the customs subgraph (edited by `edit`) and at
 * the real other subgraphs, with the committed supergraph committed to git as HEAD.
 */
function repoWithCustoms(edit: (sdl: string) => string): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'pactum-schema-check-'));
  fs.symlinkSync(path.join(REPO, 'node_modules'), path.join(root, 'node_modules'));
  fs.symlinkSync(path.join(REPO, 'policies'), path.join(root, 'policies'));
  fs.mkdirSync(path.join(root, 'subgraphs'));
  for (const d of fs.readdirSync(path.join(REPO, 'subgraphs'), { withFileTypes: true })) {
    if (!d.isDirectory()) continue;
    if (d.name === 'customs') fs.cpSync(path.join(REPO, 'subgraphs/customs/src'), path.join(root, 'subgraphs/customs/src'), { recursive: true });
    else fs.symlinkSync(path.join(REPO, 'subgraphs', d.name), path.join(root, 'subgraphs', d.name));
  }
  fs.copyFileSync(path.join(REPO, 'subgraphs/subgraphs.yaml'), path.join(root, 'subgraphs/subgraphs.yaml'));
  const schemaFile = path.join(root, 'subgraphs/customs/src/schema.ts');
  const before = fs.readFileSync(schemaFile, 'utf8');
  const after = edit(before);
  if (after === before) throw new Error('the edit changed nothing');
  fs.writeFileSync(schemaFile, after);
  fs.mkdirSync(path.join(root, 'schema'));
  fs.copyFileSync(path.join(REPO, 'schema/supergraph.graphql'), path.join(root, 'schema/supergraph.graphql'));
  const git = (...args: string[]) => execFileSync('git', ['-C', root, '-c', 'user.name=t', '-c', 'user.email=t@example.invalid', ...args], { stdio: 'ignore' });
  git('init', '-q');
  git('add', 'schema/supergraph.graphql');
  git('commit', '-q', '-m', 'base');
  return root;
}

async function check(root: string | undefined, ...args: string[]) {
  const saved = process.env.PACTUM_SUBGRAPHS_FILE;
  if (root) process.env.PACTUM_SUBGRAPHS_FILE = path.join(root, 'subgraphs/subgraphs.yaml');
  try {
    return await runCaptured(runSchemaCommand, ['check', ...args]);
  } finally {
    if (saved === undefined) delete process.env.PACTUM_SUBGRAPHS_FILE;
    else process.env.PACTUM_SUBGRAPHS_FILE = saved;
  }
}

describe('pactum schema check', () => {
  const roots: string[] = [];
  afterAll(() => roots.forEach((r) => fs.rmSync(r, { recursive: true, force: true })));

  it('the shipped tree: composes, nothing changed, exit 0', async () => {
    const r = await check(undefined);
    expect(r.out).toContain('composition of 5 subgraphs (police, customs, eurojust, europol, maoc): ok');
    expect(r.out).toContain('breaking (0)\ndangerous (0)\nsafe (0)\n');
    expect(r.out).toContain('schema check: ok');
    expect(r.code).toBe(0);
  });

  it('a removed field a shipped operation uses: breaking, the operations named, exit 1', async () => {
    const root = repoWithCustoms((s) => s.replace('    reefer: Boolean\n', ''));
    roots.push(root);
    const r = await check(root, '--against', 'HEAD');
    expect(r.out).toContain('changes against schema/supergraph.graphql at HEAD:');
    expect(r.out).toMatch(/breaking \(1\):\n {2}FIELD_REMOVED\s+Container\.reefer was removed\.\n {6}breaks shipped operations: ContainerDossier, InvestigationFile, SeizuresAtPort/);
    expect(r.out).toContain('shipped operations that no longer validate (3):');
    expect(r.code).toBe(1);
  });

  it('a new type no policy grants: safe, said to be denied to everyone, exit 0 against a revision (and stale without one)', async () => {
    const root = repoWithCustoms((s) =>
      s.replace('  type Query {\n', '  "A free-text note a customs officer attaches to a container."\n  type CustomsNote { id: ID text: String }\n\n  type Query {\n    customsNotes(number: ContainerNumber!): [CustomsNote!]\n'),
    );
    roots.push(root);
    const r = await check(root, '--against', 'HEAD');
    expect(r.out).toMatch(/safe \(2\):\n {2}TYPE_ADDED\s+CustomsNote was added\.\n {2}FIELD_ADDED\s+Query\.customsNotes was added\./);
    expect(r.out).toContain('new fields no policy grants (2): they will be denied to everyone until an agreement grants them:\n  CustomsNote.id\n  CustomsNote.text\n');
    expect(r.out).toContain('schema check: ok');
    expect(r.code).toBe(0);
    const stale = await check(root);
    expect(stale.out).toContain('schema/supergraph.graphql is stale: run `npm run compose` and commit it');
    expect(stale.code).toBe(1);
  });

  it('an output field made non-null breaks the nullability rule: exit 1 even though clients would not notice', async () => {
    const root = repoWithCustoms((s) => s.replace('    reefer: Boolean\n', '    reefer: Boolean!\n'));
    roots.push(root);
    const r = await check(root, '--against', 'HEAD');
    expect(r.out).toContain('breaking (0)');
    expect(r.out).toContain('  customs: Container.reefer declared non-null');
    expect(r.code).toBe(1);
  });

  it('a composition error: reported with the subgraph, exit 1', async () => {
    const root = repoWithCustoms((s) => s.replace('number: ContainerNumber!\n', 'number: String!\n'));
    roots.push(root);
    const r = await check(root, '--against', 'HEAD');
    expect(r.out).toMatch(/composition of 5 subgraphs: FAILED\n.*customs/);
    expect(r.code).toBe(1);
  });

  it.each([
    [['--against=--upload-pack=touch /tmp/x'], /not a git revision/],
    [['--against', '--upload-pack=x'], /argument is ambiguous/],
    [['--against', 'no-such-revision-anywhere'], /no schema\/supergraph.graphql at no-such-revision-anywhere/],
    [['--bogus'], /Unknown option '--bogus'/],
  ])('refuses %j with exit 2', async (args, message) => {
    const r = await check(undefined, ...args);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(message);
  });
});

describe('pactum schema api', () => {
  it('prints the API schema: the agencies types, no federation machinery', async () => {
    const r = await runCaptured(runSchemaCommand, ['api']);
    expect(r.code).toBe(0);
    expect(r.out).toContain('type Interdiction {');
    expect(r.out).toContain('scalar ContainerNumber');
    expect(r.out).not.toMatch(/join__|link__|@key|_entities|_Any/);
  });

  it('writes it to --out', async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'pactum-api-')), 'api.graphql');
    const r = await runCaptured(runSchemaCommand, ['api', '--out', file]);
    expect(r.code).toBe(0);
    expect(fs.readFileSync(file, 'utf8')).toContain('type Query {');
  });
});
