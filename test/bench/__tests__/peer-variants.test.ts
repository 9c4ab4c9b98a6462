/**
 * The peers still start and answer through the bench's wiring: installed (once per lockfile) into
 * test/bench/peers/, each default peer is started over real subgraphs and asked one lookup, which
 * only succeeds if its context tokens reach the subgraph. No figure is measured. Grafbase's
 * configuration is also checked for what each variant switches, the dedup switches against a
 * counting stand-in subgraph, and the bench's extra rows (`bench-seed.ts`) against the same
 * seeded stores.
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { ensureGatewayKeys } from '../../../gateway/src/auth';
import { BENCH_PORTS, LARGE_DOSSIER, LARGE_DOSSIER_CONTAINER, listContainer, seedBenchRows } from '../bench-seed';
import { grafbaseTokenHeader, startPeerVariant, writeGrafbaseConfig, type PeerVariantName } from '../peer-variants';
import { ensurePeersInstalled } from '../peers/peers-install';
import { allocateSubgraphPorts, startSubgraphFleet, subgraphUrl, type SubgraphFleet } from '../subgraph-fleet';

const LOOKUP = JSON.stringify({ query: 'query ContainerLookup($number: ContainerNumber!) { container(number: $number) { number ownerCode reefer } }', variables: { number: 'MAEU8123457' } });

let dir: string;
let fleet: SubgraphFleet | undefined;
let env: { subgraphUrls: Record<string, string>; stateDir: string; workDir: string };

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-peers-'));
  // The first install downloads the peers (~1 min); later runs only compare the lockfile's hash.
  ensurePeersInstalled();
  const stateDir = path.join(dir, 'state');
  const keys = ensureGatewayKeys(path.join(stateDir, 'keys'));
  const ports = await allocateSubgraphPorts();
  fleet = await startSubgraphFleet({ dataDir: path.join(dir, 'data'), publicKeyFile: keys.publicKeyFile, ports });
  env = { subgraphUrls: Object.fromEntries(Object.entries(ports).map(([n, p]) => [n, subgraphUrl(p)])), stateDir, workDir: dir };
}, 420_000);

afterAll(async () => {
  await fleet?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

test.each<PeerVariantName>(['hive', 'hive-rust', 'grafbase'])('%s starts and answers a lookup through the subgraphs', async (name) => {
  const variant = await startPeerVariant(name, env, 60_000);
  let body: unknown;
  let status: number;
  try {
    const res = await fetch(variant.url, { method: 'POST', headers: { 'content-type': 'application/json', ...variant.headers?.() }, body: LOOKUP });
    status = res.status;
    body = await res.json();
  } finally {
    await variant.service.stop();
  }
  expect(status).toBe(200);
  expect(body).toEqual({ data: { container: { number: 'MAEU8123457', ownerCode: 'MAE', reefer: expect.any(Boolean) } } });
}, 90_000);

test('the bench rows go into the seeded stores once, labelled like the story container, and a second seeding is refused', () => {
  const dataDir = path.join(dir, 'data');
  seedBenchRows(dataDir);
  const customs = new Database(path.join(dataDir, 'customs.sqlite'), { readonly: true });
  try {
    const perPort = customs.prepare(`SELECT port, count(DISTINCT container_number) AS n FROM seizures WHERE port IN (${BENCH_PORTS.map(() => '?').join(',')}) GROUP BY port`).all(...BENCH_PORTS);
    expect(perPort).toHaveLength(BENCH_PORTS.length);
    expect(perPort.every((r) => (r as { n: number }).n === 100)).toBe(true);
    const label = 'owner, handling, handling_note, releasable_to, case_refs, europol_support, label_origin';
    const story = customs.prepare(`SELECT ${label} FROM containers WHERE number = 'MSCU1234566'`).get();
    expect(customs.prepare(`SELECT ${label} FROM containers WHERE number = ?`).get(listContainer(999))).toEqual(story);
    const count = (table: string): number => (customs.prepare(`SELECT count(*) AS n FROM ${table} WHERE container_number = ?`).get(LARGE_DOSSIER_CONTAINER) as { n: number }).n;
    expect([count('seizures'), count('scans'), count('declarations')]).toEqual([LARGE_DOSSIER.seizures, LARGE_DOSSIER.scans, LARGE_DOSSIER.declarations]);
  } finally {
    customs.close();
  }
  expect(() => seedBenchRows(dataDir)).toThrow(/bench rows already in/);
  expect(() => seedBenchRows(path.join(dir, 'nowhere'))).toThrow();
});

/** A stand-in for every subgraph that answers the lookup after a pause, counting the calls it got. */
async function slowCountingSubgraph(): Promise<{ url: string; calls: () => number; reset: () => void; close: () => Promise<void> }> {
  let calls = 0;
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      calls++;
      setTimeout(() => res.writeHead(200, { 'content-type': 'application/json' }).end('{"data":{"container":{"number":"MAEU8123457","ownerCode":"MAE","reefer":true}}}'), 400);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`,
    calls: () => calls,
    reset: () => {
      calls = 0;
    },
    close: () => new Promise((r) => server.close(() => r())),
  };
}

test.each<[PeerVariantName, boolean]>([
  ['hive', true],
  ['hive-no-dedup', false],
  ['grafbase', true],
  ['grafbase-no-dedup', false],
])('%s: identical lookups in flight merged into one subgraph call: %s', async (name, merged) => {
  const stub = await slowCountingSubgraph();
  const variant = await startPeerVariant(name, { ...env, subgraphUrls: Object.fromEntries(Object.keys(env.subgraphUrls).map((n) => [n, stub.url])) }, 60_000);
  try {
    // One request first, so nothing the gateway does once (connections, plans) is in the count.
    const ask = () => fetch(variant.url, { method: 'POST', headers: { 'content-type': 'application/json', ...variant.headers?.() }, body: LOOKUP }).then((r) => r.json());
    await ask();
    stub.reset();
    const answers = await Promise.all(Array.from({ length: 8 }, ask));
    expect(answers.every((a) => (a as { data?: { container?: { number?: string } } }).data?.container?.number === 'MAEU8123457')).toBe(true);
    if (merged) expect(stub.calls()).toBeLessThan(8);
    else expect(stub.calls()).toBe(8);
  } finally {
    await variant.service.stop();
    await stub.close();
  }
}, 90_000);

test('grafbase: dedup on or off as the variant says, and each subgraph takes its own token header as authorization', () => {
  const urls = env.subgraphUrls;
  const on = fs.readFileSync(writeGrafbaseConfig(path.join(dir, 'gb-on'), urls, true), 'utf8');
  const off = fs.readFileSync(writeGrafbaseConfig(path.join(dir, 'gb-off'), urls, false), 'utf8');
  expect(on).toContain('inflight_deduplication = true');
  expect(off).toContain('inflight_deduplication = false');
  for (const name of Object.keys(urls)) {
    expect(on).toContain(`[subgraphs.${name}]\nurl = "${urls[name]}"`);
    expect(on).toContain(`name = "${grafbaseTokenHeader(name)}"\nrename = "authorization"`);
  }
  expect(() => writeGrafbaseConfig(path.join(dir, 'gb-missing'), {}, true)).toThrow(/grafbase: no URL for subgraph/);
});
