import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { defaultRepoRoot, loadSubgraphRegistry, loadSubgraphFactory, loadSubgraphTypeDefs, SubgraphRegistryError } from '../index';

/** A scratch repository root with `subgraphs/<name>/src/{schema,main,index}.ts` for each name. */
function scratchRoot(names: readonly string[]): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'pactum-registry-'));
  for (const name of names) {
    const src = path.join(root, 'subgraphs', name, 'src');
    fs.mkdirSync(src, { recursive: true });
    fs.writeFileSync(path.join(src, 'schema.ts'), `export const typeDefs = 'not a document';\n`);
    fs.writeFileSync(path.join(src, 'main.ts'), '');
    fs.writeFileSync(path.join(src, 'index.ts'), `export const createAlphaSubgraph = 42;\n`);
  }
  return root;
}

function registryFile(root: string, yaml: string): string {
  const file = path.join(root, 'subgraphs', 'subgraphs.yaml');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, yaml);
  return file;
}

const entry = (name: string, port: number, extra = ''): string =>
  `  - name: ${name}\n    agency: NL-POLICE\n    port: ${port}\n    workspace: subgraphs/${name}\n    factory: createAlphaSubgraph\n${extra}`;

function refusal(file: string): SubgraphRegistryError {
  try {
    loadSubgraphRegistry(file);
  } catch (err) {
    if (err instanceof SubgraphRegistryError) return err;
    throw err;
  }
  throw new Error('the registry was accepted');
}

describe('the subgraph registry (subgraphs/subgraphs.yaml)', () => {
  const registry = loadSubgraphRegistry();

  it('lists the shipped subgraphs in composition order, with resolved modules and default URLs', () => {
    expect(registry.root).toBe(defaultRepoRoot);
    expect(registry.subgraphs.map((s) => s.name).slice(0, 4)).toEqual(['police', 'customs', 'eurojust', 'europol']);
    const police = registry.subgraphs[0];
    expect(police).toMatchObject({ agency: 'NL-POLICE', port: 4001, url: 'http://127.0.0.1:4001/graphql', factory: 'createPoliceSubgraph' });
    expect(police?.schemaModule).toBe(path.join(defaultRepoRoot, 'subgraphs/police/src/schema.ts'));
  });

  it('each entry loads: schema module exports typeDefs, index exports the factory', () => {
    for (const s of registry.subgraphs) {
      expect(loadSubgraphTypeDefs(s).kind).toBe('Document');
      expect(typeof loadSubgraphFactory(s)).toBe('function');
    }
  });

  it('agrees with policies/agencies.yaml: each subgraph is owned there by the agency the registry names, and no agency owns an unregistered one', () => {
    const agencies = (parseYaml(fs.readFileSync(path.join(defaultRepoRoot, 'policies/agencies.yaml'), 'utf8')) as { agencies: { id: string; subgraph: string }[] }).agencies;
    const owned = agencies.filter((a) => a.subgraph !== 'none').map((a) => [a.subgraph, a.id]);
    expect(Object.fromEntries(owned)).toEqual(Object.fromEntries(registry.subgraphs.map((s) => [s.name, s.agency])));
  });

  it('is the only list of subgraphs: no source file outside the registry spells out two subgraph names together', () => {
    const names = registry.subgraphs.map((s) => s.name);
    const quoted = new RegExp(`['"\`](${names.join('|')})['"\`]`, 'g');
    const offenders: string[] = [];
    const walk = (dir: string): void => {
      for (const d of fs.readdirSync(dir, { withFileTypes: true })) {
        const full = path.join(dir, d.name);
        if (d.isDirectory()) {
          if (d.name !== 'node_modules' && d.name !== '__tests__') walk(full);
        } else if (d.name.endsWith('.ts')) {
          const found = new Set([...fs.readFileSync(full, 'utf8').matchAll(quoted)].map((m) => m[1]));
          if (found.size >= 2) offenders.push(`${path.relative(defaultRepoRoot, full)}: ${[...found].join(', ')}`);
        }
      }
    };
    for (const dir of ['gateway/src', 'schema/src', 'test/src', 'test/bench', 'subgraphs/kit/src']) walk(path.join(defaultRepoRoot, dir));
    expect(offenders).toEqual([]);
  });

  describe('refuses a bad registry with the file, the entry and the problem', () => {
    const root = scratchRoot(['alpha', 'beta']);
    afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

    it.each([
      ['an unknown key', `version: 1\nsubgraphs:\n${entry('alpha', 4101, '    prot: 1\n')}`, 'bad_entry', /subgraphs\[0\]: unknown key "prot"/],
      ['a name with capitals', `version: 1\nsubgraphs:\n${entry('Alpha', 4101)}`, 'bad_entry', /subgraphs\[0\]\.name: must match pattern/],
      ['a port below 1024', `version: 1\nsubgraphs:\n${entry('alpha', 80)}`, 'bad_entry', /subgraphs\[0\]\.port: must be >= 1024/],
      ['a workspace outside subgraphs/', `version: 1\nsubgraphs:\n  - name: alpha\n    agency: NL-POLICE\n    port: 4101\n    workspace: ../etc\n    factory: createAlphaSubgraph\n`, 'bad_entry', /workspace: must match pattern/],
      ['a missing version', `subgraphs:\n${entry('alpha', 4101)}`, 'bad_entry', /must have required property 'version'/],
      ['no subgraphs', `version: 1\nsubgraphs: []\n`, 'bad_entry', /subgraphs: must NOT have fewer than 1 items/],
      ['a duplicated name', `version: 1\nsubgraphs:\n${entry('alpha', 4101)}${entry('alpha', 4102)}`, 'duplicate', /subgraphs\[1\] \(alpha\): name already used by subgraphs\[0\]/],
      ['a duplicated port', `version: 1\nsubgraphs:\n${entry('alpha', 4101)}${entry('beta', 4101)}`, 'duplicate', /subgraphs\[1\] \(beta\): port 4101 already used by alpha/],
      ['a reserved name', `version: 1\nsubgraphs:\n${entry('kit', 4101)}`, 'bad_entry', /"kit" is a reserved name/],
      ['a workspace without its modules', `version: 1\nsubgraphs:\n${entry('gamma', 4101)}`, 'missing_module', /\(gamma\): subgraphs\/gamma\/src\/schema\.ts does not exist/],
      ['a duplicated YAML key', `version: 1\nversion: 1\nsubgraphs:\n${entry('alpha', 4101)}`, 'yaml_syntax', /YAML syntax error/],
    ])('%s', (_what, yaml, reason, message) => {
      const err = refusal(registryFile(root, yaml));
      expect(err.reason).toBe(reason);
      expect(err.message).toMatch(message);
      expect(err.message).toContain(path.join(root, 'subgraphs', 'subgraphs.yaml'));
    });

    it('an unreadable file', () => {
      expect(refusal(path.join(root, 'nope.yaml')).reason).toBe('file_unreadable');
    });

    it('a schema module that does not export a document, an index without the factory function', () => {
      const reg = loadSubgraphRegistry(registryFile(root, `version: 1\nsubgraphs:\n${entry('alpha', 4101)}`));
      const alpha = reg.subgraphs[0];
      if (!alpha) throw new Error('no entry');
      expect(() => loadSubgraphTypeDefs(alpha)).toThrow(/subgraphs\/alpha\/src\/schema\.ts must export `typeDefs`/);
      expect(() => loadSubgraphFactory(alpha)).toThrow(/does not export a function createAlphaSubgraph/);
    });
  });
});
