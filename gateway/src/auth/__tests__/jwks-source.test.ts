import { rmSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { delay, http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { UnauthenticatedError } from '../../errors';
import { createTokenVerifier, type TokenVerifier } from '../index';
import type { TrustRegistry } from '../trust-registry';
import { ISSUERS, JWKS_URLS, NOW, claims, ed25519Key, sign, writeTestRegistry, type TestKey } from './helpers/idp-fixture';

/** What the NL-POLICE identity provider does at the moment. */
let nlBehaviour: 'ok' | 'down' | 'garbage' | 'oct' | 'private' | 'html' | 'slow' | 'huge' = 'ok';
let nlKeys: TestKey[] = [];
let nlFetches = 0;
const beKey = ed25519Key();

const server = setupServer(
  http.get(JWKS_URLS['NL-POLICE'], async () => {
    nlFetches++;
    switch (nlBehaviour) {
      case 'ok':
        return HttpResponse.json({ keys: nlKeys.map((k) => k.publicJwk) });
      case 'down':
        return HttpResponse.error();
      case 'garbage':
        return new HttpResponse('{"keys": [ this is not json', { headers: { 'content-type': 'application/json' } });
      case 'html':
        return HttpResponse.html('<html>maintenance</html>', { status: 200 });
      case 'oct':
        return HttpResponse.json({ keys: [{ kty: 'oct', k: 'c2VjcmV0', kid: 'hmac' }] });
      case 'private':
        return HttpResponse.json({ keys: [{ ...nlKeys[0]?.publicJwk, d: 'cHJpdmF0ZQ' }] });
      case 'huge':
        return HttpResponse.json({ keys: nlKeys.map((k) => k.publicJwk), padding: 'x'.repeat(300 * 1024) });
      case 'slow':
        await delay(10_000);
        return HttpResponse.json({ keys: nlKeys.map((k) => k.publicJwk) });
    }
  }),
  http.get(JWKS_URLS['BE-POLICE'], () => HttpResponse.json({ keys: [beKey.publicJwk] })),
);

/** A controllable clock: tests move time instead of waiting for it. */
let clock = NOW.getTime();
let registry: TrustRegistry;
let dir: string;

beforeAll(() => {
  server.listen({ onUnhandledRequest: 'error' });
  ({ registry, dir } = writeTestRegistry());
});
afterAll(() => {
  server.close();
  rmSync(dir, { recursive: true, force: true });
});
beforeEach(() => {
  nlBehaviour = 'ok';
  nlKeys = [ed25519Key()];
  nlFetches = 0;
  clock = NOW.getTime();
});

const MINUTE = 60_000;
function newVerifier(): TokenVerifier {
  return createTokenVerifier({
    registry,
    now: () => new Date(clock),
    jwks: { timeoutMs: 300, refreshIntervalMs: 10 * MINUTE, maxStaleMs: 60 * MINUTE, cooldownMs: 30_000 },
  });
}
const nlToken = async (key: TestKey) => sign(key, claims({ iat: Math.floor(clock / 1000) - 5, exp: Math.floor(clock / 1000) + 3600 }));
const beToken = async () => sign(beKey, claims({ iss: ISSUERS['BE-POLICE'], iat: Math.floor(clock / 1000) - 5, exp: Math.floor(clock / 1000) + 3600 }));

async function reasonOf(promise: Promise<unknown>): Promise<string> {
  const error: unknown = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(UnauthenticatedError);
  expect((error as UnauthenticatedError).code).toBe('UNAUTHENTICATED');
  return (error as UnauthenticatedError).reason;
}

describe('JWKS handling', () => {
  it('fetches once and serves later verifications from the cache', async () => {
    const v = newVerifier();
    const key = nlKeys[0]!;
    await v.verify(await nlToken(key));
    await v.verify(await nlToken(key));
    clock += 5 * MINUTE;
    await v.verify(await nlToken(key));
    expect(nlFetches).toBe(1);
  });

  it('rotation: a new kid triggers one refetch and then verifies, without restart', async () => {
    const v = newVerifier();
    const oldKey = nlKeys[0]!;
    await v.verify(await nlToken(oldKey));
    const newKey = ed25519Key();
    nlKeys = [oldKey, newKey]; // the IdP publishes the next key alongside the current one
    clock += 31_000;
    await expect(v.verify(await nlToken(newKey))).resolves.toMatchObject({ agency: 'NL-POLICE' });
    expect(nlFetches).toBe(2);
    // Both keys are now cached; no kid in the header is ambiguous with two Ed25519 keys.
    expect(await reasonOf(v.verify(await sign(newKey, claims({ iat: Math.floor(clock / 1000), exp: Math.floor(clock / 1000) + 60 }), { kid: undefined })))).toBe('unknown_key');
  });

  it('unknown kid: one refetch, then none during the cooldown; another after it', async () => {
    const v = newVerifier();
    await v.verify(await nlToken(nlKeys[0]!));
    clock += 31_000;
    const stranger = ed25519Key();
    expect(await reasonOf(v.verify(await nlToken(stranger)))).toBe('unknown_key');
    expect(nlFetches).toBe(2);
    for (let i = 0; i < 5; i++) expect(await reasonOf(v.verify(await nlToken({ ...stranger, kid: `made-up-${i}` })))).toBe('unknown_key');
    expect(nlFetches).toBe(2);
    clock += 31_000;
    expect(await reasonOf(v.verify(await nlToken(stranger)))).toBe('unknown_key');
    expect(nlFetches).toBe(3);
  });

  it('outage: served from cache up to the max age, then that issuer fails closed while others keep working', async () => {
    const v = newVerifier();
    const key = nlKeys[0]!;
    await v.verify(await nlToken(key));
    nlBehaviour = 'down';
    clock += 11 * MINUTE; // past the refresh interval: a refetch is tried and fails
    await expect(v.verify(await nlToken(key))).resolves.toMatchObject({ agency: 'NL-POLICE' });
    expect(nlFetches).toBe(2);
    clock += 45 * MINUTE; // 56 min after the last good fetch: still within the 60 min max age
    await expect(v.verify(await nlToken(key))).resolves.toMatchObject({ agency: 'NL-POLICE' });
    clock += 5 * MINUTE; // 61 min: too stale
    expect(await reasonOf(v.verify(await nlToken(key)))).toBe('jwks_unavailable');
    await expect(v.verify(await beToken())).resolves.toMatchObject({ agency: 'BE-POLICE' });
    // Recovery: once the endpoint answers again (after the cooldown) the issuer works again.
    nlBehaviour = 'ok';
    clock += 31_000;
    await expect(v.verify(await nlToken(key))).resolves.toMatchObject({ agency: 'NL-POLICE' });
  });

  it('endpoint down from the start: jwks_unavailable, no fetch storm, other issuers unaffected', async () => {
    nlBehaviour = 'down';
    const v = newVerifier();
    expect(await reasonOf(v.verify(await nlToken(nlKeys[0]!)))).toBe('jwks_unavailable');
    expect(await reasonOf(v.verify(await nlToken(nlKeys[0]!)))).toBe('jwks_unavailable');
    expect(nlFetches).toBe(1);
    await expect(v.verify(await beToken())).resolves.toMatchObject({ agency: 'BE-POLICE' });
  });

  it.each(['garbage', 'html', 'oct', 'private', 'huge'] as const)('garbage JWKS response (%s) is refused: jwks_unavailable', async (kind) => {
    nlBehaviour = kind;
    const v = newVerifier();
    expect(await reasonOf(v.verify(await nlToken(nlKeys[0]!)))).toBe('jwks_unavailable');
  });

  it('garbage after a good fetch does not replace the cached keys', async () => {
    const v = newVerifier();
    await v.verify(await nlToken(nlKeys[0]!));
    nlBehaviour = 'oct';
    clock += 11 * MINUTE;
    await expect(v.verify(await nlToken(nlKeys[0]!))).resolves.toMatchObject({ agency: 'NL-POLICE' });
    expect(nlFetches).toBe(2);
  });

  it('slow endpoint: the fetch times out and the issuer is refused', async () => {
    nlBehaviour = 'slow';
    const v = newVerifier();
    expect(await reasonOf(v.verify(await nlToken(nlKeys[0]!)))).toBe('jwks_unavailable');
    await expect(v.verify(await beToken())).resolves.toMatchObject({ agency: 'BE-POLICE' });
  });

  it('file: JWKS is re-read when the file changes (development key rotation)', async () => {
    const first = ed25519Key();
    const second = ed25519Key();
    const file = path.join(dir, 'fr.jwks.json');
    writeFileSync(file, JSON.stringify({ keys: [first.publicJwk] }));
    utimesSync(file, 1_000, 1_000);
    const v = newVerifier();
    const frToken = (key: TestKey) => sign(key, claims({ iss: ISSUERS['FR-POLICE'], iat: Math.floor(clock / 1000), exp: Math.floor(clock / 1000) + 60 }));
    await expect(v.verify(await frToken(first))).resolves.toMatchObject({ agency: 'FR-POLICE' });
    expect(await reasonOf(v.verify(await frToken(second)))).toBe('unknown_key');
    writeFileSync(file, JSON.stringify({ keys: [second.publicJwk] }));
    utimesSync(file, 2_000, 2_000);
    clock += 1_000;
    await expect(v.verify(await frToken(second))).resolves.toMatchObject({ agency: 'FR-POLICE' });
    expect(await reasonOf(v.verify(await frToken(first)))).toBe('unknown_key');
  });

  it('file: JWKS missing → jwks_unavailable', async () => {
    rmSync(path.join(dir, 'fr.jwks.json'), { force: true });
    const v = newVerifier();
    const token = await sign(ed25519Key(), claims({ iss: ISSUERS['FR-POLICE'], iat: Math.floor(clock / 1000), exp: Math.floor(clock / 1000) + 60 }));
    expect(await reasonOf(v.verify(token))).toBe('jwks_unavailable');
  });

  it('verified-token cache: never past exp, and a key removed from the JWKS stops working within the cache ttl', async () => {
    const v = newVerifier();
    const key = nlKeys[0]!;
    const short = await sign(key, claims({ iat: Math.floor(clock / 1000), exp: Math.floor(clock / 1000) + 40 }));
    await v.verify(short);
    clock += 41_000 + 30_000; // past exp + tolerance: the cached entry must not outlive the token
    expect(await reasonOf(v.verify(short))).toBe('token_expired');

    const long = await nlToken(key);
    await v.verify(long);
    nlKeys = [ed25519Key()]; // the IdP revokes the key
    clock += 11 * MINUTE; // past the 60 s cache ttl and the JWKS refresh interval
    expect(await reasonOf(v.verify(long))).toBe('unknown_key');
  });

  it('verified-token cache: a hit skips the signature check for at most the ttl; disabled, every call re-checks', async () => {
    const quick = { timeoutMs: 300, refreshIntervalMs: 1_000, maxStaleMs: 60 * MINUTE, cooldownMs: 0 };
    const cached = createTokenVerifier({ registry, now: () => new Date(clock), jwks: quick });
    const uncached = createTokenVerifier({ registry, now: () => new Date(clock), jwks: quick, cacheSize: 0 });
    const token = await nlToken(nlKeys[0]!);
    await cached.verify(token);
    await uncached.verify(token);
    nlKeys = [ed25519Key()]; // key revoked
    clock += 2_000; // both JWKS caches are due for a refresh
    await expect(cached.verify(token)).resolves.toMatchObject({ agency: 'NL-POLICE' });
    expect(await reasonOf(uncached.verify(token))).toBe('unknown_key');
    clock += 60_000;
    expect(await reasonOf(cached.verify(token))).toBe('unknown_key');
  });
});

describe('identity provider states (for /readyz and metrics; reading them never fetches)', () => {
  const stateOf = (v: TokenVerifier, agency: string) => v.identityProviders().find((p) => p.agency === agency)?.state;

  it('not_fetched → ok → stale (endpoint down, cache served) → unavailable (too stale) → ok again', async () => {
    const v = newVerifier();
    const key = nlKeys[0]!;
    expect(stateOf(v, 'NL-POLICE')).toBe('not_fetched');
    expect(nlFetches).toBe(0);
    await v.verify(await nlToken(key));
    expect(stateOf(v, 'NL-POLICE')).toBe('ok');
    expect(stateOf(v, 'BE-POLICE')).toBe('not_fetched');
    nlBehaviour = 'down';
    clock += 11 * MINUTE;
    await v.verify(await nlToken(key));
    expect(stateOf(v, 'NL-POLICE')).toBe('stale');
    clock += 50 * MINUTE; // 61 min after the last good fetch
    expect(stateOf(v, 'NL-POLICE')).toBe('unavailable');
    expect(await reasonOf(v.verify(await nlToken(key)))).toBe('jwks_unavailable');
    nlBehaviour = 'ok';
    clock += 31_000;
    await v.verify(await nlToken(key));
    expect(stateOf(v, 'NL-POLICE')).toBe('ok');
    const fetches = nlFetches;
    for (let i = 0; i < 3; i++) v.identityProviders();
    expect(nlFetches).toBe(fetches);
  });

  it('endpoint down from the first token: unavailable, and every agency of the registry is listed', async () => {
    const v = newVerifier();
    nlBehaviour = 'down';
    expect(await reasonOf(v.verify(await nlToken(nlKeys[0]!)))).toBe('jwks_unavailable');
    expect(stateOf(v, 'NL-POLICE')).toBe('unavailable');
    expect(v.identityProviders().map((p) => p.agency).sort()).toEqual(registry.agencies.map((a) => a.id).sort());
  });
});
