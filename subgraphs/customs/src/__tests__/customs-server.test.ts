import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCustomsSubgraph, customsMigrations, resolvers, seedCustoms, typeDefs } from '../index';
import { entitiesStatementCount, startHarness, type Harness } from '@pactum/demo-world/testing';
import { ALLOW_UNAUTHENTICATED, KitOptionsError } from '@pactum/subgraph-kit';

describe('customs subgraph over HTTP', () => {
  let h: Harness;
  let numbers: string[];
  beforeAll(async () => {
    h = await startHarness({ name: 'customs', typeDefs, resolvers, migrations: customsMigrations, seed: seedCustoms });
    numbers = (h.store.db.prepare('SELECT number FROM containers ORDER BY number LIMIT 50').all() as { number: string }[]).map((r) => r.number);
  });
  afterAll(() => h.stop());

  it('answers a container with its declarations, scans, seizures and port calls', async () => {
    const body = await h.request<{ container: { number: string; reefer: boolean; label: { owner: string }; declarations: { importer: { euid: string } | null }[]; seizures: { substance: string }[]; portCalls: { vessel: { imo: string } }[] } }>(
      `{ container(number: "MSCU1234566") { number reefer label { owner } declarations { importer { euid } } seizures { substance } portCalls { vessel { imo } } } }`,
    );
    expect(body.errors).toBeUndefined();
    const c = body.data?.container;
    expect(c?.number).toBe('MSCU1234566');
    expect(c?.reefer).toBe(true);
    expect(c?.label.owner).toBe('NL-CUSTOMS');
    expect(c?.declarations.length).toBeGreaterThan(0);
    expect(c?.declarations.every((d) => d.importer !== null)).toBe(true);
    expect(c?.seizures).toEqual([{ substance: 'cocaine' }]);
    expect(c?.portCalls.map((p) => p.vessel.imo)).toEqual(['9074729', '9074729']);
  });

  it('returns null for a valid but unknown container, and filters seizures by port', async () => {
    const body = await h.request<{ container: null; seizures: { port: string }[] }>(`{ container(number: "MSCU1234545") { number } seizures(port: "BEANR", first: 5) { port } }`);
    expect(body.errors).toBeUndefined();
    expect(body.data?.container).toBeNull();
    expect(body.data?.seizures).toHaveLength(5);
    expect(body.data?.seizures.every((s) => s.port === 'BEANR')).toBe(true);
  });

  it('refuses a malformed container number with BAD_USER_INPUT and the exact message', async () => {
    const literal = await h.request(`{ container(number: "MSCU1234567") { number } }`);
    expect(literal.errors?.[0]?.message).toBe('container number MSCU1234567: check digit should be 6');
    expect(literal.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const variable = await h.request('query ($n: ContainerNumber!) { container(number: $n) { number } }', { n: 'MSCU1234567' });
    expect(variable.errors?.[0]?.message).toContain('container number MSCU1234567: check digit should be 6');
    expect(variable.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const imo = await h.request(`{ vessel(imo: "9074728") { name } }`);
    expect(imo.errors?.[0]?.message).toBe('IMO number 9074728: check digit should be 9');
    expect(imo.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('refuses a page larger than the cap', async () => {
    const body = await h.request('{ seizures(first: 1000) { id } }');
    expect(body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(body.errors?.[0]?.message).toBe('seizures: first must be between 0 and 100, not 1000');
  });

  it('batches: 50 container references with all relations cost the same statements as 1', async () => {
    const selection = '... on Container { number label { owner } declarations { mrn importer { name } } scans { result } seizures { id } portCalls { port vessel { name } } }';
    const one = await entitiesStatementCount(h, selection, numbers.slice(0, 1).map((number) => ({ __typename: 'Container', number })));
    const fifty = await entitiesStatementCount(h, selection, numbers.map((number) => ({ __typename: 'Container', number })));
    expect(numbers).toHaveLength(50);
    expect(fifty).toBe(one);
    expect(one).toBeLessThanOrEqual(8);
  });
});

describe('createCustomsSubgraph', () => {
  it('creates and seeds its SQLite file on first start and reuses it on the next', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pactum-customs-'));
    try {
      const dbFile = join(dir, 'data', 'customs.sqlite');
      for (let start = 0; start < 2; start++) {
        const running = await createCustomsSubgraph({ port: 0, dbFile, authenticate: ALLOW_UNAUTHENTICATED });
        const response = await fetch(running.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ seizures(first: 100) { id } }' }) });
        const body = (await response.json()) as { data: { seizures: unknown[] } };
        expect(body.data.seizures).toHaveLength(100);
        await running.stop();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses to start without authenticate, before creating its store', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pactum-customs-'));
    try {
      const dbFile = join(dir, 'data', 'customs.sqlite');
      await expect(createCustomsSubgraph({ port: 0, dbFile } as never)).rejects.toThrow(KitOptionsError);
      await expect(createCustomsSubgraph({ port: 0, dbFile, authenticate: undefined } as never)).rejects.toThrow(
        "options.authenticate is required: pass the gateway context-token verifier, createContextTokenVerifier({ audience: 'customs'",
      );
      expect(existsSync(join(dir, 'data'))).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
