import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { decodeJwt, decodeProtectedHeader, importJWK, jwtVerify } from 'jose';
import { ConfigError } from '../../errors';
import {
  CONTEXT_TOKEN_ISSUER,
  CONTEXT_TOKEN_TYPE,
  createContextTokenSigner,
  createTokenVerifier,
  ensureDevIdentityProviders,
  ensureGatewayKeys,
  issueDevToken,
  loadTrustRegistry,
  parseTtl,
  repoRoot,
  type Principal,
  type TrustRegistry,
} from '../index';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'pactum-keys-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** A copy of the shipped registry whose file: JWKS paths land in the temp dir. */
function shippedRegistryIn(target: string): TrustRegistry {
  const text = readFileSync(path.join(repoRoot(), 'policies', 'agencies.yaml'), 'utf8').replaceAll('file:../.pactum/dev-idp/', 'file:jwks/');
  const file = path.join(target, 'agencies.yaml');
  writeFileSync(file, text);
  return loadTrustRegistry(file);
}

const principal: Principal = {
  subject: 'j.devries',
  agency: 'NL-POLICE',
  issuer: 'https://idp.nl-police.dev.pactum.local',
  roles: new Set(['investigator']),
  clearance: 'CONFIDENTIAL',
  purposes: new Set(['drug-trafficking']),
  cases: new Set(),
};

describe('ensureGatewayKeys', () => {
  it('generates an Ed25519 pair once (private 0600) and reloads the same key later', () => {
    const keys = ensureGatewayKeys(path.join(dir, 'keys'));
    expect(statSync(keys.privateKeyFile).mode & 0o777).toBe(0o600);
    const pub: unknown = JSON.parse(readFileSync(keys.publicKeyFile, 'utf8'));
    expect(pub).toEqual({ kty: 'OKP', crv: 'Ed25519', x: expect.any(String), kid: keys.kid, alg: 'EdDSA', use: 'sig' });
    expect(pub).not.toHaveProperty('d');
    const again = ensureGatewayKeys(path.join(dir, 'keys'));
    expect(again.kid).toBe(keys.kid);
  });

  it('rewrites a public key file that does not match the private key', () => {
    const keys = ensureGatewayKeys(dir);
    writeFileSync(keys.publicKeyFile, '{"kty":"OKP","crv":"Ed25519","x":"AAAA"}');
    expect(ensureGatewayKeys(dir).publicJwk).toEqual(keys.publicJwk);
    expect(JSON.parse(readFileSync(keys.publicKeyFile, 'utf8'))).toEqual(keys.publicJwk);
  });

  it('refuses a private key others can read, and a corrupt one', () => {
    const keys = ensureGatewayKeys(dir);
    chmodSync(keys.privateKeyFile, 0o644);
    expect(() => ensureGatewayKeys(dir)).toThrow(/private key is readable by others \(mode 644\)/);
    writeFileSync(keys.privateKeyFile, 'not json', { mode: 0o600 });
    chmodSync(keys.privateKeyFile, 0o600);
    expect(() => ensureGatewayKeys(dir)).toThrow(ConfigError);
  });
});

describe('createContextTokenSigner', () => {
  it('signs a ≤ 60 s EdDSA token for one subgraph with the agreed claims', async () => {
    const keys = ensureGatewayKeys(dir);
    const now = new Date('2026-03-01T12:00:00Z');
    const signer = createContextTokenSigner({ privateKey: keys.privateKey, kid: keys.kid, now: () => now });
    const token = await signer.sign({ audience: 'police', principal, purpose: { code: 'drug-trafficking', caseRef: 'NL-ONB-2024-0456' } });
    expect(decodeProtectedHeader(token)).toEqual({ alg: 'EdDSA', kid: keys.kid, typ: CONTEXT_TOKEN_TYPE });
    const { payload } = await jwtVerify(token, await importJWK(keys.publicJwk, 'EdDSA'), { currentDate: now, audience: 'police', issuer: CONTEXT_TOKEN_ISSUER });
    expect(payload).toEqual({
      iss: 'pactum-gateway', aud: 'police', sub: 'j.devries', agency: 'NL-POLICE', purpose: 'drug-trafficking', caseRef: 'NL-ONB-2024-0456',
      iat: now.getTime() / 1000, exp: now.getTime() / 1000 + 60,
    });
  });

  it('reuses a token only for the same subgraph, principal, purpose and case, and only for half its lifetime', async () => {
    let now = new Date('2026-03-01T12:00:00Z');
    const signer = createContextTokenSigner({ privateKeyFile: ensureGatewayKeys(dir).privateKeyFile, now: () => now });
    const req = { principal, purpose: { code: 'drug-trafficking' }, audience: 'police' };
    const a = await signer.sign(req);
    expect(await signer.sign({ ...req })).toBe(a);
    // Each claim the token carries keys the reuse: a token never says something of a request that is not so.
    expect(await signer.sign({ ...req, audience: 'customs' })).not.toBe(a);
    expect(await signer.sign({ ...req, principal: { ...principal, subject: 'someone.else' } })).not.toBe(a);
    expect(await signer.sign({ ...req, principal: { ...principal, agency: 'BE-POLICE' } })).not.toBe(a);
    expect(await signer.sign({ ...req, purpose: { code: 'money-laundering' } })).not.toBe(a);
    expect(await signer.sign({ ...req, purpose: { code: 'drug-trafficking', caseRef: 'NL-ONB-2024-0456' } })).not.toBe(a);

    now = new Date(now.getTime() + 29_000);
    expect(await signer.sign(req)).toBe(a);
    now = new Date(now.getTime() + 2_000); // 31 s: less than half its 60 s left
    const b = await signer.sign(req);
    expect(b).not.toBe(a);
    expect(decodeJwt(b).iat).toBe(Math.floor(now.getTime() / 1000));
  });

  it('signs every call afresh with memoSize 0', async () => {
    let now = new Date('2026-03-01T12:00:00Z');
    const signer = createContextTokenSigner({ privateKeyFile: ensureGatewayKeys(dir).privateKeyFile, memoSize: 0, now: () => now });
    const a = await signer.sign({ principal, purpose: { code: 'drug-trafficking' }, audience: 'police' });
    now = new Date(now.getTime() + 1_000);
    expect(await signer.sign({ principal, purpose: { code: 'drug-trafficking' }, audience: 'police' })).not.toBe(a);
  });

  it('refuses a ttl above 60 s and a non-Ed25519 key', () => {
    const keys = ensureGatewayKeys(dir);
    expect(() => createContextTokenSigner({ privateKey: keys.privateKey, kid: keys.kid, ttlSec: 61 })).toThrow(RangeError);
    expect(() => createContextTokenSigner({ privateKeyFile: path.join(dir, 'missing.jwk') })).toThrow(/private key file is missing/);
  });
});

describe('development identity providers', () => {
  it('creates one key (0600) and one JWKS file per file: agency; reuses them on the next start', () => {
    const registry = shippedRegistryIn(dir);
    const providers = ensureDevIdentityProviders({ registry, dir: path.join(dir, 'dev-idp') });
    expect([...providers.keys()]).toHaveLength(registry.agencies.length);
    const nl = providers.get('NL-POLICE');
    expect(nl?.alg).toBe('EdDSA');
    expect(statSync(nl?.privateKeyFile ?? '').mode & 0o777).toBe(0o600);
    expect(nl?.jwksFile).toBe(path.join(dir, 'jwks', 'NL-POLICE.jwks.json'));
    const jwks = JSON.parse(readFileSync(nl?.jwksFile ?? '', 'utf8')) as { keys: { kid: string; d?: string }[] };
    expect(jwks.keys.map((k) => k.kid)).toEqual([nl?.kid]);
    expect(jwks.keys[0]?.d).toBeUndefined();
    const again = ensureDevIdentityProviders({ registry, dir: path.join(dir, 'dev-idp') });
    expect(again.get('NL-POLICE')?.kid).toBe(nl?.kid);
  });

  it('issues tokens the normal verifier accepts, with the agency from the issuer', async () => {
    const registry = shippedRegistryIn(dir);
    const token = await issueDevToken({
      registry, dir: path.join(dir, 'dev-idp'), agency: 'BE-POLICE', sub: 'a.peeters', roles: ['analyst'], clearance: 'RESTRICTED',
      purposes: ['drug-trafficking'], cases: ['JIT-2024-07'], ttl: '15m',
    });
    const p = await createTokenVerifier({ registry }).verify(token);
    expect(p).toMatchObject({ subject: 'a.peeters', agency: 'BE-POLICE', clearance: 'RESTRICTED' });
    expect([...p.cases]).toEqual(['JIT-2024-07']);
    expect(p.tokenId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('refuses an unknown agency and one without a file: JWKS', async () => {
    const registry = shippedRegistryIn(dir);
    await expect(issueDevToken({ registry, dir, agency: 'XX-POLICE', sub: 's', clearance: 'RESTRICTED' })).rejects.toThrow(/unknown agency XX-POLICE \(known: NL-POLICE, /);
    const file = path.join(dir, 'url.yaml');
    writeFileSync(file, "agencies:\n  - { id: A-B, name: x, country: NL, subgraph: none, identityProvider: { issuer: 'https://i.test', jwks: 'https://i.test/jwks', audience: p, algorithms: [EdDSA] } }\n");
    await expect(issueDevToken({ registry: loadTrustRegistry(file), dir, agency: 'A-B', sub: 's', clearance: 'RESTRICTED' })).rejects.toThrow(/has no development identity provider/);
  });

  it('parses ttl values and refuses bad ones', () => {
    expect(parseTtl('90s')).toBe(90);
    expect(parseTtl('15m')).toBe(900);
    expect(parseTtl('1h')).toBe(3600);
    expect(parseTtl('1d')).toBe(86400);
    expect(parseTtl('45')).toBe(45);
    for (const bad of ['0', '2d', '-1h', '1w', 'soon', '1.5h', '']) expect(() => parseTtl(bad)).toThrow(RangeError);
  });

});
