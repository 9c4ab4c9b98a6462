/**
 * The gateway contacts only what it was configured to contact: its subgraphs and identity
 * providers, all on loopback here. @apollo/gateway on its own reports usage to Apollo and probes
 * the cloud metadata services when it is constructed (a DNS lookup of metadata.google.internal,
 * connections to 169.254.169.254); Pactum turns that off whatever the environment says. Every
 * outbound connection and DNS lookup of the gateway process is recorded by a preload.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ask } from '../../src/client';
import { startGatewayProcess, type GatewayProcess } from '../../src/gateway-process';
import { startFleet, type Fleet } from '../../src/stack';
import { NL_CUSTOMS_OFFICER } from '../../src/story-principals';

const SPY = path.resolve(__dirname, '../../src/outbound-spy.js');
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1', null]);

interface Outbound {
  readonly kind: 'connect' | 'dns';
  readonly host: string | null;
  readonly port?: number | string | null;
  readonly path?: string | null;
}

let fleet: Fleet;
let gateway: GatewayProcess;
let dir: string;
let log: string;

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'pactum-outbound-'));
  log = path.join(dir, 'outbound.jsonl');
  fleet = await startFleet();
  // The operator's environment asking for telemetry does not turn it back on.
  gateway = await startGatewayProcess(fleet, { NODE_OPTIONS: `--require ${SPY}`, PACTUM_TEST_OUTBOUND_LOG: log, APOLLO_TELEMETRY_DISABLED: 'false' });
}, 120_000);

afterAll(async () => {
  await gateway?.kill();
  await fleet?.stop();
  rmSync(dir, { recursive: true, force: true });
});

test('serving requests, the gateway connects only to loopback and looks up no name', async () => {
  const token = await fleet.keys.token(NL_CUSTOMS_OFFICER);
  for (let i = 0; i < 3; i++) {
    const reply = await ask(`${gateway.baseUrl}/graphql`, { token, purpose: 'drug-trafficking', operation: 'ContainerDossier', variables: { number: 'MSCU1234566' } });
    expect(reply.status).toBe(200);
  }
  // The metadata probes run in the background after construction: give them the time they take to start.
  await new Promise((r) => setTimeout(r, 1500));
  const outbound = readFileSync(log, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Outbound);
  const subgraphPorts = new Set(Object.values(fleet.subgraphUrls).map((u) => new URL(u).port));
  const connects = outbound.filter((o) => o.kind === 'connect' && !o.path);
  // The spy saw the gateway's own calls to its subgraphs, so it was in place.
  expect(connects.some((o) => subgraphPorts.has(String(o.port)))).toBe(true);
  expect(connects.filter((o) => !LOOPBACK.has(o.host))).toEqual([]);
  expect(outbound.filter((o) => o.kind === 'dns' && !LOOPBACK.has(o.host))).toEqual([]);
});
