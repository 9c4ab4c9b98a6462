/**
 * Reads `subgraphs/subgraphs.yaml`, the one list of agency subgraphs that composition,
 * `pactum start`, the end-to-end stack and the bench all read. Checked with ajv (as the policy
 * files are) before any cross-check; a bad entry is refused with the file, the entry and why.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import Ajv from 'ajv';
import { parseDocument } from 'yaml';
import { SubgraphRegistryError } from './subgraph-registry-error';

/** One entry of the registry, with its paths resolved. */
export interface RegisteredSubgraph {
  /** Composition name, context-token audience, `PACTUM_<NAME>_*` prefix. */
  readonly name: string;
  /** Owning agency id (must match `policies/agencies.yaml`). */
  readonly agency: string;
  /** Default port. */
  readonly port: number;
  /** Default routing URL (`http://127.0.0.1:<port>/graphql` unless the entry says otherwise). */
  readonly url: string;
  /** Workspace folder as written (relative to the repository root). */
  readonly workspace: string;
  /** Absolute workspace folder. */
  readonly dir: string;
  /** Absolute path of `src/schema.ts` (exports `typeDefs`). */
  readonly schemaModule: string;
  /** Absolute path of `src/main.ts` (the process). */
  readonly mainModule: string;
  /** Absolute path of `src/index.ts` (exports {@link factory}). */
  readonly indexModule: string;
  /** Name of the in-process factory exported by `src/index.ts`. */
  readonly factory: string;
}

export interface SubgraphRegistry {
  /** The registry file read. */
  readonly file: string;
  /** The repository root the workspaces are relative to (the registry file's grandparent). */
  readonly root: string;
  readonly subgraphs: readonly RegisteredSubgraph[];
}

/** Names that would collide with the kit, the demo world or the gateway's own names. */
const RESERVED = new Set(['kit', 'gateway', 'schema', 'test', 'demoworld', 'supergraph']);

/** Subgraph names: what composition, env variable names and file names all accept. */
export const SUBGRAPH_NAME_PATTERN = '^[a-z][a-z0-9]{1,30}$';
/** Agency ids as `policies/agencies.yaml` writes them. */
export const AGENCY_ID_PATTERN = '^[A-Z][A-Z0-9]*(-[A-Z0-9]+)*$';

/**
 * Why `name` cannot name a subgraph, or `undefined` when it can: the rule the registry checks,
 * for tools (the scaffold) that must refuse a name before writing anything.
 */
export function subgraphNameProblem(name: string): string | undefined {
  if (!new RegExp(SUBGRAPH_NAME_PATTERN).test(name)) return `"${name}" is not a subgraph name: 2-31 lower-case letters and digits, starting with a letter`;
  if (RESERVED.has(name)) return `"${name}" is a reserved name`;
  return undefined;
}

const entrySchema = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'agency', 'port', 'workspace', 'factory'],
  properties: {
    name: { type: 'string', pattern: SUBGRAPH_NAME_PATTERN },
    agency: { type: 'string', pattern: AGENCY_ID_PATTERN, maxLength: 40 },
    port: { type: 'integer', minimum: 1024, maximum: 65535 },
    workspace: { type: 'string', pattern: '^subgraphs/[a-z][a-z0-9-]{1,40}$' },
    factory: { type: 'string', pattern: '^create[A-Z][A-Za-z0-9]*Subgraph$' },
    url: { type: 'string', pattern: '^https?://[^\\s]+$' },
  },
} as const;

const registrySchema = {
  type: 'object',
  additionalProperties: false,
  required: ['version', 'subgraphs'],
  properties: {
    version: { const: 1 },
    subgraphs: { type: 'array', minItems: 1, items: entrySchema },
  },
} as const;

interface EntrySpec {
  name: string;
  agency: string;
  port: number;
  workspace: string;
  factory: string;
  url?: string;
}

const validate = new Ajv({ allErrors: true, strict: false }).compile<{ version: 1; subgraphs: EntrySpec[] }>(registrySchema);

/** The repository root of this checkout (two folders above `schema/src/registry`). */
export const defaultRepoRoot = path.resolve(__dirname, '..', '..', '..');

/** `subgraphs/subgraphs.yaml` of a repository root: `PACTUM_SUBGRAPHS_FILE` when set, else this checkout's. */
export function subgraphRegistryPath(env: NodeJS.ProcessEnv = process.env): string {
  return env.PACTUM_SUBGRAPHS_FILE ? path.resolve(env.PACTUM_SUBGRAPHS_FILE) : path.join(defaultRepoRoot, 'subgraphs', 'subgraphs.yaml');
}

function where(file: string, instancePath: string): string {
  const parts = instancePath.split('/').filter(Boolean);
  return parts.length === 0 ? file : `${file}: ${parts.map((p) => (/^\d+$/.test(p) ? `[${p}]` : `.${p}`)).join('').replace(/^\./, '')}`;
}

/**
 * Loads and checks the registry: shape (ajv), unique names and ports, reserved names, and that
 * each workspace has its `src/schema.ts`, `src/main.ts` and `src/index.ts`.
 * @throws SubgraphRegistryError naming the file, the entry and the problem.
 */
export function loadSubgraphRegistry(file: string = subgraphRegistryPath()): SubgraphRegistry {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const code = typeof err === 'object' && err !== null && 'code' in err ? String(err.code) : 'unreadable';
    throw new SubgraphRegistryError('file_unreadable', `${file}: cannot read the subgraph registry (${code})`);
  }
  const doc = parseDocument(text, { uniqueKeys: true, prettyErrors: false });
  if (doc.errors[0]) throw new SubgraphRegistryError('yaml_syntax', `${file}: YAML syntax error: ${doc.errors[0].message.split('\n')[0]}`);
  const value: unknown = doc.toJS({ maxAliasCount: 10 });
  if (!validate(value)) {
    const first = validate.errors?.[0];
    const detail = first?.keyword === 'additionalProperties' ? `unknown key "${String(first.params['additionalProperty'])}"` : (first?.message ?? 'invalid');
    throw new SubgraphRegistryError('bad_entry', `${where(file, first?.instancePath ?? '')}: ${detail}`);
  }
  const root = path.resolve(path.dirname(file), '..');
  const seenNames = new Map<string, number>();
  const seenPorts = new Map<number, string>();
  const subgraphs = value.subgraphs.map((spec, i): RegisteredSubgraph => {
    const at = `${file}: subgraphs[${i}] (${spec.name})`;
    if (RESERVED.has(spec.name)) throw new SubgraphRegistryError('bad_entry', `${at}: "${spec.name}" is a reserved name`);
    if (seenNames.has(spec.name)) throw new SubgraphRegistryError('duplicate', `${at}: name already used by subgraphs[${seenNames.get(spec.name)}]`);
    seenNames.set(spec.name, i);
    const portOwner = seenPorts.get(spec.port);
    if (portOwner) throw new SubgraphRegistryError('duplicate', `${at}: port ${spec.port} already used by ${portOwner}`);
    seenPorts.set(spec.port, spec.name);
    const dir = path.join(root, spec.workspace);
    const modules = { schemaModule: path.join(dir, 'src', 'schema.ts'), mainModule: path.join(dir, 'src', 'main.ts'), indexModule: path.join(dir, 'src', 'index.ts') };
    for (const module of Object.values(modules)) {
      if (!existsSync(module)) throw new SubgraphRegistryError('missing_module', `${at}: ${path.relative(root, module)} does not exist`);
    }
    return { name: spec.name, agency: spec.agency, port: spec.port, url: spec.url ?? `http://127.0.0.1:${spec.port}/graphql`, workspace: spec.workspace, dir, ...modules, factory: spec.factory };
  });
  return { file, root, subgraphs };
}
