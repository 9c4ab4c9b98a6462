import path from 'node:path';
import { loadSubgraphRegistry } from '@pactum/schema';
import { loadGatewayConfig, subgraphsOfSupergraph } from '../gateway-config';
import { gatewayHeapMb, gatewayNodeArgs, gatewayProcessEnv } from '../gateway-process';
import { repoRoot } from '../paths';

describe('loadGatewayConfig', () => {
  it('defaults to the embedded setup: port 4000, the registered subgraphs on their ports, introspection off', () => {
    const config = loadGatewayConfig({});
    expect(config.port).toBe(4000);
    expect(config.host).toBe('127.0.0.1');
    expect(config.introspection).toBe(false);
    expect(Object.fromEntries(config.subgraphs.map((s) => [s.name, s.url]))).toEqual({
      police: 'http://127.0.0.1:4001/graphql',
      customs: 'http://127.0.0.1:4002/graphql',
      eurojust: 'http://127.0.0.1:4003/graphql',
      europol: 'http://127.0.0.1:4004/graphql',
      maoc: 'http://127.0.0.1:4005/graphql',
    });
    // The committed supergraph routes to exactly the registry's subgraphs, at the registry's URLs.
    expect(Object.fromEntries(config.subgraphs.map((s) => [s.name, s.url]))).toEqual(Object.fromEntries(loadSubgraphRegistry().subgraphs.map((s) => [s.name, s.url])));
    expect(config.policyDir).toBe(path.join(repoRoot(), 'policies'));
    expect(config.audit).toEqual({ file: path.join(repoRoot(), '.pactum', 'audit', 'audit.sqlite') });
  });

  it('bounds every request by default, each limit overridable', () => {
    expect(loadGatewayConfig({}).limits).toEqual({
      maxBodyBytes: 1024 * 1024,
      maxDocumentBytes: 64 * 1024,
      maxTokens: 2000,
      maxDepth: 12,
      maxAliases: 30,
      maxSelections: 1000,
      maxDirectives: 50,
      maxFieldRepeats: 32,
    });
    const limits = loadGatewayConfig({ PACTUM_MAX_TOKENS: '500', PACTUM_MAX_SELECTIONS: '200', PACTUM_MAX_DIRECTIVES: '0', PACTUM_MAX_DOCUMENT_BYTES: '2048' }).limits;
    expect([limits.maxTokens, limits.maxSelections, limits.maxDirectives, limits.maxDocumentBytes]).toEqual([500, 200, 0, 2048]);
  });

  it('bounds the executions in flight: 16 by default, PACTUM_MAX_CONCURRENT_EXECUTIONS otherwise', () => {
    expect(loadGatewayConfig({}).maxConcurrentExecutions).toBe(16);
    expect(loadGatewayConfig({ PACTUM_MAX_CONCURRENT_EXECUTIONS: '4' }).maxConcurrentExecutions).toBe(4);
    expect(loadGatewayConfig({}).maxQueuedExecutions).toBe(512);
    expect(loadGatewayConfig({ PACTUM_MAX_QUEUED_EXECUTIONS: '0' }).maxQueuedExecutions).toBe(0);
  });

  it('takes ports, URLs, folders and the audit store from the environment', () => {
    const config = loadGatewayConfig({
      PACTUM_GATEWAY_PORT: '0',
      PACTUM_POLICE_PORT: '5001',
      PACTUM_CUSTOMS_URL: 'http://customs.internal:8080/graphql',
      PACTUM_STATE_DIR: '/tmp/pactum-x',
      PACTUM_AUDIT_URL: 'postgres://audit@db/test',
      PACTUM_INTROSPECTION: '1',
    });
    expect(config.port).toBe(0);
    expect(config.subgraphs.find((s) => s.name === 'police')?.url).toBe('http://127.0.0.1:5001/graphql');
    expect(config.subgraphs.find((s) => s.name === 'customs')?.url).toBe('http://customs.internal:8080/graphql');
    expect(config.stateDir).toBe('/tmp/pactum-x');
    expect(config.audit).toEqual({ url: 'postgres://audit@db/test' });
    expect(config.introspection).toBe(true);
  });

  it('merges identical in-flight subgraph queries unless PACTUM_SUBGRAPH_DEDUP=off', () => {
    expect(loadGatewayConfig({}).subgraphDedup).toBe(true);
    expect(loadGatewayConfig({ PACTUM_SUBGRAPH_DEDUP: 'on' }).subgraphDedup).toBe(true);
    expect(loadGatewayConfig({ PACTUM_SUBGRAPH_DEDUP: 'off' }).subgraphDedup).toBe(false);
  });

  it.each([
    [{ PACTUM_GATEWAY_PORT: '40o0' }, 'PACTUM_GATEWAY_PORT=40o0: must be a whole number'],
    [{ PORT: '70000' }, 'PORT=70000: must be between 0 and 65535'],
    [{ PACTUM_POLICE_URL: 'not a url' }, 'PACTUM_POLICE_URL=not a url: not a URL'],
    [{ PACTUM_POLICE_URL: 'ftp://x/graphql' }, 'PACTUM_POLICE_URL=ftp://x/graphql: must be an http(s) URL'],
    [{ PACTUM_MAX_DEPTH: '1' }, 'PACTUM_MAX_DEPTH=1: must be between 2 and 100'],
    [{ PACTUM_MAX_TOKENS: '99' }, 'PACTUM_MAX_TOKENS=99: must be between 100 and 100000'],
    [{ PACTUM_MAX_SELECTIONS: 'many' }, 'PACTUM_MAX_SELECTIONS=many: must be a whole number'],
    [{ PACTUM_MAX_DIRECTIVES: '10001' }, 'PACTUM_MAX_DIRECTIVES=10001: must be between 0 and 10000'],
    [{ PACTUM_MAX_FIELD_REPEATS: '0' }, 'PACTUM_MAX_FIELD_REPEATS=0: must be between 1 and 10000'],
    [{ PACTUM_MAX_DOCUMENT_BYTES: '1000' }, 'PACTUM_MAX_DOCUMENT_BYTES=1000: must be between 1024 and 16777216'],
    [{ PACTUM_SUPERGRAPH: 'nowhere.graphql' }, 'cannot be read'],
    [{ PACTUM_MAX_CONCURRENT_EXECUTIONS: '0' }, 'PACTUM_MAX_CONCURRENT_EXECUTIONS=0: must be between 1 and 10000'],
    [{ PACTUM_MAX_QUEUED_EXECUTIONS: '-1' }, 'PACTUM_MAX_QUEUED_EXECUTIONS=-1'],
    [{ PACTUM_SUBGRAPH_DEDUP: 'yes' }, 'PACTUM_SUBGRAPH_DEDUP=yes: must be on or off'],
    [{ PACTUM_SUBGRAPH_DEDUP: '0' }, 'PACTUM_SUBGRAPH_DEDUP=0: must be on or off'],
    [{ PACTUM_SUBGRAPH_DEDUP: 'OFF' }, 'PACTUM_SUBGRAPH_DEDUP=OFF: must be on or off'],
  ])('refuses %j naming the option', (env, message) => {
    expect(() => loadGatewayConfig(env)).toThrow(message);
  });
});

describe('subgraphsOfSupergraph', () => {
  it('reads the join__Graph names and URLs', () => {
    const sdl = 'enum join__Graph {\n  A @join__graph(name: "alpha", url: "http://a:1/graphql")\n  B @join__graph(name: "beta", url: "http://b:2/graphql")\n}';
    expect(subgraphsOfSupergraph(sdl)).toEqual([
      { name: 'alpha', url: 'http://a:1/graphql' },
      { name: 'beta', url: 'http://b:2/graphql' },
    ]);
  });
});

describe('gateway process options', () => {
  it('caps the V8 heap at 192 MiB unless told otherwise', () => {
    expect(gatewayNodeArgs({})).toEqual(['--max-old-space-size=192']);
    expect(gatewayHeapMb({ PACTUM_GATEWAY_HEAP_MB: '512' })).toBe(512);
  });

  it("starts with two malloc arenas unless the operator's environment says otherwise", () => {
    expect(gatewayProcessEnv({})).toEqual({ MALLOC_ARENA_MAX: '2' });
    expect(gatewayProcessEnv({ MALLOC_ARENA_MAX: '' })).toEqual({ MALLOC_ARENA_MAX: '2' });
    expect(gatewayProcessEnv({ MALLOC_ARENA_MAX: '4' })).toEqual({ MALLOC_ARENA_MAX: '4' });
  });

  it.each(['0', 'two', '-1', '2.5', '99999'])('refuses MALLOC_ARENA_MAX=%s (glibc would ignore it silently)', (value) => {
    expect(() => gatewayProcessEnv({ MALLOC_ARENA_MAX: value })).toThrow(`MALLOC_ARENA_MAX=${value}: must be a whole number`);
  });

  it.each(['12', 'lots', '99999'])('refuses PACTUM_GATEWAY_HEAP_MB=%s', (value) => {
    expect(() => gatewayHeapMb({ PACTUM_GATEWAY_HEAP_MB: value })).toThrow(`PACTUM_GATEWAY_HEAP_MB=${value}`);
  });
});
