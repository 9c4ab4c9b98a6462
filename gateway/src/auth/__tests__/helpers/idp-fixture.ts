/**
 * Test identity providers: key pairs, a registry file naming them, and a token builder that can
 * also build the broken tokens the tests feed the verifier.
 */
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SignJWT, type JWK, type JWTPayload } from 'jose';
import { publicJwkOf } from '../../ensure-gateway-keys';
import { loadTrustRegistry, type TrustRegistry } from '../../trust-registry';

/** A signing key with its public JWK. */
export interface TestKey {
  readonly privateKey: KeyObject;
  readonly publicJwk: JWK;
  readonly kid: string;
}

export function ed25519Key(): TestKey {
  const { privateKey } = generateKeyPairSync('ed25519');
  const publicJwk = publicJwkOf(privateKey);
  return { privateKey, publicJwk, kid: publicJwk.kid ?? '' };
}

export function p256Key(): TestKey {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const publicJwk = publicJwkOf(privateKey);
  return { privateKey, publicJwk, kid: publicJwk.kid ?? '' };
}

export const NOW = new Date('2026-03-01T12:00:00Z');
export const NOW_SEC = Math.floor(NOW.getTime() / 1000);

export const ISSUERS = {
  'NL-POLICE': 'https://idp.nl-police.test',
  'BE-POLICE': 'https://idp.be-police.test',
  'FR-POLICE': 'https://idp.fr-police.test',
} as const;
export const JWKS_URLS = {
  'NL-POLICE': 'https://idp.nl-police.test/.well-known/jwks.json',
  'BE-POLICE': 'https://idp.be-police.test/jwks',
} as const;

/** A registry with two https IdPs (NL-POLICE, BE-POLICE) and one file IdP (FR-POLICE). */
export function writeTestRegistry(frJwksFile = 'fr.jwks.json'): { registry: TrustRegistry; dir: string } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'pactum-auth-'));
  const file = path.join(dir, 'agencies.yaml');
  writeFileSync(
    file,
    `agencies:
  - id: NL-POLICE
    name: Dutch police
    country: NL
    subgraph: police
    identityProvider: { issuer: '${ISSUERS['NL-POLICE']}', jwks: '${JWKS_URLS['NL-POLICE']}', audience: pactum, algorithms: [EdDSA, ES256] }
  - id: BE-POLICE
    name: Belgian police
    country: BE
    subgraph: none
    identityProvider: { issuer: '${ISSUERS['BE-POLICE']}', jwks: '${JWKS_URLS['BE-POLICE']}', audience: [pactum], algorithms: [EdDSA] }
  - id: FR-POLICE
    name: French police
    country: FR
    subgraph: none
    identityProvider: { issuer: '${ISSUERS['FR-POLICE']}', jwks: 'file:${frJwksFile}', audience: pactum, algorithms: [EdDSA] }
`,
  );
  return { registry: loadTrustRegistry(file), dir };
}

/** Default valid claims of a NL-POLICE investigator. */
export function claims(overrides: JWTPayload = {}): JWTPayload {
  return {
    iss: ISSUERS['NL-POLICE'],
    aud: 'pactum',
    sub: 'j.devries',
    iat: NOW_SEC - 60,
    exp: NOW_SEC + 3600,
    roles: ['investigator'],
    clearance: 'CONFIDENTIAL',
    purposes: ['drug-trafficking', 'asset-recovery'],
    cases: ['NL-ONB-2024-0456'],
    ...overrides,
  };
}

/** Signs `payload` as is (no defaults added); `header` overrides the protected header. */
export async function sign(key: TestKey, payload: JWTPayload, header: Record<string, unknown> = {}): Promise<string> {
  const alg = key.publicJwk.alg ?? 'EdDSA';
  return new SignJWT(payload).setProtectedHeader({ alg, kid: key.kid, typ: 'JWT', ...header }).sign(key.privateKey);
}

/** A compact token from raw JSON texts and a signature part (for forged/unsigned tokens). */
export function rawToken(headerJson: string, payloadJson: string, signature = ''): string {
  return `${Buffer.from(headerJson).toString('base64url')}.${Buffer.from(payloadJson).toString('base64url')}.${signature}`;
}
