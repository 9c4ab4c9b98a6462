/**
 * A rotation of the gateway's signing key under load, with every subgraph verifying context
 * tokens against the gateway's published key set (`/.well-known/jwks.json`): no subgraph is
 * restarted, no request fails through next → promote → retire; then a token of the retired key
 * and one of a key nobody publishes are refused by the kit, and with the key set unreachable the
 * subgraphs refuse (fail closed) and the gateway releases no data — until it is back.
 */
import { generateKeyPairSync } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { decodeProtectedHeader, SignJWT } from 'jose';
import { addNextGatewayKey, promoteNextGatewayKey, retirePreviousGatewayKey } from '@pactum/gateway/src/auth';
import { ask } from '../../src/client';
import { startStack, type Stack } from '../../src/stack';

/** The subgraphs' view of the gateway's JWKS: forwarded to the gateway, or down when the test says so. */
function jwksProxy(): Promise<{ url: string; target: { url: string }; up: { value: boolean }; fetches: () => number; close(): Promise<void> }> {
  const target = { url: '' };
  const up = { value: true };
  let fetches = 0;
  const server = http.createServer((_req, res) => {
    fetches++;
    if (!up.value || target.url === '') {
      res.writeHead(503).end();
      return;
    }
    fetch(target.url).then(
      async (r) => res.writeHead(r.status, { 'content-type': 'application/json' }).end(await r.text()),
      () => res.writeHead(502).end(),
    );
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({
        url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/.well-known/jwks.json`,
        target,
        up,
        fetches: () => fetches,
        close: () => new Promise((r) => server.close(() => r())),
      }),
    ),
  );
}

let stack: Stack;
let proxy: Awaited<ReturnType<typeof jwksProxy>>;
let token: string;
let keyDir: string;

beforeAll(async () => {
  proxy = await jwksProxy();
  stack = await startStack({ record: true, gatewayJwks: { url: proxy.url, cacheMaxAgeMs: 500, cooldownMs: 100 } });
  proxy.target.url = new URL('/.well-known/jwks.json', stack.gatewayUrl).toString();
  keyDir = path.join(stack.stateDir, 'keys');
  token = await stack.keys.token({ agency: 'EUROPOL', sub: 'a.analyst', roles: ['analyst'], clearance: 'SECRET', purposes: ['drug-trafficking'] });
}, 120_000);

afterAll(async () => {
  await stack?.stop();
  await proxy?.close();
});

const dossier = () => ask(stack.gatewayUrl, { token, purpose: 'drug-trafficking', operation: 'ContainerDossier', variables: { number: 'MSCU1234566' } });
const publishedKids = async (): Promise<string[]> => ((await (await fetch(proxy.target.url)).json()) as { keys: { kid: string }[] }).keys.map((k) => k.kid);
const kidsSeenBySubgraphs = (): Set<string> =>
  new Set(Object.values(stack.recorded).flatMap((p) => p.requests.map((r) => String(decodeProtectedHeader(String(r.authorization).replace(/^Bearer /, '')).kid))));
async function until<T>(what: string, probe: () => Promise<T | undefined>, ms = 20_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`not within ${ms} ms: ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
/** A direct call to a subgraph (police unless said) with `authorization`; its status and refusal reason. */
async function callPolice(authorization: string, subgraph = 'police'): Promise<{ status: number; reason: unknown }> {
  const res = await fetch(String(stack.subgraphUrls[subgraph]), { method: 'POST', headers: { 'content-type': 'application/json', authorization }, body: JSON.stringify({ query: '{ _service { sdl } }' }) });
  const body = (await res.json()) as { errors?: { extensions?: { reason?: unknown } }[] };
  return { status: res.status, reason: body.errors?.[0]?.extensions?.reason };
}
test('requests keep succeeding while the key is rotated; a retired key and an unknown key are refused by the subgraphs', async () => {
  const firstKid = (await publishedKids())[0] as string;
  let oldPoliceToken = '';
  // Every answer during the rotation must be the answer before it: same data, same (policy) field errors.
  const answer = (reply: Awaited<ReturnType<typeof dossier>>): string => JSON.stringify({ status: reply.status, data: reply.body.data, errors: reply.body.errors });
  const baseline = answer(await dossier());
  expect(baseline).toMatch(/cocaine/);
  const failures: string[] = [];
  let done = 0;
  let stopLoad = false;
  const loop = async (): Promise<void> => {
    while (!stopLoad) {
      const reply = answer(await dossier());
      if (reply !== baseline) failures.push(reply);
      done++;
    }
  };
  const load = Promise.all([loop(), loop(), loop(), loop()]);
  try {
    await until('some load', async () => (done >= 20 ? true : undefined));
    expect(kidsSeenBySubgraphs()).toEqual(new Set([firstKid]));

    // 1. The next key is published; nothing is signed with it.
    const next = addNextGatewayKey(keyDir).next?.kid as string;
    await until('next key published', async () => ((await publishedKids()).includes(next) ? true : undefined));
    const atNext = done;
    await until('load with next published', async () => (done >= atNext + 20 ? true : undefined));
    expect(kidsSeenBySubgraphs().has(next)).toBe(false);

    // 2. It signs from now on, the old one stays published.
    oldPoliceToken = String(stack.recorded.police?.requests.at(-1)?.authorization);
    for (const p of Object.values(stack.recorded)) p.clear();
    promoteNextGatewayKey(keyDir);
    await until('subgraphs see the new key', async () => (kidsSeenBySubgraphs().has(next) ? true : undefined));
    const atPromote = done;
    await until('load after the switch', async () => (done >= atPromote + 40 ? true : undefined));
    expect(await publishedKids()).toEqual([next, firstKid]);
  } finally {
    stopLoad = true;
    await load;
  }
  expect(failures).toEqual([]);
  expect(done).toBeGreaterThan(80);

  // A token the old key signed, still within its minute: valid while the old key is published…
  expect(decodeProtectedHeader(oldPoliceToken.slice('Bearer '.length)).kid).toBe(firstKid);
  expect(await callPolice(oldPoliceToken)).toEqual({ status: 200, reason: undefined });
  // 3. …and refused once it is retired (here as if its minute had passed), without a restart.
  retirePreviousGatewayKey(keyDir, { now: () => new Date(Date.now() + 120_000) });
  await until('old key no longer published', async () => ((await publishedKids()).length === 1 ? true : undefined));
  expect(await until('the retired key refused', async () => {
    const r = await callPolice(oldPoliceToken);
    return r.status === 401 ? r : undefined;
  })).toEqual({ status: 401, reason: 'unknown_key' });
  expect((await dossier()).status).toBe(200);
});

test('a well-formed context token signed by a key the gateway does not publish is refused: 401 unknown_key', async () => {
  const now = Math.floor(Date.now() / 1000);
  const forged = await new SignJWT({ agency: 'EUROPOL', purpose: 'drug-trafficking' })
    .setProtectedHeader({ alg: 'EdDSA', typ: 'pactum-context+jwt', kid: 'not-a-published-key' })
    .setIssuer('pactum-gateway')
    .setAudience('police')
    .setSubject('a.analyst')
    .setIssuedAt(now)
    .setExpirationTime(now + 60)
    .sign(generateKeyPairSync('ed25519').privateKey);
  expect(await callPolice(`Bearer ${forged}`)).toEqual({ status: 401, reason: 'unknown_key' });
});

test('the key set unreachable: subgraphs refuse, the gateway releases no data; back again, requests succeed', async () => {
  for (const p of Object.values(stack.recorded)) p.clear();
  expect((await dossier()).status).toBe(200);
  proxy.up.value = false;
  try {
    // Each subgraph refuses once its cached key set is too old to use (here 0.5 s).
    const asked = Object.entries(stack.recorded).filter(([, recorder]) => recorder.requests.length > 0);
    expect(asked.map(([name]) => name)).toEqual(expect.arrayContaining(['police', 'customs', 'eurojust', 'europol']));
    for (const [name, recorder] of asked) {
      const current = String(recorder.requests.at(-1)?.authorization);
      expect(await until(`${name} refuses without its keys`, async () => {
        const r = await callPolice(current, name);
        return r.status === 401 ? r : undefined;
      })).toEqual({ status: 401, reason: 'keys_unavailable' });
    }
    const reply = await dossier();
    const container = (reply.body.data as { container?: { seizures?: unknown; investigations?: unknown; sienaMessages?: unknown } | null } | null)?.container;
    expect(reply.body.errors?.length).toBeGreaterThan(0);
    expect(container ?? null).toBeNull();
    expect(JSON.stringify(reply.body)).not.toMatch(/cocaine|NL-ONB-2024|BANAANSCHIL/);
  } finally {
    proxy.up.value = true;
  }
  await until('served again', async () => {
    const reply = await dossier();
    const onlyPolicyDenials = (reply.body.errors ?? []).every((e) => e.extensions?.code === 'FORBIDDEN');
    return reply.status === 200 && onlyPolicyDenials && /cocaine/.test(JSON.stringify(reply.body.data)) ? true : undefined;
  });
});

test('/.well-known/jwks.json serves public keys only, to GET and HEAD', async () => {
  const url = proxy.target.url;
  const res = await fetch(url);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toBe('application/jwk-set+json');
  const body = (await res.json()) as { keys: Record<string, unknown>[] };
  expect(body.keys.length).toBeGreaterThan(0);
  for (const k of body.keys) expect(Object.keys(k).sort()).toEqual(['alg', 'crv', 'kid', 'kty', 'use', 'x']);
  expect((await fetch(url, { method: 'HEAD' })).status).toBe(200);
  const post = await fetch(url, { method: 'POST', body: '{}' });
  expect(post.status).toBe(405);
  expect(post.headers.get('allow')).toBe('GET, HEAD');
});
