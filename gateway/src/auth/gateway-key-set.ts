/**
 * The gateway's signing keys during a rotation, as files in its key folder (`<state>/keys`):
 *
 * | file | holds | role |
 * |---|---|---|
 * | `gateway.private.jwk` (0600) | the current key | signs every context token; published |
 * | `gateway.next.private.jwk` (0600) | the next key, optional | published only, so subgraphs know it before it signs |
 * | `gateway.previous.public.jwk` | the public half of the key that signed before, optional | published only, while tokens it signed may still be alive |
 *
 * The published set (`/.well-known/jwks.json`, and `gateway.jwks.json` beside the keys for
 * subgraphs that read a file) is current + next + previous, each with its RFC 7638 `kid`.
 * A retired key is no longer published but its public half is kept in `gateway.retired.jwks.json`
 * for good: audit checkpoints it signed must still verify (`knownGatewayPublicKeys`).
 * `rotate-gateway-keys.ts` moves a key from one role to the next; a running gateway follows the
 * files (`watch-gateway-keys.ts`).
 */
import type { KeyObject } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { JWK } from 'jose';
import { ConfigError } from '../errors';
import { displayPath } from '../config/paths';
import { ensureGatewayKeys, publicJwkOf, readGatewayPrivateKey, thumbprint } from './ensure-gateway-keys';
import { readJwkFile, replaceFile } from './key-files';

/** File names of the key folder. */
export const GATEWAY_KEY_FILES = {
  current: 'gateway.private.jwk',
  next: 'gateway.next.private.jwk',
  previous: 'gateway.previous.public.jwk',
  currentPublic: 'gateway.public.jwk',
  jwks: 'gateway.jwks.json',
  /** Public halves of retired keys, kept for good: audit checkpoints they signed must still verify. */
  retired: 'gateway.retired.jwks.json',
} as const;

/** A published key: its `kid` and public JWK. */
export interface PublishedKey {
  readonly kid: string;
  readonly publicJwk: Readonly<JWK>;
}

/** The key folder as loaded. */
export interface GatewayKeySet {
  readonly dir: string;
  /** Signs context tokens. */
  readonly current: PublishedKey & { readonly privateKey: KeyObject };
  readonly next?: PublishedKey;
  readonly previous?: PublishedKey;
  /** The published JWKS: current, next, previous (the ones present). */
  readonly jwks: { readonly keys: readonly Readonly<JWK>[] };
}

function readEd25519Public(file: string): PublishedKey {
  const jwk = readJwkFile(file);
  if (Object.hasOwn(jwk, 'd')) throw new ConfigError('key_unreadable', `${displayPath(file)}: holds a private key; the previous key is kept as its public half only`);
  if (jwk.kty !== 'OKP' || jwk.crv !== 'Ed25519' || typeof jwk.x !== 'string') throw new ConfigError('key_unreadable', `${displayPath(file)}: not an Ed25519 public key`);
  const members: JWK = { kty: 'OKP', crv: 'Ed25519', x: jwk.x };
  const kid = thumbprint(members);
  return { kid, publicJwk: { ...members, kid, alg: 'EdDSA', use: 'sig' } };
}

/**
 * Loads the key folder `dir`, generating the current key when there is none (unless
 * `create: false`), and (re)writes
 * `gateway.jwks.json` when the published set changed.
 * @throws ConfigError naming the file when a key is unreadable, has the wrong type or permissions,
 *   or two roles hold the same key.
 */
export function loadGatewayKeySet(dir: string, options: { readonly create?: boolean } = {}): GatewayKeySet {
  const currentFile = path.join(dir, GATEWAY_KEY_FILES.current);
  // Only a first start makes a key; a folder whose current key went missing later is an error.
  if (options.create === false && !existsSync(currentFile)) throw new ConfigError('key_missing', `${displayPath(currentFile)}: the current signing key is missing`);
  const base = ensureGatewayKeys(dir);
  const current = { kid: base.kid, publicJwk: base.publicJwk, privateKey: base.privateKey };
  const nextFile = path.join(dir, GATEWAY_KEY_FILES.next);
  const previousFile = path.join(dir, GATEWAY_KEY_FILES.previous);
  let next: PublishedKey | undefined;
  if (existsSync(nextFile)) {
    const publicJwk = publicJwkOf(readGatewayPrivateKey(nextFile));
    next = { kid: publicJwk.kid ?? '', publicJwk };
  }
  const previous = existsSync(previousFile) ? readEd25519Public(previousFile) : undefined;
  if (next?.kid === current.kid) throw new ConfigError('key_unreadable', `${displayPath(nextFile)}: is the current key; remove it`);
  if (previous?.kid === current.kid) throw new ConfigError('key_unreadable', `${displayPath(previousFile)}: is the current key; remove it`);
  const keys = [current, next, previous].filter((k): k is PublishedKey => k !== undefined).map((k) => k.publicJwk);
  const jwks = { keys };
  const jwksFile = path.join(dir, GATEWAY_KEY_FILES.jwks);
  const text = `${JSON.stringify(jwks, null, 2)}\n`;
  if (!existsSync(jwksFile) || readFileSync(jwksFile, 'utf8') !== text) replaceFile(jwksFile, text, 0o644);
  return Object.freeze({ dir, current, ...(next ? { next } : {}), ...(previous ? { previous } : {}), jwks });
}

/** Public halves of the keys retired from `dir` (none when the file is absent). */
export function retiredGatewayPublicKeys(dir: string): JWK[] {
  const file = path.join(dir, GATEWAY_KEY_FILES.retired);
  if (!existsSync(file)) return [];
  return readJwkSetFile(file);
}

function readJwkSetFile(file: string): JWK[] {
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(file, 'utf8'));
  } catch (cause) {
    throw new ConfigError('key_unreadable', `${displayPath(file)}: not a readable JWKS`, { cause });
  }
  const keys = typeof value === 'object' && value !== null ? (value as { keys?: unknown }).keys : undefined;
  if (!Array.isArray(keys) || keys.some((k) => typeof k !== 'object' || k === null || Object.hasOwn(k, 'd') || typeof (k as JWK).kid !== 'string')) {
    throw new ConfigError('key_unreadable', `${displayPath(file)}: must be {"keys": [public keys with a kid]}`);
  }
  return keys as JWK[];
}

/** Every public key of `dir` that ever signed or may sign: published (current, next, previous) and retired. */
export function knownGatewayPublicKeys(dir: string): JWK[] {
  const keys: JWK[] = [];
  const jwks = path.join(dir, GATEWAY_KEY_FILES.jwks);
  for (const k of [...(existsSync(jwks) ? readJwkSetFile(jwks) : []), ...retiredGatewayPublicKeys(dir)]) {
    if (!keys.some((known) => known.kid === k.kid)) keys.push(k);
  }
  return keys;
}
