/**
 * The verifier remembers the tokens that passed, so the calls sharing one token pay one
 * signature check, and a remembered token is refused exactly when a fresh check would refuse it:
 * once expired, once its key is no longer in the set, once it is evicted and fails again.
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createContextTokenVerifier, type ContextTokenVerifierOptions } from '..';
import type { AuthenticateHook } from '../../server';
import { contextTokenOf, gatewayKey, outcome, type GatewayKey } from './support/gateway-keys';

jest.mock('jose', () => {
  const actual = jest.requireActual<typeof import('jose')>('jose');
  return { ...actual, jwtVerify: jest.fn(actual.jwtVerify) };
});
// eslint-disable-next-line @typescript-eslint/no-require-imports -- the mocked module, to count signature checks
const signatureChecks = (require('jose') as { jwtVerify: jest.Mock }).jwtVerify;

const [A, B] = [gatewayKey('key-a'), gatewayKey('key-b')] as [GatewayKey, GatewayKey];
const NOW = Math.floor(Date.now() / 1000);
const token = (signer: GatewayKey, sub = 'a.bakker', iat = NOW): Promise<string> => contextTokenOf(signer, { sub, iat });

let clock = NOW * 1000;
const fixed = (over: Partial<ContextTokenVerifierOptions> = {}): AuthenticateHook =>
  createContextTokenVerifier({ publicKeyJwk: A.publicJwk, audience: 'police', now: () => new Date(clock), ...over });

beforeEach(() => {
  clock = NOW * 1000;
  signatureChecks.mockClear();
});

test('one signature check for many calls with one token; each call gets its own caller object', async () => {
  const verify = fixed();
  const jwt = await token(A);
  const callers = [];
  for (let i = 0; i < 5; i++) callers.push(await verify({ headers: { authorization: `Bearer ${jwt}` } } as never));
  expect(signatureChecks).toHaveBeenCalledTimes(1);
  expect(callers[0]).toEqual({ subject: 'a.bakker', agency: 'NL-CUSTOMS', purpose: 'drug-trafficking' });
  expect(new Set(callers).size).toBe(5);
  (callers[0] as { subject: string }).subject = 'someone else';
  expect(await outcome(verify, jwt)).toBe('ok:a.bakker');
});

test('a token differing in one character is checked afresh, and refused', async () => {
  const verify = fixed();
  const jwt = await token(A);
  expect(await outcome(verify, jwt)).toBe('ok:a.bakker');
  // A character in the middle of the signature (the last one may carry only padding bits).
  const at = jwt.length - 20;
  const tampered = `${jwt.slice(0, at)}${jwt[at] === 'A' ? 'B' : 'A'}${jwt.slice(at + 1)}`;
  expect(await outcome(verify, tampered)).toBe('bad_signature');
  expect(signatureChecks).toHaveBeenCalledTimes(2);
});

test('a remembered token is refused once it has expired (past the clock tolerance)', async () => {
  const verify = fixed();
  const jwt = await token(A);
  expect(await outcome(verify, jwt)).toBe('ok:a.bakker');
  clock = (NOW + 64) * 1000; // exp + 4 s: within the 5 s tolerance
  expect(await outcome(verify, jwt)).toBe('ok:a.bakker');
  clock = (NOW + 65) * 1000;
  expect(await outcome(verify, jwt)).toBe('token_expired');
  expect(await outcome(verify, jwt)).toBe('token_expired');
});

test('cacheSize 0 checks every call; the oldest token goes first when the cache is full', async () => {
  const none = fixed({ cacheSize: 0 });
  const jwt = await token(A);
  for (let i = 0; i < 3; i++) expect(await outcome(none, jwt)).toBe('ok:a.bakker');
  expect(signatureChecks).toHaveBeenCalledTimes(3);

  signatureChecks.mockClear();
  const two = fixed({ cacheSize: 2 });
  const [t1, t2, t3] = await Promise.all([token(A, 'u1'), token(A, 'u2'), token(A, 'u3')]);
  for (const t of [t1, t2, t1, t3]) await outcome(two, t as string); // t2 is now the oldest
  expect(signatureChecks).toHaveBeenCalledTimes(3);
  expect(await outcome(two, t1 as string)).toBe('ok:u1');
  expect(await outcome(two, t3 as string)).toBe('ok:u3');
  expect(signatureChecks).toHaveBeenCalledTimes(3);
  expect(await outcome(two, t2 as string)).toBe('ok:u2');
  expect(signatureChecks).toHaveBeenCalledTimes(4);
  expect(() => fixed({ cacheSize: -1 })).toThrow(RangeError);
});

describe('with a key set', () => {
  let dir: string;
  let file: string;
  const write = (value: unknown): void => {
    fs.writeFileSync(`${file}.tmp`, JSON.stringify(value));
    fs.renameSync(`${file}.tmp`, file);
  };
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kit-token-cache-'));
    file = path.join(dir, 'jwks.json');
    write({ keys: [A.publicJwk, B.publicJwk] });
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('a remembered token whose key was retired from the file is refused', async () => {
    const verify = createContextTokenVerifier({ jwksFile: file, audience: 'police', jwks: { cooldownMs: 0 } });
    const [a, b] = [await token(A), await token(B)];
    expect(await outcome(verify, a)).toBe('ok:a.bakker');
    expect(await outcome(verify, a)).toBe('ok:a.bakker');
    expect(signatureChecks).toHaveBeenCalledTimes(1);
    write({ keys: [B.publicJwk] });
    expect(await outcome(verify, a)).toBe('unknown_key');
    expect(await outcome(verify, b)).toBe('ok:a.bakker');
  });

  test('a file gone refuses remembered tokens too', async () => {
    const verify = createContextTokenVerifier({ jwksFile: file, audience: 'police', jwks: { cooldownMs: 0 } });
    const a = await token(A);
    expect(await outcome(verify, a)).toBe('ok:a.bakker');
    fs.rmSync(file);
    expect(await outcome(verify, a)).toBe('keys_unavailable');
  });

  test('a URL: remembered while the fetched set holds its key, refused once the set drops it', async () => {
    let published: unknown = { keys: [A.publicJwk] };
    const server = http.createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(published));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/.well-known/jwks.json`;
      const cached = createContextTokenVerifier({ jwksUrl: url, audience: 'police' });
      const a = await token(A);
      for (let i = 0; i < 3; i++) expect(await outcome(cached, a)).toBe('ok:a.bakker');
      expect(signatureChecks).toHaveBeenCalledTimes(1);

      const eager = createContextTokenVerifier({ jwksUrl: url, audience: 'police', jwks: { cacheMaxAgeMs: 0, cooldownMs: 0 } });
      expect(await outcome(eager, a)).toBe('ok:a.bakker');
      published = { keys: [B.publicJwk] };
      expect(await outcome(eager, a)).toBe('unknown_key');
    } finally {
      await new Promise((r) => server.close(r));
    }
  });
});
