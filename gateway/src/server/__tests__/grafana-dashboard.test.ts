/**
 * `docs/grafana/pactum.json` is built on exactly the series the gateway exports: every expression
 * names only series of the gateway's registry (histograms through `_bucket` / `_sum` / `_count`)
 * and only labels those series carry, and every Pactum series has a panel.
 */
import fs from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../../config/paths';
import { createGatewayMetrics, METRIC_NAMES } from '../metrics';

interface Panel {
  readonly title: string;
  readonly type: string;
  readonly targets?: readonly { readonly expr: string }[];
}

const dashboard = JSON.parse(fs.readFileSync(path.join(repoRoot(), 'docs/grafana/pactum.json'), 'utf8')) as { panels: Panel[]; templating: { list: { query?: unknown }[] } };
const metrics = createGatewayMetrics();

/** Every series name the registry exports, with the labels it carries. */
async function exported(): Promise<Map<string, Set<string>>> {
  const out = new Map<string, Set<string>>();
  for (const m of await metrics.registry.getMetricsAsJSON()) {
    const metric = metrics.registry.getSingleMetric(m.name) as unknown as { labelNames?: readonly string[] } | undefined;
    const labels = new Set(metric?.labelNames ?? []);
    for (const v of m.values) for (const l of Object.keys(v.labels)) labels.add(l);
    if (String(m.type) === 'histogram') {
      out.set(`${m.name}_bucket`, new Set([...labels, 'le']));
      out.set(`${m.name}_sum`, labels);
      out.set(`${m.name}_count`, labels);
    } else out.set(m.name, labels);
  }
  return out;
}

const expressions = dashboard.panels.flatMap((p) => (p.targets ?? []).map((t) => ({ panel: p.title, expr: t.expr })));
/** Labels every scraped series gets from Prometheus. */
const TARGET_LABELS = ['job', 'instance'];

test('the dashboard has panels with expressions', () => {
  expect(expressions.length).toBeGreaterThan(15);
});

test.each(expressions)('$panel: names only exported series and their labels', async ({ expr }) => {
  const series = await exported();
  const names = [...expr.matchAll(/\b(pactum_[a-z0-9_]+)\b/g)].map((m) => m[1] as string);
  expect(names.length).toBeGreaterThan(0);
  for (const name of names) expect([...series.keys()]).toContain(name);
  const allowed = new Set([...TARGET_LABELS, ...names.flatMap((n) => [...(series.get(n) ?? [])])]);
  const matchers = [...expr.matchAll(/([a-z_]+)\s*=~?\s*"/g)].map((m) => m[1] as string);
  const grouped = [...expr.matchAll(/\bby\s*\(([^)]*)\)/g)].flatMap((m) => (m[1] as string).split(',').map((l) => l.trim()));
  for (const label of [...matchers, ...grouped]) expect(allowed).toContain(label);
});

test('every Pactum series has a panel', () => {
  const all = expressions.map((e) => e.expr).join('\n');
  for (const name of METRIC_NAMES) expect(all).toMatch(new RegExp(`\\b${name}(_bucket|_sum|_count)?\\b`));
});

test('the template variables query a series the gateway exports', () => {
  const queries = dashboard.templating.list.map((v) => v.query).filter((q): q is string => typeof q === 'string' && q.includes('pactum_'));
  expect(queries.length).toBeGreaterThan(0);
  for (const q of queries) expect(q).toContain('pactum_requests_total');
});
