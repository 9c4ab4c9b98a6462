import { createHmac } from 'node:crypto';
import { rmSync } from 'node:fs';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { SignJWT } from 'jose';
import { UnauthenticatedError } from '../../errors';
import { createTokenVerifier, type TokenVerifier } from '../index';
import { ISSUERS, JWKS_URLS, NOW, NOW_SEC, claims, ed25519Key, p256Key, rawToken, sign, writeTestRegistry } from './helpers/idp-fixture';

const nlKey = ed25519Key();
const nlEcKey = p256Key();
const beKey = ed25519Key();
const server = setupServer(
  http.get(JWKS_URLS['NL-POLICE'], () => HttpResponse.json({ keys: [nlKey.publicJwk, nlEcKey.publicJwk] })),
  http.get(JWKS_URLS['BE-POLICE'], () => HttpResponse.json({ keys: [beKey.publicJwk] })),
);

let verifier: TokenVerifier;
let dir: string;
beforeAll(() => {
  server.listen({ onUnhandledRequest: 'error' });
  const fixture = writeTestRegistry();
  dir = fixture.dir;
  verifier = createTokenVerifier({ registry: fixture.registry, now: () => NOW });
});
afterAll(() => {
  server.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Asserts a rejection with code UNAUTHENTICATED and the given reason. */
async function expectRefused(token: string, reason: string, v: TokenVerifier = verifier): Promise<UnauthenticatedError> {
  const error: unknown = await v.verify(token).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(UnauthenticatedError);
  const e = error as UnauthenticatedError;
  expect({ code: e.code, reason: e.reason }).toEqual({ code: 'UNAUTHENTICATED', reason });
  expect(e.httpStatus).toBe(401);
  // Errors never echo the token.
  if (token.length > 20) expect(e.message).not.toContain(token.slice(0, 20));
  return e;
}

describe('createTokenVerifier: accepted tokens', () => {
  it('builds the principal from the claims and the agency from the issuer', async () => {
    const principal = await verifier.verify(await sign(nlKey, claims({ jti: 'tok-1' })));
    expect(principal).toEqual({
      subject: 'j.devries',
      agency: 'NL-POLICE',
      issuer: ISSUERS['NL-POLICE'],
      roles: new Set(['investigator']),
      clearance: 'CONFIDENTIAL',
      purposes: new Set(['drug-trafficking', 'asset-recovery']),
      cases: new Set(['NL-ONB-2024-0456']),
      tokenId: 'tok-1',
    });
  });

  it('accepts an agency claim that matches the issuer, ES256 where allowed, and an audience list', async () => {
    const p = await verifier.verify(await sign(nlEcKey, claims({ agency: 'NL-POLICE', aud: ['other', 'pactum'] })));
    expect(p.agency).toBe('NL-POLICE');
  });

  it('tolerates clock skew within the tolerance (expired 20 s ago, nbf 20 s ahead)', async () => {
    await expect(verifier.verify(await sign(nlKey, claims({ exp: NOW_SEC - 20, nbf: NOW_SEC + 20 })))).resolves.toMatchObject({ subject: 'j.devries' });
  });

  it('defaults absent roles, purposes and cases to empty sets', async () => {
    const p = await verifier.verify(await sign(beKey, { iss: ISSUERS['BE-POLICE'], aud: 'pactum', sub: 'a.peeters', iat: NOW_SEC, exp: NOW_SEC + 60, clearance: 'RESTRICTED' }));
    expect(p.agency).toBe('BE-POLICE');
    expect([...p.roles, ...p.purposes, ...p.cases]).toEqual([]);
  });
});

describe('wasVerified (lets a signed-in token through an address blocked for failed authentications)', () => {
  it('true only for the exact text of a token that passed; never for one that failed, or for a cache of 0', async () => {
    const good = await sign(nlKey, claims({ jti: 'tok-seen' }));
    expect(verifier.wasVerified(good)).toBe(false);
    await verifier.verify(good);
    expect(verifier.wasVerified(good)).toBe(true);
    expect(verifier.wasVerified(`${good.slice(0, -4)}AAAA`)).toBe(false);
    // Nothing to look up: empty, or past the size a token may have (refused before it is hashed).
    expect(verifier.wasVerified('')).toBe(false);
    expect(verifier.wasVerified(`${good}${'A'.repeat(8192)}`)).toBe(false);
    const expired = await sign(nlKey, claims({ exp: NOW_SEC - 31 }));
    await expectRefused(expired, 'token_expired');
    expect(verifier.wasVerified(expired)).toBe(false);
    const fixture = writeTestRegistry();
    try {
      const uncached = createTokenVerifier({ registry: fixture.registry, now: () => NOW, cacheSize: 0 });
      await uncached.verify(good);
      expect(uncached.wasVerified(good)).toBe(false);
    } finally {
      rmSync(fixture.dir, { recursive: true, force: true });
    }
  });
});

describe('wasVerified, once the verification is stale', () => {
  it('false after the token expired, though its entry is still in the cache', async () => {
    const fixture = writeTestRegistry();
    try {
      let at = NOW;
      const clocked = createTokenVerifier({ registry: fixture.registry, now: () => at });
      const good = await sign(nlKey, claims({ jti: 'tok-stale', exp: NOW_SEC + 60 }));
      await clocked.verify(good);
      expect(clocked.wasVerified(good)).toBe(true);
      at = new Date(NOW.getTime() + 10 * 60_000);
      expect(clocked.wasVerified(good)).toBe(false);
    } finally {
      rmSync(fixture.dir, { recursive: true, force: true });
    }
  });
});

describe('createTokenVerifier: refused tokens (code UNAUTHENTICATED + reason)', () => {
  it('no token', () => expectRefused('', 'missing_token'));
  it('garbage', () => expectRefused('not-a-jwt', 'malformed_token'));
  it('garbage with dots and spaces', () => expectRefused('a.b c.d', 'malformed_token'));
  it('header that is not JSON', () => expectRefused(`${Buffer.from('nope').toString('base64url')}.e30.c2ln`, 'bad_header'));
  it('header that is a JSON array', () => expectRefused(rawToken('[1]', '{}', 'c2ln'), 'bad_header'));
  it('payload that is not JSON', async () => {
    await expectRefused(`${Buffer.from('{"alg":"EdDSA"}').toString('base64url')}.${Buffer.from('x').toString('base64url')}.c2ln`, 'malformed_token');
  });
  it('kid that is not a string', () => expectRefused(rawToken('{"alg":"EdDSA","kid":7}', '{}', 'c2ln'), 'bad_header'));
  it('crit header', () => expectRefused(rawToken('{"alg":"EdDSA","crit":["exp"],"exp":1}', JSON.stringify(claims()), 'c2ln'), 'bad_header'));

  it('expired', async () => expectRefused(await sign(nlKey, claims({ exp: NOW_SEC - 31 })), 'token_expired'));
  it('not yet valid (nbf)', async () => expectRefused(await sign(nlKey, claims({ nbf: NOW_SEC + 31 })), 'token_not_yet_valid'));
  it('issued in the future (iat)', async () => expectRefused(await sign(nlKey, claims({ iat: NOW_SEC + 120 })), 'token_not_yet_valid'));
  it('wrong audience', async () => expectRefused(await sign(nlKey, claims({ aud: 'some-other-service' })), 'wrong_audience'));
  it('no audience', async () => expectRefused(await sign(nlKey, claims({ aud: undefined })), 'wrong_audience'));
  it('unknown issuer', async () => expectRefused(await sign(nlKey, claims({ iss: 'https://idp.evil.test' })), 'unknown_issuer'));
  it('no issuer', async () => expectRefused(await sign(nlKey, claims({ iss: undefined })), 'unknown_issuer'));
  it('issuer that is not a string', async () => expectRefused(rawToken('{"alg":"EdDSA"}', '{"iss":{"x":1}}', 'c2ln'), 'unknown_issuer'));
  it('missing exp', async () => expectRefused(await sign(nlKey, claims({ exp: undefined })), 'invalid_claims'));

  it('alg none (unsigned)', async () => {
    await expectRefused(rawToken('{"alg":"none","typ":"JWT"}', JSON.stringify(claims())), 'alg_not_allowed');
    await expectRefused(rawToken('{"alg":"NONE"}', JSON.stringify(claims())), 'alg_not_allowed');
  });

  it('HMAC with the public key as secret (algorithm confusion)', async () => {
    // The attacker knows the published key and signs HS256 with it, hoping a verifier uses it as an HMAC secret.
    for (const secret of [JSON.stringify(nlKey.publicJwk), Buffer.from(nlKey.publicJwk.x ?? '', 'base64url').toString('latin1')]) {
      const header = rawToken(JSON.stringify({ alg: 'HS256', kid: nlKey.kid }), JSON.stringify(claims()));
      const signingInput = header.slice(0, -1);
      const mac = createHmac('sha256', secret).update(signingInput).digest('base64url');
      await expectRefused(`${signingInput}.${mac}`, 'alg_not_allowed');
    }
    const viaJose = await new SignJWT(claims()).setProtectedHeader({ alg: 'HS256', kid: nlKey.kid }).sign(new TextEncoder().encode(JSON.stringify(nlKey.publicJwk)));
    await expectRefused(viaJose, 'alg_not_allowed');
  });

  it('an asymmetric algorithm the issuer does not allow', async () => {
    const token = await sign(p256Key(), claims({ iss: ISSUERS['BE-POLICE'] }));
    await expectRefused(token, 'alg_not_allowed');
  });

  it('unknown kid', async () => expectRefused(await sign({ ...ed25519Key(), kid: 'not-published' }, claims()), 'unknown_key'));
  it('no kid is fine only while one published key fits the algorithm', async () => {
    await expect(verifier.verify(await sign(nlKey, claims(), { kid: undefined }))).resolves.toMatchObject({ agency: 'NL-POLICE' });
  });

  it('signature by another key under a published kid', async () => {
    const forger = { ...ed25519Key(), kid: nlKey.kid };
    await expectRefused(await sign(forger, claims()), 'bad_signature');
  });

  it('payload changed after signing', async () => {
    const [h, , s] = (await sign(nlKey, claims())).split('.');
    await expectRefused(`${h}.${Buffer.from(JSON.stringify(claims({ roles: ['admin'] }))).toString('base64url')}.${s}`, 'bad_signature');
  });

  it('checks the signature before the claims (a forged expired token says bad_signature)', async () => {
    const forger = { ...ed25519Key(), kid: nlKey.kid };
    await expectRefused(await sign(forger, claims({ exp: NOW_SEC - 3600, aud: 'x' })), 'bad_signature');
  });

  it('agency forged by claim: BE-POLICE issuer saying NL-POLICE', async () => {
    const token = await sign(beKey, claims({ iss: ISSUERS['BE-POLICE'], agency: 'NL-POLICE' }));
    await expectRefused(token, 'agency_mismatch');
  });

  it('agency claim of the wrong type', async () => {
    await expectRefused(await sign(nlKey, claims({ agency: ['NL-POLICE'] })), 'agency_mismatch');
  });

  it('NL-POLICE key signing for the BE-POLICE issuer', async () => {
    // Keys are looked up per issuer: the NL key is not among BE's published keys.
    await expectRefused(await sign(nlKey, claims({ iss: ISSUERS['BE-POLICE'] })), 'unknown_key');
  });

  it('oversized token (refused before decoding)', async () => {
    const big = await sign(nlKey, claims({ cases: Array.from({ length: 300 }, (_, i) => `NL-ONB-2024-${String(i).padStart(4, '0')}-PADDING`) }));
    expect(big.length).toBeGreaterThan(8192);
    await expectRefused(big, 'token_too_large');
    await expectRefused('x'.repeat(100_000), 'token_too_large');
  });

  it.each([
    ['roles not a list', { roles: 'investigator' }],
    ['role with spaces', { roles: ['drop table'] }],
    ['missing clearance', { clearance: undefined }],
    ['clearance not a string', { clearance: 3 }],
    ['sub empty', { sub: '' }],
    ['purposes with a non-string', { purposes: ['drug-trafficking', 7] }],
    ['cases not a list', { cases: { 0: 'NL-ONB-2024-0456' } }],
  ])('invalid claims: %s', async (_name, override) => {
    await expectRefused(await sign(nlKey, claims(override)), 'invalid_claims');
  });

  it.each([['newline', 'a\nb'], ['bidi override', 'a\u202eb']])('a sub with a control character (%s) is bad input (400), not an identity failure', async (_name, sub) => {
    const error = await verifier.verify(await sign(nlKey, claims({ sub }))).then(() => undefined, (e: unknown) => e);
    expect(error).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'control_characters', httpStatus: 400 });
  });
});

describe('createTokenVerifier: claims named __proto__ and constructor', () => {
  it('neither pollutes prototypes nor grants anything', async () => {
    const payload: unknown = JSON.parse(
      JSON.stringify(claims({ roles: undefined, purposes: undefined })).replace(
        /^\{/,
        '{"__proto__":{"roles":["admin"],"purposes":["terrorism"],"agency":"EUROPOL","polluted":true},"constructor":{"prototype":{"polluted":true}},',
      ),
    );
    // JSON.parse keeps "__proto__" as an own property, as a decoded token would.
    expect(Object.hasOwn(payload as object, '__proto__')).toBe(true);
    const principal = await verifier.verify(await sign(nlKey, payload as Record<string, unknown>));
    expect(principal.agency).toBe('NL-POLICE');
    expect([...principal.roles]).toEqual([]);
    expect([...principal.purposes]).toEqual([]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('polluted');
  });

  it('a __proto__ claim naming another agency is not an agency claim', async () => {
    const text = JSON.stringify(claims()).replace(/^\{/, '{"__proto__":{"agency":"NL-CUSTOMS"},');
    const principal = await verifier.verify(await sign(nlKey, JSON.parse(text) as Record<string, unknown>));
    expect(principal.agency).toBe('NL-POLICE');
  });

  it('roles named constructor / __proto__ are plain strings', async () => {
    const principal = await verifier.verify(await sign(nlKey, claims({ roles: ['constructor', 'toString'] })));
    expect(principal.roles.has('constructor')).toBe(true);
    expect(principal.roles.has('hasOwnProperty')).toBe(false);
  });

  it('a __proto__ key in the header does not crash', async () => {
    const token = await sign(nlKey, claims(), JSON.parse('{"__proto__":{"alg":"HS256"}}') as Record<string, unknown>);
    await expect(verifier.verify(token)).resolves.toMatchObject({ agency: 'NL-POLICE' });
  });
});

describe('createTokenVerifier: options', () => {
  it('refuses nonsensical options', () => {
    const { registry, dir: d } = writeTestRegistry();
    expect(() => createTokenVerifier({ registry, clockToleranceSec: -1 })).toThrow(RangeError);
    expect(() => createTokenVerifier({ registry, maxTokenBytes: 10 })).toThrow(RangeError);
    rmSync(d, { recursive: true, force: true });
  });

  it('honours a smaller clock tolerance', async () => {
    const { registry, dir: d } = writeTestRegistry();
    const strict = createTokenVerifier({ registry, now: () => NOW, clockToleranceSec: 0 });
    await expectRefused(await sign(nlKey, claims({ exp: NOW_SEC - 1 })), 'token_expired', strict);
    rmSync(d, { recursive: true, force: true });
  });
});
