/**
 * Tracing is off by default and then costs nothing: the gateway (main and its tracing door)
 * loads no part of the tracing SDK or exporter. Asked for, it loads them; asked wrongly, it says
 * which variable is wrong. Each case runs in a fresh process (one tracer provider per process).
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';

const gateway = path.resolve(__dirname, '../../..');
const TRACING_SDK = ['@opentelemetry/sdk-trace-node', '@opentelemetry/sdk-trace-base', '@opentelemetry/exporter-trace-otlp-http', '@opentelemetry/context-async-hooks'];

function probe(env: Record<string, string>, withMain = false): { on: boolean; loaded: string[]; error?: string } {
  const script = `
    ${withMain ? `require(${JSON.stringify(path.join(gateway, 'src/main.ts'))});` : ''}
    const { gatewayTracingFromEnv } = require(${JSON.stringify(path.join(gateway, 'src/tracing/index.ts'))});
    let on = false, error;
    try { on = gatewayTracingFromEnv(process.env) !== undefined; } catch (e) { error = e.message; }
    const loaded = [...new Set(Object.keys(require.cache).map((k) => (/node_modules\\/(@opentelemetry\\/[^/]+)/.exec(k) || [])[1]).filter(Boolean))];
    process.stdout.write(JSON.stringify({ on, loaded, error }));`;
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('OTEL_')));
  const run = spawnSync(process.execPath, ['--import', 'tsx', '-e', script], { cwd: gateway, env: { ...clean, ...env }, encoding: 'utf8', timeout: 60_000 });
  if (run.status !== 0) throw new Error(run.stderr);
  return JSON.parse(run.stdout) as { on: boolean; loaded: string[]; error?: string };
}

test('off by default: the whole gateway loads no tracing SDK module', () => {
  const result = probe({}, true);
  expect(result.on).toBe(false);
  expect(result.loaded.filter((m) => TRACING_SDK.includes(m))).toEqual([]);
});

test.each([['OTEL_TRACES_EXPORTER', 'none'], ['OTEL_SDK_DISABLED', 'true']])('%s=%s: off', (name, value) => {
  const result = probe({ [name]: value, ...(name === 'OTEL_SDK_DISABLED' ? { OTEL_TRACES_EXPORTER: 'otlp' } : {}) });
  expect(result.on).toBe(false);
  expect(result.loaded.filter((m) => TRACING_SDK.includes(m))).toEqual([]);
});

test('OTEL_TRACES_EXPORTER=otlp: on, with the node SDK and the OTLP exporter', () => {
  const result = probe({ OTEL_TRACES_EXPORTER: 'otlp', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:9' });
  expect(result.on).toBe(true);
  expect(result.loaded).toEqual(expect.arrayContaining(['@opentelemetry/sdk-trace-node', '@opentelemetry/exporter-trace-otlp-http']));
});

test('a value it does not know stops the start, naming the variable', () => {
  const result = probe({ OTEL_TRACES_EXPORTER: 'jaeger' });
  expect(result.error).toBe('OTEL_TRACES_EXPORTER=jaeger: must be otlp, console or none');
});
