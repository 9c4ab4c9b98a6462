/**
 * Where a subgraph gets the gateway's public key: from configuration, never from the request.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { JWK } from 'jose';
import { findRepoRoot } from '../server/run-subgraph-main';

/** Environment variable naming the gateway's public JWK file. */
export const GATEWAY_PUBLIC_KEY_ENV = 'PACTUM_GATEWAY_PUBLIC_KEY_FILE';
/** Environment variable naming the gateway's JWKS endpoint (follows key rotations). */
export const GATEWAY_JWKS_URL_ENV = 'PACTUM_GATEWAY_JWKS_URL';
/** Environment variable naming a file holding the gateway's JWKS (follows key rotations). */
export const GATEWAY_JWKS_FILE_ENV = 'PACTUM_GATEWAY_JWKS_FILE';

/**
 * Where a subgraph process takes the gateway's keys from: `PACTUM_GATEWAY_JWKS_URL`, else
 * `PACTUM_GATEWAY_JWKS_FILE` (both follow a rotation without a restart), else the one public key
 * of `loadGatewayPublicKey`. Setting more than one is refused: which would win is not obvious.
 * A JWKS file must be a usable key set at start; a URL is first fetched by the first request.
 */
export function gatewayKeysFromEnv(env: Readonly<Record<string, string | undefined>> = process.env): { jwksUrl: string } | { jwksFile: string } | { publicKeyJwk: JWK } {
  const set = [GATEWAY_JWKS_URL_ENV, GATEWAY_JWKS_FILE_ENV, GATEWAY_PUBLIC_KEY_ENV].filter((name) => env[name]);
  if (set.length > 1) throw new Error(`set only one of ${set.join(', ')}: they name different sources of the gateway's keys`);
  const url = env[GATEWAY_JWKS_URL_ENV];
  if (url) return { jwksUrl: url };
  const file = env[GATEWAY_JWKS_FILE_ENV];
  if (file) return { jwksFile: file };
  return { publicKeyJwk: loadGatewayPublicKey(env) };
}

/**
 * Reads the gateway's public key (an Ed25519 JWK) from `PACTUM_GATEWAY_PUBLIC_KEY_FILE`, default
 * `<repo>/.pactum/keys/gateway.public.jwk` (written by the gateway's `ensureGatewayKeys`).
 * Throws an Error naming the file and the fix when it is absent or not a public Ed25519 JWK.
 */
export function loadGatewayPublicKey(env: Readonly<Record<string, string | undefined>> = process.env): JWK {
  const file = env[GATEWAY_PUBLIC_KEY_ENV] || path.join(findRepoRoot(), '.pactum', 'keys', 'gateway.public.jwk');
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new Error(
      `gateway public key ${file} is missing: start the gateway once (it writes the key) or set ${GATEWAY_PUBLIC_KEY_ENV}`,
    );
  }
  let jwk: unknown;
  try {
    jwk = JSON.parse(text);
  } catch {
    throw new Error(`gateway public key ${file} is not JSON`);
  }
  return checkPublicJwk(jwk, file);
}

/** Checks a JWK is a public (never private) Ed25519 key. */
export function checkPublicJwk(jwk: unknown, where: string): JWK {
  if (typeof jwk !== 'object' || jwk === null || Array.isArray(jwk)) throw new Error(`${where}: not a JSON Web Key`);
  const k = jwk as Record<string, unknown>;
  if (Object.hasOwn(k, 'd')) throw new Error(`${where}: contains a private key; give subgraphs the public key only`);
  if (k.kty !== 'OKP' || k.crv !== 'Ed25519' || typeof k.x !== 'string') throw new Error(`${where}: not an Ed25519 public key`);
  return { kty: 'OKP', crv: 'Ed25519', x: k.x, ...(typeof k.kid === 'string' ? { kid: k.kid } : {}) };
}
