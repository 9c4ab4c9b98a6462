/**
 * The gateway's published key set as a subgraph uses it: tokens are checked against the key their
 * `kid` names, a new key is picked up without a restart (a refetch on an unknown `kid`, or the
 * file changing), and everything that goes wrong with the keys refuses the request.
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createContextTokenVerifier, gatewayKeysFromEnv, type GatewayKeySetOptions } from '..';
import type { AuthenticateHook } from '../../server';
import { contextTokenOf, gatewayKey, outcome, type GatewayKey } from './support/gateway-keys';

const [A, B, C] = [gatewayKey('key-a'), gatewayKey('key-b'), gatewayKey('key-c')] as [GatewayKey, GatewayKey, GatewayKey];
const token = (signer: GatewayKey, header: { kid?: string | null } = {}): Promise<string> => contextTokenOf(signer, header);

describe('a JWKS URL', () => {
  let server: http.Server;
  let url: string;
  let published: unknown;
  let status = 200;
  let fetches = 0;
  beforeAll(async () => {
    server = http.createServer((_req, res) => {
      fetches++;
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(typeof published === 'string' ? published : JSON.stringify(published));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/.well-known/jwks.json`;
  });
  afterAll(() => new Promise((r) => server.close(r)));
  beforeEach(() => {
    published = { keys: [A.publicJwk] };
    status = 200;
    fetches = 0;
  });
  const verifier = (jwks: GatewayKeySetOptions = {}): AuthenticateHook => createContextTokenVerifier({ jwksUrl: url, audience: 'police', jwks });

  test('accepts a token signed by a published key, fetching the set once for many requests', async () => {
    const verify = verifier();
    for (let i = 0; i < 5; i++) expect(await outcome(verify, await token(A))).toBe('ok:a.bakker');
    expect(fetches).toBe(1);
  });

  test('a new key is picked up without a restart: an unknown kid makes it fetch again once', async () => {
    const verify = verifier({ cooldownMs: 0 });
    expect(await outcome(verify, await token(A))).toBe('ok:a.bakker');
    published = { keys: [A.publicJwk, B.publicJwk] };
    expect(await outcome(verify, await token(B))).toBe('ok:a.bakker');
    expect(fetches).toBe(2);
  });

  test('a kid nobody publishes: one refetch, then 401 unknown_key; within the cool-down, no fetch at all', async () => {
    const verify = verifier({ cooldownMs: 60_000 });
    expect(await outcome(verify, await token(A))).toBe('ok:a.bakker');
    expect(await outcome(verify, await token(C))).toBe('unknown_key');
    expect(await outcome(verify, await token(C))).toBe('unknown_key');
    expect(fetches).toBe(1);
    const eager = verifier({ cooldownMs: 0 });
    expect(await outcome(eager, await token(C))).toBe('unknown_key');
    expect(fetches).toBe(3); // first fetch, then the one refetch for the unknown kid
  });

  test('a retired key is refused once the cached set is replaced', async () => {
    const verify = verifier({ cacheMaxAgeMs: 0 });
    expect(await outcome(verify, await token(A))).toBe('ok:a.bakker');
    published = { keys: [B.publicJwk] };
    expect(await outcome(verify, await token(A))).toBe('unknown_key');
    expect(await outcome(verify, await token(B))).toBe('ok:a.bakker');
  });

  test('a token forged with a published kid but another key fails its signature', async () => {
    expect(await outcome(verifier(), await token(C, { kid: A.kid }))).toBe('bad_signature');
  });

  test('a token without a kid is refused before any fetch', async () => {
    expect(await outcome(verifier(), await token(A, { kid: null }))).toBe('unknown_key');
    expect(fetches).toBe(0);
  });

  test.each([
    ['answers 500', () => (status = 500)],
    ['answers something that is not JSON', () => (published = '<html>')],
    ['answers JSON that is not a key set', () => (published = { keys: 'none' })],
  ])('the endpoint %s: 401 keys_unavailable, fail closed', async (_name, breakIt) => {
    breakIt();
    expect(await outcome(verifier(), await token(A))).toBe('keys_unavailable');
  });

  test('the endpoint is down: 401 keys_unavailable', async () => {
    const closed = http.createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((r) => closed.close(r));
    const verify = createContextTokenVerifier({ jwksUrl: `http://127.0.0.1:${port}/.well-known/jwks.json`, audience: 'police' });
    expect(await outcome(verify, await token(A))).toBe('keys_unavailable');
  });

  test.each([
    ['plain http to another host', 'http://gateway.example/.well-known/jwks.json', /must be https/],
    ['credentials in the URL', 'https://user:pw@gateway.example/jwks.json', /must not carry credentials/],
    ['not a URL', 'gateway/jwks.json', /is not a URL/],
  ])('refuses %s at start', (_name, jwksUrl, message) => {
    expect(() => createContextTokenVerifier({ jwksUrl, audience: 'police' })).toThrow(message);
  });

  test('https anywhere and http to loopback are accepted', () => {
    for (const jwksUrl of ['https://gateway.example/.well-known/jwks.json', 'http://localhost:4000/.well-known/jwks.json', 'http://[::1]:4000/x']) {
      expect(() => createContextTokenVerifier({ jwksUrl, audience: 'police' })).not.toThrow();
    }
  });
});

describe('a JWKS file', () => {
  let dir: string;
  let file: string;
  const write = (value: unknown): void => {
    // Replaced as a mounted ConfigMap is: a new file renamed over the old one.
    fs.writeFileSync(`${file}.tmp`, typeof value === 'string' ? value : JSON.stringify(value));
    fs.renameSync(`${file}.tmp`, file);
  };
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kit-jwks-'));
    file = path.join(dir, 'jwks.json');
    write({ keys: [A.publicJwk] });
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));
  const verifier = (): AuthenticateHook => createContextTokenVerifier({ jwksFile: file, audience: 'police', jwks: { cooldownMs: 0 } });

  test('follows the file: a key added is accepted, a key removed is refused', async () => {
    const verify = verifier();
    expect(await outcome(verify, await token(A))).toBe('ok:a.bakker');
    write({ keys: [A.publicJwk, B.publicJwk] });
    expect(await outcome(verify, await token(B))).toBe('ok:a.bakker');
    write({ keys: [B.publicJwk] });
    expect(await outcome(verify, await token(A))).toBe('unknown_key');
  });

  test('a file removed or broken refuses every request until it is good again', async () => {
    const verify = verifier();
    fs.rmSync(file);
    expect(await outcome(verify, await token(A))).toBe('keys_unavailable');
    write('{"keys": [');
    expect(await outcome(verify, await token(A))).toBe('keys_unavailable');
    expect(await outcome(verify, await token(A))).toBe('keys_unavailable');
    write({ keys: [A.publicJwk] });
    expect(await outcome(verify, await token(A))).toBe('ok:a.bakker');
  });

  test('a key set with a private key, a non-Ed25519 key or a key without kid is refused at start', () => {
    const { d: _d, ...rest } = A.privateKey.export({ format: 'jwk' });
    write({ keys: [{ ...rest, d: _d, kid: 'p' }] });
    expect(() => verifier()).toThrow(/contains a private key/);
    write({ keys: [{ kty: 'EC', crv: 'P-256', x: 'x', y: 'y', kid: 'ec' }] });
    expect(() => verifier()).toThrow(/not an Ed25519 public key/);
    const { kid: _kid, ...noKid } = A.publicJwk;
    write({ keys: [noKid] });
    expect(() => verifier()).toThrow(/keys\[0\] has no kid/);
    write({ keys: [] });
    expect(() => verifier()).toThrow(/the key set is empty/);
  });
});

test('a subgraph process takes exactly one source of the gateway keys from its environment', () => {
  expect(gatewayKeysFromEnv({ PACTUM_GATEWAY_JWKS_URL: 'https://gw/.well-known/jwks.json' })).toEqual({ jwksUrl: 'https://gw/.well-known/jwks.json' });
  expect(gatewayKeysFromEnv({ PACTUM_GATEWAY_JWKS_FILE: '/etc/jwks.json' })).toEqual({ jwksFile: '/etc/jwks.json' });
  expect(() => gatewayKeysFromEnv({ PACTUM_GATEWAY_JWKS_URL: 'https://gw/', PACTUM_GATEWAY_PUBLIC_KEY_FILE: '/k.jwk' })).toThrow(
    /set only one of PACTUM_GATEWAY_JWKS_URL, PACTUM_GATEWAY_PUBLIC_KEY_FILE/,
  );
  expect(() => createContextTokenVerifier({ jwksUrl: 'https://gw/', jwksFile: '/x', audience: 'police' })).toThrow(/exactly one of/);
});
