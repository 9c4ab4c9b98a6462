/**
 * The gateway's own signing key (Ed25519), used for the context tokens subgraphs verify.
 * Generated on first start; the public half is what subgraphs are configured with.
 */
import { createHash, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { JWK } from 'jose';
import { ConfigError } from '../errors';
import { createFileOnce, readPrivateKeyFile, replaceFile } from './key-files';
import { displayPath, stateDir } from '../config/paths';

/** The gateway key pair as loaded from disk. */
export interface GatewayKeys {
  readonly privateKey: KeyObject;
  /** Public JWK including `kid`, `alg: EdDSA`, `use: sig`: what subgraphs verify with. */
  readonly publicJwk: Readonly<JWK>;
  /** RFC 7638 thumbprint of the public key. */
  readonly kid: string;
  readonly privateKeyFile: string;
  readonly publicKeyFile: string;
}

/** Default key directory: `<state dir>/keys` (`<repo>/.pactum/keys` unless PACTUM_STATE_DIR says otherwise). */
export function defaultGatewayKeyDir(): string {
  return path.join(stateDir(), 'keys');
}

/**
 * Loads `<dir>/gateway.private.jwk` (mode 0600), generating it on first start, and (re)writes
 * `<dir>/gateway.public.jwk` from it so the two always match.
 */
export function ensureGatewayKeys(dir: string = defaultGatewayKeyDir()): GatewayKeys {
  const privateKeyFile = path.join(dir, 'gateway.private.jwk');
  const publicKeyFile = path.join(dir, 'gateway.public.jwk');
  if (!existsSync(privateKeyFile)) {
    const { privateKey } = generateKeyPairSync('ed25519');
    createFileOnce(privateKeyFile, `${JSON.stringify(privateKey.export({ format: 'jwk' }))}\n`, 0o600);
  }
  const privateKey = readGatewayPrivateKey(privateKeyFile);
  const publicJwk = publicJwkOf(privateKey);
  const text = `${JSON.stringify(publicJwk, null, 2)}\n`;
  const current = existsSync(publicKeyFile) ? readFileSync(publicKeyFile, 'utf8') : undefined;
  if (current !== text) replaceFile(publicKeyFile, text, 0o644);
  return Object.freeze({ privateKey, publicJwk, kid: publicJwk.kid ?? '', privateKeyFile, publicKeyFile });
}

/** A gateway signing key from its JWK file: owner-only, usable, Ed25519 — or a ConfigError naming the file. */
export function readGatewayPrivateKey(file: string): KeyObject {
  const privateKey = readPrivateKeyFile(file);
  if (privateKey.asymmetricKeyType !== 'ed25519') throw new ConfigError('key_unreadable', `${displayPath(file)}: the gateway key must be Ed25519`);
  return privateKey;
}

/** Public JWK of an Ed25519/P-256 private key, with its thumbprint as `kid`. */
export function publicJwkOf(privateKey: KeyObject): JWK {
  const { kty = '', crv, x, y } = createPublicKey(privateKey).export({ format: 'jwk' });
  const exported: JWK = { kty, crv, x, ...(y !== undefined ? { y } : {}) };
  const alg = privateKey.asymmetricKeyType === 'ed25519' ? 'EdDSA' : 'ES256';
  return { ...exported, kid: thumbprint(exported), alg, use: 'sig' };
}

/** RFC 7638 JWK thumbprint (SHA-256, base64url) for OKP and EC keys. */
export function thumbprint(jwk: JWK): string {
  const members =
    jwk.kty === 'OKP' ? { crv: jwk.crv, kty: jwk.kty, x: jwk.x } : { crv: jwk.crv, kty: jwk.kty, x: jwk.x, y: jwk.y };
  return createHash('sha256').update(JSON.stringify(members)).digest('base64url');
}
