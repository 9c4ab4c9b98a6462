/**
 * One JSON log line per request, through the real pipeline: who, why, what, how it ended and
 * which subgraphs it called — and never a field value, the token, the justification or the
 * case reference, even when the justification is written to break out of its JSON string.
 */
import { Writable } from 'node:stream';
import { createLogger, loadGatewayConfig, startGateway, type RunningGateway } from '@pactum/gateway/src/testing';
import { ask } from '../../src/client';
import { startFleet, type Fleet } from '../../src/stack';
import { NL_INVESTIGATOR } from '../../src/story-principals';

let fleet: Fleet;
let gateway: RunningGateway;
let written = '';
const lines = (): Record<string, unknown>[] => written.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);

beforeAll(async () => {
  fleet = await startFleet();
  const destination = new Writable({
    write(chunk: Buffer, _enc, done) {
      written += chunk.toString();
      done();
    },
  });
  gateway = await startGateway(loadGatewayConfig(fleet.gatewayEnv), createLogger({ level: 'info', destination }));
}, 120_000);
afterAll(async () => {
  await gateway?.stop();
  await fleet?.stop();
});

const HOSTILE_JUSTIFICATION = 'Jan de Vries, born 1970-03-01"},"level":60,"msg":"forged","x":{"y":"\\u0041 ‮evil';
const CASE_REF = 'NL-ONB-2024-0456';

test('a released request: one line with the ids, principal, purpose code, operation, outcome, status, duration and subgraphs', async () => {
  const token = await fleet.keys.token(NL_INVESTIGATOR);
  written = '';
  const reply = await ask(gateway.url, {
    token,
    purpose: 'drug-trafficking',
    justification: HOSTILE_JUSTIFICATION.replace('‮', ''),
    caseRef: CASE_REF,
    operation: 'ContainerDossier',
    variables: { number: 'MSCU1234566' },
    headers: { 'x-request-id': 'log-test-1' },
  });
  expect(reply.status).toBe(200);
  const requestLines = lines().filter((l) => l.event === 'request');
  expect(requestLines).toHaveLength(1);
  const line = requestLines[0] as Record<string, unknown>;
  expect(line).toMatchObject({
    level: 30,
    msg: 'request',
    requestId: 'log-test-1',
    auditId: reply.body.extensions?.auditId,
    agency: 'NL-POLICE',
    subject: 'j.devries',
    purpose: 'drug-trafficking',
    operationName: 'ContainerDossier',
    operationHash: expect.stringMatching(/^[0-9a-f]{64}$/),
    outcome: expect.stringMatching(/^(released|partial)$/),
    status: 200,
    durationMs: expect.any(Number),
  });
  expect(line.subgraphCalls).toBeGreaterThanOrEqual(2);
  expect(line.subgraphs).toEqual(expect.arrayContaining(['customs', 'police']));

  // Nothing of what the request carried or what the answer released reaches the log.
  const data = JSON.stringify(reply.body.data);
  for (const leak of ['Jan de Vries', '1970-03-01', 'forged', CASE_REF, token, token.split('.')[2] as string, 'MSCU1234566', 'BANAANSCHIL', 'cocaine']) {
    expect(written).not.toContain(leak);
  }
  expect(data).toContain('BANAANSCHIL'); // the leak check above looked for something the answer really held
  // Every line is one JSON object: the justification could not forge a line or a level.
  expect(lines().every((l) => l.level !== 60)).toBe(true);
});

test('a refused request gets its line too: code and reason, no principal before authentication, no token text', async () => {
  written = '';
  const reply = await ask(gateway.url, { token: 'eyJhbGciOiJFZERTQSJ9.e30.c2lnbmF0dXJl', purpose: 'drug-trafficking', operation: 'ContainerDossier', variables: { number: 'MSCU1234566' } });
  expect(reply.status).toBe(401);
  const [line] = lines().filter((l) => l.event === 'request');
  expect(line).toMatchObject({ outcome: 'refused', status: 401, code: 'UNAUTHENTICATED', subgraphCalls: 0, subgraphs: [] });
  expect(line).not.toHaveProperty('agency');
  expect(written).not.toContain('c2lnbmF0dXJl');
});

test('the bidirectional-override justification is refused (400 control_characters) and not logged either', async () => {
  const token = await fleet.keys.token(NL_INVESTIGATOR);
  written = '';
  // Headers carry the UTF-8 bytes of the text (fetch takes them as latin1 code units).
  const justification = Buffer.from(HOSTILE_JUSTIFICATION, 'utf8').toString('latin1');
  const reply = await ask(gateway.url, { token, purpose: 'drug-trafficking', justification, operation: 'ContainerDossier', variables: { number: 'MSCU1234566' } });
  expect(reply.status).toBe(400);
  const [line] = lines().filter((l) => l.event === 'request');
  expect(line).toMatchObject({ status: 400, reason: 'control_characters' });
  expect(written).not.toContain('Jan de Vries');
});

test('metrics through the real pipeline: the operation counted by name and hash, a repeat served from every cache', async () => {
  const token = await fleet.keys.token(NL_INVESTIGATOR);
  const scrape = async (): Promise<string> => (await fetch(gateway.url.replace('/graphql', '/metrics'))).text();
  const value = (text: string, re: RegExp): number => Number(re.exec(text)?.[1] ?? 0);
  const hits = (text: string, cache: string): number => value(text, new RegExp(`pactum_cache_lookups_total\\{cache="${cache}",result="hit"\\} (\\d+)`));
  const request = () => ask(gateway.url, { token, purpose: 'drug-trafficking', justification: 'review', operation: 'ContainerDossier', variables: { number: 'MSCU1234566' } });
  await request();
  const before = await scrape();
  expect((await request()).status).toBe(200);
  const after = await scrape();
  for (const cache of ['documents', 'rewrites', 'profiles', 'queryPlans']) expect(hits(after, cache)).toBeGreaterThan(hits(before, cache));
  const operation = /pactum_operations_total\{operation="ContainerDossier",hash="([0-9a-f]{12})",outcome="(released|partial)"\} (\d+)/.exec(after);
  expect(operation).not.toBeNull();
  expect(Number(operation?.[3])).toBeGreaterThanOrEqual(2);
  expect(after).toMatch(/pactum_subgraph_request_duration_seconds_count\{subgraph="police"\} [1-9]/);
  expect(after).toContain('pactum_subgraph_up{subgraph="police"} 1');
  expect(after).toContain('pactum_identity_provider_state{agency="NL-POLICE",state="ok"} 1');
});
