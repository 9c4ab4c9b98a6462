#!/usr/bin/env node
// Renders the two manifests that are derived from the repository rather than written by hand, so
// they cannot drift from it:
//
//   node deploy/kubernetes/render.js policies [--policies <dir>]  > policies-configmap.yaml
//     the ConfigMap `pactum-policies` from a policy folder (default policies/; policy tests are
//     left out). A ConfigMap key cannot hold a '/', so agreements/x.yaml is stored under the key
//     agreements__x.yaml; the gateway Deployment's init container lays the keys out as the policy
//     folder again (docs/deploy.md).
//   node deploy/kubernetes/render.js subgraphs [--image <image>]  > demo-subgraphs.yaml
//     a Deployment and a Service per subgraph of subgraphs/subgraphs.yaml: the demo agencies on
//     their seeded SQLite data, verifying context tokens against the gateway's JWKS (ConfigMap
//     pactum-gateway-jwks, from `pactum keys jwks`).
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { parseArgs } = require('node:util');
const YAML = require('yaml');

const root = path.resolve(__dirname, '..', '..');
const LABELS = { 'app.kubernetes.io/part-of': 'pactum' };

/** Every policy file below `dir` except policy tests: [{ key, path }]. */
function policyFiles(dir) {
  const out = [];
  const walk = (rel) => {
    for (const entry of fs.readdirSync(path.join(dir, rel), { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const file = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) {
        if (file !== 'tests') walk(file);
      } else if (/\.ya?ml$/.test(entry.name)) {
        if (!/^[-._a-zA-Z0-9/]+$/.test(file) || file.includes('__')) throw new Error(`${file}: a policy file name must be letters, digits, '-', '.', '_' (no '__') to be a ConfigMap key`);
        out.push({ key: file.split('/').join('__'), path: file });
      }
    }
  };
  walk('');
  return out;
}

function renderPolicies(dir) {
  const files = policyFiles(dir);
  if (!files.some((f) => f.path === 'agencies.yaml')) throw new Error(`${dir}: no agencies.yaml; not a policy folder`);
  const configMap = {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'pactum-policies', labels: { 'app.kubernetes.io/name': 'pactum-gateway', ...LABELS } },
    data: Object.fromEntries(files.map((f) => [f.key, fs.readFileSync(path.join(dir, f.path), 'utf8')])),
  };
  const bytes = Buffer.byteLength(JSON.stringify(configMap.data));
  if (bytes > 900 * 1024) throw new Error(`${dir}: ${bytes} bytes of policies, too close to a ConfigMap's 1 MiB`);
  return [configMap];
}

function renderSubgraphs(image) {
  const registry = YAML.parse(fs.readFileSync(path.join(root, 'subgraphs', 'subgraphs.yaml'), 'utf8'));
  return registry.subgraphs.flatMap((s) => {
    const name = `pactum-${s.name}`;
    const labels = { 'app.kubernetes.io/name': name, ...LABELS };
    const probe = (p) => ({ httpGet: { path: p, port: 'http' }, periodSeconds: 10, timeoutSeconds: 2 });
    return [
      {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name, labels },
        spec: {
          replicas: 1,
          selector: { matchLabels: { 'app.kubernetes.io/name': name } },
          template: {
            metadata: { labels },
            spec: {
              terminationGracePeriodSeconds: 20,
              automountServiceAccountToken: false,
              securityContext: { runAsNonRoot: true, runAsUser: 1000, runAsGroup: 1000, fsGroup: 1000, seccompProfile: { type: 'RuntimeDefault' } },
              containers: [
                {
                  name: 'subgraph',
                  image,
                  command: ['node', `${s.workspace}/dist/main.js`],
                  ports: [{ name: 'http', containerPort: s.port, protocol: 'TCP' }],
                  env: [
                    { name: 'NODE_ENV', value: 'production' },
                    { name: 'PACTUM_HOST', value: '0.0.0.0' },
                    { name: `PACTUM_${s.name.toUpperCase()}_PORT`, value: String(s.port) },
                    { name: 'PACTUM_DATA_DIR', value: '/var/lib/pactum/data' },
                    // The gateway's published keys from a ConfigMap, which the kubelet updates in place:
                    // a key rotation reaches the subgraph without a restart (an in-cluster http URL
                    // would not be accepted: the kit takes https, or http to loopback only).
                    { name: 'PACTUM_GATEWAY_JWKS_FILE', value: '/etc/pactum/gateway-jwks/jwks.json' },
                  ],
                  livenessProbe: probe('/healthz'),
                  readinessProbe: probe('/healthz'),
                  resources: { requests: { cpu: '100m', memory: '96Mi' }, limits: { memory: '192Mi' } },
                  securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
                  volumeMounts: [
                    { name: 'data', mountPath: '/var/lib/pactum' },
                    { name: 'tmp', mountPath: '/tmp' },
                    { name: 'gateway-jwks', mountPath: '/etc/pactum/gateway-jwks', readOnly: true },
                  ],
                },
              ],
              volumes: [
                { name: 'data', emptyDir: { sizeLimit: '256Mi' } },
                { name: 'tmp', emptyDir: { sizeLimit: '16Mi' } },
                { name: 'gateway-jwks', configMap: { name: 'pactum-gateway-jwks' } },
              ],
            },
          },
        },
      },
      {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name, labels },
        spec: { type: 'ClusterIP', selector: { 'app.kubernetes.io/name': name }, ports: [{ name: 'http', port: s.port, targetPort: 'http', protocol: 'TCP' }] },
      },
    ];
  });
}

/** The rendered documents of `what` ('policies' | 'subgraphs'). */
function render(what, options = {}) {
  if (what === 'policies') return renderPolicies(path.resolve(options.policies ?? path.join(root, 'policies')));
  if (what === 'subgraphs') return renderSubgraphs(options.image ?? 'pactum:0.1.0');
  throw new Error(`unknown manifest "${what}" (policies | subgraphs)`);
}

module.exports = { render };

if (require.main === module) {
  try {
    const { values, positionals } = parseArgs({ allowPositionals: true, options: { policies: { type: 'string' }, image: { type: 'string' } } });
    if (positionals.length !== 1) throw new Error('usage: render.js policies [--policies <dir>] | subgraphs [--image <image>]');
    process.stdout.write(render(positionals[0], values).map((doc) => YAML.stringify(doc, { lineWidth: 0 })).join('---\n'));
  } catch (err) {
    process.stderr.write(`render: ${err.message}\n`);
    process.exit(2);
  }
}
