/**
 * The container image and the Kubernetes manifests, checked without a Docker engine or a cluster
 * (neither runs here): every manifest, the rendered ones included, validates against the
 * Kubernetes 1.27 OpenAPI schemas (kubernetes-models), the facts that keep a rollout safe hold
 * (probes, grace period above the drain, PDB and Service selecting the pods, non-root, read-only
 * root filesystem), the init container's shell really lays out keys and policies, and the
 * Dockerfile's runtime stage is what `deploy/assemble-runtime.sh` builds: built JavaScript and
 * production dependencies only, which run with plain node.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import YAML from 'yaml';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { Secret } from 'kubernetes-models/v1/Secret';
import { Service } from 'kubernetes-models/v1/Service';
import { loadSubgraphRegistry } from '@pactum/schema';
import { GATEWAY_MALLOC_ARENAS } from '@pactum/gateway/src/config/gateway-process';
import { gatewayKeysFromEnv } from '@pactum/subgraph-kit';
import { buildTree, repoRoot, runBuilt } from '../../src/built-tree';

const deployDir = path.join(repoRoot, 'deploy/kubernetes');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { render } = require(path.join(deployDir, 'render.js')) as { render: (what: string, options?: Record<string, string>) => unknown[] };

type Doc = { apiVersion: string; kind: string; metadata: { name: string; labels?: Record<string, string> }; [key: string]: unknown };
interface Container {
  name: string;
  command?: string[];
  ports?: { name?: string; containerPort: number }[];
  env?: { name: string; value?: string; valueFrom?: { secretKeyRef?: { name: string; key: string } } }[];
  livenessProbe?: { httpGet?: { path: string; port: string | number } };
  readinessProbe?: { httpGet?: { path: string; port: string | number } };
  lifecycle?: { preStop?: { exec?: { command: string[] } } };
  securityContext?: { allowPrivilegeEscalation?: boolean; readOnlyRootFilesystem?: boolean; capabilities?: { drop?: string[] } };
  volumeMounts?: { name: string; mountPath: string }[];
}
interface PodSpec {
  terminationGracePeriodSeconds?: number;
  securityContext?: { runAsNonRoot?: boolean; runAsUser?: number };
  initContainers?: Container[];
  containers: Container[];
  volumes?: { name: string; secret?: { secretName: string }; configMap?: { name: string } }[];
}
type DeploymentDoc = Doc & { spec: { selector: { matchLabels: Record<string, string> }; template: { metadata: { labels: Record<string, string> }; spec: PodSpec } } };

const MODELS: Record<string, new (data: never) => { validate(): void }> = {
  'apps/v1 Deployment': Deployment,
  'v1 Service': Service,
  'v1 ConfigMap': ConfigMap,
  'v1 Secret': Secret,
  'policy/v1 PodDisruptionBudget': PodDisruptionBudget,
};

/** Validates one document against its kind's schema; throws naming the file and the problem. */
function validate(doc: Doc, where: string): void {
  const Model = MODELS[`${doc.apiVersion} ${doc.kind}`];
  if (!Model) throw new Error(`${where}: no schema for ${doc.apiVersion} ${doc.kind}`);
  try {
    new Model(doc as never).validate();
  } catch (err) {
    throw new Error(`${where}: ${doc.kind} ${doc.metadata?.name}: ${(err as Error).message}`);
  }
}

function readManifests(): { file: string; doc: Doc }[] {
  return fs
    .readdirSync(deployDir)
    .filter((f) => f.endsWith('.yaml'))
    .flatMap((f) => YAML.parseAllDocuments(fs.readFileSync(path.join(deployDir, f), 'utf8')).map((d) => ({ file: f, doc: d.toJS() as Doc })));
}

const written = readManifests();
const rendered = [...render('policies'), ...render('subgraphs')].map((doc) => ({ file: 'render.js', doc: doc as Doc }));
const all = [...written, ...rendered];
const byKind = (kind: string, name: string): Doc | undefined => all.find(({ doc }) => doc.kind === kind && doc.metadata.name === name)?.doc;
const gateway = byKind('Deployment', 'pactum-gateway') as DeploymentDoc;
const gatewayPod = gateway.spec.template.spec;
const gatewayContainer = gatewayPod.containers[0] as Container;
const envOf = (c: Container, name: string): string | undefined => c.env?.find((e) => e.name === name)?.value;

test('the written manifests are a Deployment, Service, PodDisruptionBudget and example Secrets for the gateway', () => {
  expect(written.map(({ doc }) => `${doc.kind}/${doc.metadata.name}`).sort()).toEqual(
    ['Deployment/pactum-gateway', 'PodDisruptionBudget/pactum-gateway', 'Secret/pactum-gateway', 'Secret/pactum-gateway-keys', 'Service/pactum-gateway'].sort(),
  );
});

test.each(all.map(({ file, doc }) => [`${file}: ${doc.kind}/${doc.metadata.name}`, file, doc] as const))('%s validates against the Kubernetes schema', (_name, file, doc) => {
  expect(() => validate(doc, file)).not.toThrow();
});

test('the schema check can fail: a wrong type, a missing required field and an unknown kind are refused', () => {
  const wrongType = structuredClone(gateway);
  (wrongType.spec.template.spec.containers[0] as Container).ports = [{ name: 'http', containerPort: 'four thousand' as unknown as number }];
  expect(() => validate(wrongType, 'x')).toThrow(/containerPort must be integer/);
  const noSelector = structuredClone(gateway) as Partial<DeploymentDoc> & Doc;
  delete (noSelector.spec as Partial<DeploymentDoc['spec']>).selector;
  expect(() => validate(noSelector, 'x')).toThrow(/selector/);
  const badProbe = structuredClone(gateway);
  (badProbe.spec.template.spec.containers[0] as Container).livenessProbe = { httpGet: { path: '/healthz' } as never };
  expect(() => validate(badProbe, 'x')).toThrow(/port/);
  expect(() => validate({ apiVersion: 'v9', kind: 'Gateway', metadata: { name: 'x' } }, 'x')).toThrow(/no schema for v9 Gateway/);
});

test('the gateway container starts with the process environment `pactum start` gives it (malloc arenas)', () => {
  expect(envOf(gatewayContainer, 'MALLOC_ARENA_MAX')).toBe(GATEWAY_MALLOC_ARENAS);
});

test('liveness is /healthz, readiness /readyz, on the container port the Service targets', () => {
  expect(gatewayContainer.livenessProbe?.httpGet).toEqual({ path: '/healthz', port: 'http' });
  expect(gatewayContainer.readinessProbe?.httpGet).toEqual({ path: '/readyz', port: 'http' });
  expect(gatewayContainer.ports).toEqual([expect.objectContaining({ name: 'http', containerPort: Number(envOf(gatewayContainer, 'PACTUM_GATEWAY_PORT')) })]);
  const service = byKind('Service', 'pactum-gateway') as Doc & { spec: { selector: Record<string, string>; ports: { targetPort: string }[] } };
  expect(service.spec.ports.map((p) => p.targetPort)).toEqual(['http']);
  expect(gateway.spec.template.metadata.labels).toMatchObject(service.spec.selector);
});

test('the grace period outlasts the preStop pause plus the drain, so the kubelet never kills a request in flight', () => {
  const drainMs = Number(envOf(gatewayContainer, 'PACTUM_DRAIN_TIMEOUT_MS'));
  expect(drainMs).toBeGreaterThan(0);
  const preStop = gatewayContainer.lifecycle?.preStop?.exec?.command ?? [];
  expect(preStop[0]).toBe('sleep');
  const pauseMs = Number(preStop[1]) * 1000;
  expect((gatewayPod.terminationGracePeriodSeconds ?? 30) * 1000).toBeGreaterThan(pauseMs + drainMs + 5000);
});

test('the PodDisruptionBudget keeps a gateway and selects the gateway pods; more than one replica rolls without a gap', () => {
  const pdb = byKind('PodDisruptionBudget', 'pactum-gateway') as Doc & { spec: { minAvailable?: number; selector: { matchLabels: Record<string, string> } } };
  expect(pdb.spec.minAvailable).toBeGreaterThanOrEqual(1);
  expect(gateway.spec.template.metadata.labels).toMatchObject(pdb.spec.selector.matchLabels);
  expect(gateway.spec.selector.matchLabels).toEqual(pdb.spec.selector.matchLabels);
  expect((gateway.spec as unknown as { replicas: number }).replicas).toBeGreaterThan(pdb.spec.minAvailable ?? 0);
  expect((gateway.spec as unknown as { strategy: { rollingUpdate: { maxUnavailable: number } } }).strategy.rollingUpdate.maxUnavailable).toBe(0);
});

test('every pod runs as non-root with a read-only root filesystem, no privilege escalation and no capabilities', () => {
  const deployments = all.filter(({ doc }) => doc.kind === 'Deployment').map(({ doc }) => doc as DeploymentDoc);
  expect(deployments.length).toBe(1 + loadSubgraphRegistry().subgraphs.length);
  for (const d of deployments) {
    const pod = d.spec.template.spec;
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true });
    expect(pod.securityContext?.runAsUser).not.toBe(0);
    for (const c of [...(pod.initContainers ?? []), ...pod.containers]) {
      expect([d.metadata.name, c.name, c.securityContext]).toEqual([d.metadata.name, c.name, { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } }]);
    }
  }
});

test('the gateway routes to every subgraph of the registry through a Service that exists, on its port', () => {
  for (const s of loadSubgraphRegistry().subgraphs) {
    const url = new URL(String(envOf(gatewayContainer, `PACTUM_${s.name.toUpperCase()}_URL`)));
    const service = byKind('Service', url.hostname) as Doc & { spec: { ports: { port: number }[] } };
    expect([s.name, service?.spec.ports[0]?.port]).toEqual([s.name, Number(url.port)]);
  }
});

test('each demo subgraph takes the gateway keys from a source the kit accepts, mounted where it reads it', () => {
  const subgraphs = all.filter(({ doc }) => doc.kind === 'Deployment' && doc.metadata.name !== 'pactum-gateway').map(({ doc }) => doc as DeploymentDoc);
  for (const d of subgraphs) {
    const container = d.spec.template.spec.containers[0] as Container;
    const env = Object.fromEntries((container.env ?? []).map((e) => [e.name, e.value]));
    expect(gatewayKeysFromEnv(env)).toEqual({ jwksFile: '/etc/pactum/gateway-jwks/jwks.json' });
    const mount = container.volumeMounts?.find((m) => m.mountPath === '/etc/pactum/gateway-jwks');
    const volume = d.spec.template.spec.volumes?.find((v) => v.name === mount?.name);
    expect(volume?.configMap?.name).toBe('pactum-gateway-jwks');
  }
});

test('the Secrets and the ConfigMap the gateway mounts or reads are the ones shipped or rendered', () => {
  for (const v of gatewayPod.volumes ?? []) {
    if (v.secret) expect(byKind('Secret', v.secret.secretName)).toBeDefined();
    if (v.configMap) expect(byKind('ConfigMap', v.configMap.name)).toBeDefined();
  }
  for (const e of gatewayContainer.env ?? []) {
    const ref = e.valueFrom?.secretKeyRef;
    if (ref) expect((byKind('Secret', ref.name) as Doc & { stringData: Record<string, string> }).stringData).toHaveProperty(ref.key);
  }
});

describe('the init container', () => {
  const script = (gatewayPod.initContainers?.[0]?.command ?? [])[2] ?? '';
  let root: string;
  beforeEach(() => (root = fs.mkdtempSync(path.join(os.tmpdir(), 'pactum-init-'))));
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  test('lays out the rendered policy ConfigMap as the policy folder and installs the keys as 0600', () => {
    // The volumes as the kubelet mounts them: one file per key (and the hidden ..data entries).
    const configMap = render('policies')[0] as { data: Record<string, string> };
    fs.mkdirSync(path.join(root, 'etc/pactum/policies/..data'), { recursive: true });
    for (const [key, text] of Object.entries(configMap.data)) fs.writeFileSync(path.join(root, 'etc/pactum/policies', key), text);
    fs.mkdirSync(path.join(root, 'etc/pactum/keys'), { recursive: true });
    fs.writeFileSync(path.join(root, 'etc/pactum/keys/gateway.private.jwk'), '{"kty":"OKP"}', { mode: 0o440 });
    const run = spawnSync('sh', ['-c', script.replaceAll('/etc/pactum', `${root}/etc/pactum`).replaceAll('/var/lib/pactum', `${root}/var/lib/pactum`)], { encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(fs.statSync(path.join(root, 'var/lib/pactum/keys/gateway.private.jwk')).mode & 0o777).toBe(0o600);
    const shipped = (dir: string): string[] =>
      fs.readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.yaml') && !f.startsWith('tests')).sort();
    expect(shipped(path.join(root, 'var/lib/pactum/policies'))).toEqual(shipped(path.join(repoRoot, 'policies')));
    for (const file of shipped(path.join(repoRoot, 'policies'))) {
      expect([file, fs.readFileSync(path.join(root, 'var/lib/pactum/policies', file), 'utf8')]).toEqual([file, fs.readFileSync(path.join(repoRoot, 'policies', file), 'utf8')]);
    }
  });

  test('fails (and so does the pod) when a file cannot be installed', () => {
    fs.mkdirSync(path.join(root, 'etc/pactum/policies'), { recursive: true });
    fs.mkdirSync(path.join(root, 'etc/pactum/keys'), { recursive: true });
    fs.writeFileSync(path.join(root, 'etc/pactum/keys/gateway.private.jwk'), '{}');
    fs.mkdirSync(path.join(root, 'var/lib/pactum/keys/gateway.private.jwk'), { recursive: true }); // a folder in the way
    const run = spawnSync('sh', ['-c', script.replaceAll('/etc/pactum', `${root}/etc/pactum`).replaceAll('/var/lib/pactum', `${root}/var/lib/pactum`)], { encoding: 'utf8' });
    expect(run.status).not.toBe(0);
  });
});

test('render.js refuses a folder that is not a policy folder and a policy file name that cannot be a ConfigMap key', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pactum-render-'));
  try {
    fs.writeFileSync(path.join(dir, 'purposes.yaml'), 'version: 1\n');
    expect(() => render('policies', { policies: dir })).toThrow(/no agencies.yaml; not a policy folder/);
    fs.writeFileSync(path.join(dir, 'agencies.yaml'), 'version: 1\n');
    fs.writeFileSync(path.join(dir, 'a__b.yaml'), 'version: 1\n');
    expect(() => render('policies', { policies: dir })).toThrow(/a__b.yaml: a policy file name must be/);
    expect(() => render('helm')).toThrow(/unknown manifest "helm"/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

describe('the Dockerfile', () => {
  const dockerfile = fs.readFileSync(path.join(repoRoot, 'Dockerfile'), 'utf8');
  // Stages in order, each with its instructions (continuation lines joined).
  const stages = dockerfile
    .replace(/\\\n/g, ' ')
    .split('\n')
    .filter((l) => l.trim() !== '' && !l.trim().startsWith('#'))
    .reduce<{ name: string; lines: string[] }[]>((acc, line) => {
      const from = /^FROM\s+\S+(?:\s+AS\s+(\S+))?/i.exec(line);
      if (from) acc.push({ name: from[1] ?? '', lines: [] });
      else acc.at(-1)?.lines.push(line.trim());
      return acc;
    }, []);
  const runtime = stages.at(-1) as { name: string; lines: string[] };
  let assembled: string;

  beforeAll(() => {
    buildTree();
    assembled = fs.mkdtempSync(path.join(os.tmpdir(), 'pactum-image-'));
    const run = spawnSync('sh', ['deploy/assemble-runtime.sh', assembled], { cwd: repoRoot, encoding: 'utf8', env: { ...process.env, NODE_MODULES: 'link' } });
    if (run.status !== 0) throw new Error(run.stderr);
  }, 600_000);
  afterAll(() => assembled && fs.rmSync(assembled, { recursive: true, force: true }));

  test('is multi-stage; the build stage prunes dev dependencies before it assembles the runtime tree', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    const build = stages.find((s) => s.name === 'build');
    const steps = build?.lines.join(' ') ?? '';
    expect(steps).toMatch(/npm ci\b.*npm run build.*npm prune --omit=dev.*deploy\/assemble-runtime\.sh \/out/);
  });

  test('the runtime stage copies only the assembled tree, runs as a non-root user, in production', () => {
    const copies = runtime.lines.filter((l) => /^(COPY|ADD)\b/i.test(l));
    expect(copies).toEqual(['COPY --from=build /out /app']);
    const users = runtime.lines.filter((l) => /^USER\b/i.test(l)).map((l) => l.split(/\s+/)[1]);
    expect(users.length).toBeGreaterThan(0);
    expect(['root', '0', '0:0']).not.toContain(users.at(-1));
    expect(runtime.lines.join('\n')).toMatch(/NODE_ENV=production/);
    expect(runtime.lines.join('\n')).toMatch(new RegExp(`MALLOC_ARENA_MAX=${GATEWAY_MALLOC_ARENAS}\\b`));
  });

  test('its CMD and the manifests\' commands start built JavaScript that the assembled tree holds', () => {
    const cmd = runtime.lines.find((l) => l.startsWith('CMD')) ?? '';
    const argv = JSON.parse(cmd.slice(3).trim()) as string[];
    expect(argv[0]).toBe('node');
    const commands = [argv, ...all.filter(({ doc }) => doc.kind === 'Deployment').map(({ doc }) => (doc as DeploymentDoc).spec.template.spec.containers[0]?.command ?? [])];
    for (const command of commands) {
      const script = command.find((a) => a.endsWith('.js')) ?? '';
      expect([script, fs.existsSync(path.join(assembled, script))]).toEqual([script, true]);
    }
    expect(gatewayContainer.command).toEqual(argv);
  });

  test('the assembled tree holds no TypeScript sources, tests or policy tests', () => {
    const files = fs.readdirSync(assembled, { recursive: true, encoding: 'utf8' }).filter((f) => !f.split(path.sep).includes('node_modules'));
    expect(files.filter((f) => /\.ts$|__tests__|(^|\/)src\//.test(f))).toEqual([]);
    expect(fs.existsSync(path.join(assembled, 'test'))).toBe(false);
    expect(fs.existsSync(path.join(assembled, 'policies/tests'))).toBe(false);
    expect(fs.existsSync(path.join(assembled, 'policies/agencies.yaml'))).toBe(true);
  });

  test('the `pactum` bin of the assembled tree runs the built CLI with plain node', () => {
    const state = fs.mkdtempSync(path.join(os.tmpdir(), 'pactum-image-state-'));
    try {
      const env = { PACTUM_STATE_DIR: state, NODE_ENV: '' };
      const token = runBuilt(path.relative(repoRoot, path.join(assembled, 'gateway/bin/pactum.js')), ['token', '--agency', 'NL-POLICE', '--sub', 'j.devries', '--clearance', 'SECRET', '--purposes', 'drug-trafficking'], env);
      expect(token.stderr).toBe('');
      expect(token.status).toBe(0);
      const check = runBuilt(path.relative(repoRoot, path.join(assembled, 'gateway/bin/pactum.js')), ['policy', 'check'], env);
      expect(check.status).toBe(0);
    } finally {
      fs.rmSync(state, { recursive: true, force: true });
    }
  });

  test('production dependencies leave out the development tooling', () => {
    const ls = spawnSync('npm', ['ls', '--omit=dev', '--all', '--parseable'], { cwd: repoRoot, encoding: 'utf8' });
    const names = new Set(ls.stdout.split('\n').map((p) => path.relative(path.join(repoRoot, 'node_modules'), p)));
    for (const tool of ['tsx', 'typescript', 'jest', '@swc/core', 'eslint', 'turbo', 'msw', 'kubernetes-models', 'autocannon', 'playwright-core']) {
      expect([tool, names.has(tool)]).toEqual([tool, false]);
    }
    expect(names.has('better-sqlite3')).toBe(true);
  });
});
