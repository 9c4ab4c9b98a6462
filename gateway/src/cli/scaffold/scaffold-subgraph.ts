/**
 * `pactum subgraph new <name> --agency <ID>`: a new agency subgraph on the kit, from the templates
 * in `subgraphs/kit/template/`, wired in: its registry entry, its agency's `subgraph:` in
 * `policies/agencies.yaml`, an own-data agreement and its policy tests, and the recomposed
 * supergraph. Every check runs before the first write; if composing or the policy check fails
 * afterwards, everything written is taken back, so a refused scaffold changes nothing.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import {
  AGENCY_ID_PATTERN,
  agencySubgraphs,
  composeSupergraph,
  formatCompositionProblems,
  loadSubgraphRegistry,
  subgraphNameProblem,
  type SubgraphRegistry,
} from '@pactum/schema';
import { loadPolicy, runPolicyTests } from '../../policy';
import { renderTemplate, templateFiles, type TemplateValues } from './render-template';

/** What to scaffold, and where. */
export interface ScaffoldRequest {
  /** Subgraph name (registry rule: 2-31 lower-case letters and digits). */
  readonly name: string;
  /** The owning agency; must be in `policies/agencies.yaml` and own no subgraph yet. */
  readonly agency: string;
  /** Default port; the highest registered port + 1 when left out. */
  readonly port?: number;
  /** Repository root to scaffold into (its `subgraphs/`, `policies/`, `schema/`). */
  readonly root: string;
  /** The day written into the agreement's validity and the tests' `at` (default today, UTC). */
  readonly today?: string;
}

export interface ScaffoldResult {
  /** Files created, relative to the root. */
  readonly created: readonly string[];
  /** Existing files changed, relative to the root. */
  readonly modified: readonly string[];
  /** Policy tests that ran against the new supergraph (all passed). */
  readonly policyTests: number;
}

/** A scaffold refused before (or rolled back after) writing: the message says why. */
export class ScaffoldError extends Error {
  override readonly name = 'ScaffoldError';
}

interface AgencyEntry {
  readonly id: string;
  readonly subgraph?: string;
}

const pascal = (name: string): string => name.charAt(0).toUpperCase() + name.slice(1);
const snake = (agency: string): string => agency.toLowerCase().replaceAll('-', '_');

function readAgencies(file: string): AgencyEntry[] {
  let value: unknown;
  try {
    value = parseYaml(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    throw new ScaffoldError(`${file}: cannot be read (${(err as Error).message})`);
  }
  const agencies = (value as { agencies?: unknown } | null)?.agencies;
  if (!Array.isArray(agencies)) throw new ScaffoldError(`${file}: has no agencies list`);
  return agencies.filter((a): a is AgencyEntry => typeof a === 'object' && a !== null && typeof (a as AgencyEntry).id === 'string');
}

/**
 * Sets `subgraph: <name>` on one agency of agencies.yaml, editing that one line so comments and
 * layout stay as the security team wrote them.
 */
function ownSubgraphInAgencies(text: string, agency: string, name: string): string {
  const lines = text.split('\n');
  const start = lines.findIndex((l) => new RegExp(`^\\s*-\\s+id:\\s*${agency.replace(/[-]/g, '\\-')}\\s*$`).test(l));
  if (start < 0) throw new ScaffoldError(`policies/agencies.yaml: the entry of ${agency} is not written as "- id: ${agency}"; set its subgraph by hand`);
  for (let i = start + 1; i < lines.length && !/^\s*-\s+id:/.test(lines[i] ?? ''); i++) {
    const m = /^(\s*subgraph:\s*)none\s*$/.exec(lines[i] ?? '');
    if (m) {
      lines[i] = `${m[1]}${name}`;
      return lines.join('\n');
    }
  }
  throw new ScaffoldError(`policies/agencies.yaml: the entry of ${agency} has no "subgraph: none" line to change`);
}

/** Adds `PACTUM_<NAME>_URL` after the Deployment's last subgraph URL, in the same one-line form. */
function routeInDeployment(text: string, v: TemplateValues): string {
  const lines = text.split('\n');
  const last = lines.reduce((at, l, i) => (/^\s*- \{ name: PACTUM_[A-Z0-9]+_URL, value: "http:\/\/pactum-[a-z0-9]+:\d+\/graphql" \}\s*$/.test(l) ? i : at), -1);
  if (last < 0) throw new ScaffoldError('deploy/kubernetes/gateway-deployment.yaml: no "- { name: PACTUM_<NAME>_URL, … }" line to add the new subgraph after');
  const indent = /^\s*/.exec(lines[last] ?? '')?.[0] ?? '';
  lines.splice(last + 1, 0, `${indent}- { name: PACTUM_${v.NAME}_URL, value: "http://pactum-${v.name}:${v.port}/graphql" }`);
  return lines.join('\n');
}

function registryEntry(values: TemplateValues): string {
  return [
    `  - name: ${values.name}`,
    `    agency: ${values.agency}`,
    `    port: ${values.port}`,
    `    workspace: subgraphs/${values.name}`,
    `    factory: create${values.Name}Subgraph`,
    '',
  ].join('\n');
}

/** Checks everything and computes the files; writes nothing. */
function plan(request: ScaffoldRequest): { files: Map<string, string>; edits: Map<string, string>; registry: SubgraphRegistry } {
  const { name, agency, root } = request;
  const nameProblem = subgraphNameProblem(name);
  if (nameProblem) throw new ScaffoldError(nameProblem);
  if (!new RegExp(AGENCY_ID_PATTERN).test(agency)) throw new ScaffoldError(`"${agency}" is not an agency id (upper-case letters, digits and dashes, e.g. MAOC-N)`);

  const registryFile = path.join(root, 'subgraphs', 'subgraphs.yaml');
  const registry = loadSubgraphRegistry(registryFile);
  if (registry.subgraphs.some((s) => s.name === name)) throw new ScaffoldError(`subgraph ${name} is already registered in subgraphs/subgraphs.yaml`);
  const dir = path.join(root, 'subgraphs', name);
  if (fs.existsSync(dir)) throw new ScaffoldError(`subgraphs/${name} already exists; nothing was overwritten`);

  const agenciesFile = path.join(root, 'policies', 'agencies.yaml');
  const agencies = readAgencies(agenciesFile);
  const entry = agencies.find((a) => a.id === agency);
  if (!entry) throw new ScaffoldError(`agency ${agency} is not in policies/agencies.yaml: add it there first (its identity provider is a security decision)`);
  if (entry.subgraph !== undefined && entry.subgraph !== 'none') throw new ScaffoldError(`agency ${agency} already owns subgraph ${entry.subgraph}`);
  const other = agencies.find((a) => a.id !== agency);
  if (!other) throw new ScaffoldError('policies/agencies.yaml names no other agency to write the denial test with');

  const used = new Set(registry.subgraphs.map((s) => s.port));
  const port = request.port ?? Math.max(...used) + 1;
  if (!Number.isInteger(port) || port < 1024 || port > 65535) throw new ScaffoldError(`port ${String(request.port)}: must be a whole number between 1024 and 65535`);
  if (used.has(port)) throw new ScaffoldError(`port ${port} is already used by ${registry.subgraphs.find((s) => s.port === port)?.name}`);

  const today = request.today ?? new Date().toISOString().slice(0, 10);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(today)) throw new ScaffoldError(`today ${today}: must be YYYY-MM-DD`);
  const values: TemplateValues = {
    name,
    Name: pascal(name),
    NAME: name.toUpperCase(),
    agency,
    agencyLower: agency.toLowerCase(),
    agencySnake: snake(agency),
    other: other.id,
    otherSnake: snake(other.id),
    port,
    today,
  };

  const files = new Map<string, string>();
  for (const template of templateFiles()) {
    const target = path.join(template.target === 'workspace' ? dir : path.join(root, 'policies'), renderTemplate(template.relative, values));
    files.set(target, renderTemplate(fs.readFileSync(template.file, 'utf8'), values));
  }
  for (const file of files.keys()) {
    if (fs.existsSync(file)) throw new ScaffoldError(`${path.relative(root, file)} already exists; nothing was overwritten`);
  }

  const registryText = fs.readFileSync(registryFile, 'utf8');
  const edits = new Map<string, string>([
    [registryFile, `${registryText.endsWith('\n') ? registryText : `${registryText}\n`}${registryEntry(values)}`],
    [agenciesFile, ownSubgraphInAgencies(fs.readFileSync(agenciesFile, 'utf8'), agency, name)],
  ]);
  // The Kubernetes gateway Deployment names each subgraph's URL (deploy/kubernetes, docs/deploy.md).
  const deployment = path.join(root, 'deploy', 'kubernetes', 'gateway-deployment.yaml');
  if (fs.existsSync(deployment)) edits.set(deployment, routeInDeployment(fs.readFileSync(deployment, 'utf8'), values));
  return { files, edits, registry };
}

/** Scaffolds the subgraph (see the file comment). @throws ScaffoldError, having changed nothing. */
export function scaffoldSubgraph(request: ScaffoldRequest): ScaffoldResult {
  const root = path.resolve(request.root);
  const { files, edits } = plan({ ...request, root });
  const supergraphFile = path.join(root, 'schema', 'supergraph.graphql');
  const originals = new Map<string, string | undefined>();
  for (const file of [...edits.keys(), supergraphFile]) originals.set(file, fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : undefined);
  const workspace = path.join(root, 'subgraphs', request.name);

  const rollBack = (): void => {
    fs.rmSync(workspace, { recursive: true, force: true });
    for (const file of files.keys()) if (!file.startsWith(workspace)) fs.rmSync(file, { force: true });
    for (const [file, text] of originals) {
      if (text === undefined) fs.rmSync(file, { force: true });
      else fs.writeFileSync(file, text);
    }
  };

  try {
    for (const [file, text] of files) {
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, text, { flag: 'wx' });
    }
    for (const [file, text] of edits) fs.writeFileSync(file, text);

    const composed = composeSupergraph(agencySubgraphs(loadSubgraphRegistry(path.join(root, 'subgraphs', 'subgraphs.yaml'))));
    if ('errors' in composed) throw new ScaffoldError(`the new subgraph does not compose:\n${formatCompositionProblems(composed.errors)}`);
    const policyDir = path.join(root, 'policies');
    const policy = loadPolicy({ dir: policyDir, supergraphSdl: composed.sdl });
    const tests = runPolicyTests(path.join(policyDir, 'tests'), policy);
    if (tests.failed > 0) throw new ScaffoldError(`policy tests fail with the new subgraph:\n${tests.format()}`);
    fs.mkdirSync(path.dirname(supergraphFile), { recursive: true });
    fs.writeFileSync(supergraphFile, composed.sdl);
    return {
      created: [...files.keys()].map((f) => path.relative(root, f)).sort(),
      modified: [...edits.keys(), supergraphFile].map((f) => path.relative(root, f)),
      policyTests: tests.results.length,
    };
  } catch (err) {
    rollBack();
    if (err instanceof ScaffoldError) throw err;
    throw new ScaffoldError(`scaffold taken back: ${(err as Error).message}`);
  }
}
