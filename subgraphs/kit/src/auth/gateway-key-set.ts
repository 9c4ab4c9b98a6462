/**
 * Where a subgraph finds the gateway's public keys when the gateway rotates its signing key: its
 * published JWKS (several `kid`s during a rotation), fetched from a URL or read from a file, and
 * picked by the `kid` of each context token. A new signing key therefore reaches every subgraph
 * without a restart:
 *
 * - URL (`PACTUM_GATEWAY_JWKS_URL`, the gateway's `/.well-known/jwks.json`): jose's remote key
 *   set. Cached for `cacheMaxAgeMs` (default 60 s); a token with a `kid` not in the cache makes
 *   it fetch again once, unless it fetched less than `cooldownMs` ago (default 5 s) — so a flood
 *   of unknown `kid`s costs one fetch per cool-down, not one per request. https, or http to a
 *   loopback address only: whoever can change the keys in transit can forge any context token.
 * - file (`PACTUM_GATEWAY_JWKS_FILE`, e.g. a mounted ConfigMap): re-read when it changes (its
 *   identity, size or mtime, looked at no more than once per `cooldownMs`); while it is missing or
 *   broken every request is refused.
 *
 * Fail closed: keys that cannot be fetched or read refuse the request (`keys_unavailable`); a
 * `kid` the gateway does not publish refuses it (`unknown_key`). A key set holding a private key,
 * or a key that is not Ed25519, is refused whole.
 */
import { statSync, readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { createLocalJWKSet, createRemoteJWKSet, errors as joseErrors, type JWK, type JWTVerifyGetKey } from 'jose';
import { ContextTokenError } from './context-token-error';
import { checkPublicJwk } from './load-gateway-public-key';

/** Timing of a published key set. */
export interface GatewayKeySetOptions {
  /** Longest a fetched key set is used before it is fetched again, ms. Default 60 000. */
  readonly cacheMaxAgeMs?: number;
  /** Shortest time between two fetches (or file checks), ms. Default 5 000. */
  readonly cooldownMs?: number;
  /** Fetch timeout, ms. Default 2 000. */
  readonly timeoutMs?: number;
}

/** Checks a JWKS document: `{ keys: [...] }` of public Ed25519 keys, each with a `kid`. */
export function checkGatewayJwks(value: unknown, where: string): { keys: JWK[] } {
  if (typeof value !== 'object' || value === null || !Array.isArray((value as { keys?: unknown }).keys)) throw new Error(`${where}: not a JWKS ({"keys": [...]})`);
  const keys = (value as { keys: unknown[] }).keys.map((k, i) => {
    const jwk = checkPublicJwk(k, `${where}: keys[${i}]`);
    if (typeof jwk.kid !== 'string' || jwk.kid === '') throw new Error(`${where}: keys[${i}] has no kid`);
    return { ...jwk, alg: 'EdDSA' };
  });
  if (keys.length === 0) throw new Error(`${where}: the key set is empty`);
  return { keys };
}

/** Turns a key-lookup failure into the refusal the subgraph answers with. */
function refusal(error: unknown): ContextTokenError {
  if (error instanceof ContextTokenError) return error;
  if (error instanceof joseErrors.JWKSNoMatchingKey || error instanceof joseErrors.JWKSMultipleMatchingKeys) {
    return new ContextTokenError('unknown_key', 'context token signed by a key the gateway does not publish');
  }
  return new ContextTokenError('keys_unavailable', "the gateway's public keys are unavailable");
}

function guarded(lookup: JWTVerifyGetKey): JWTVerifyGetKey {
  return async (header, token) => {
    // Every context token names its key; without a kid there is nothing to choose by.
    if (typeof header.kid !== 'string' || header.kid === '') throw new ContextTokenError('unknown_key', 'context token names no key (kid)');
    try {
      return await lookup(header, token);
    } catch (error) {
      throw refusal(error);
    }
  };
}

function isLoopback(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '');
  if (host === 'localhost') return true;
  if (isIP(host) === 4) return host.startsWith('127.');
  return host === '::1';
}

/** The gateway's published keys at `url`; see the file comment. @throws TypeError on a URL it will not use. */
export function remoteGatewayKeySet(url: string, options: GatewayKeySetOptions = {}): JWTVerifyGetKey {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new TypeError(`gateway JWKS URL ${JSON.stringify(url)} is not a URL`);
  }
  if (!(parsed.protocol === 'https:' || (parsed.protocol === 'http:' && isLoopback(parsed.hostname)))) {
    throw new TypeError(`gateway JWKS URL ${parsed.origin}: must be https (http only to a loopback address)`);
  }
  if (parsed.username || parsed.password) throw new TypeError('gateway JWKS URL must not carry credentials');
  const remote = createRemoteJWKSet(parsed, {
    cacheMaxAge: options.cacheMaxAgeMs ?? 60_000,
    cooldownDuration: options.cooldownMs ?? 5_000,
    timeoutDuration: options.timeoutMs ?? 2_000,
  });
  // jose keeps only the keys usable for the token's algorithm (EdDSA) and verifies with public keys only.
  return guarded(remote);
}

/** The gateway's published keys in a JWKS file; see the file comment. @throws Error when the file is not a usable key set now. */
export function fileGatewayKeySet(file: string, options: GatewayKeySetOptions = {}): JWTVerifyGetKey {
  const cooldown = options.cooldownMs ?? 5_000;
  const signature = (): string => {
    const s = statSync(file);
    return `${s.dev}:${s.ino}:${s.size}:${s.mtimeMs}`;
  };
  const read = (): { seen: string; lookup: JWTVerifyGetKey } => {
    const seen = signature();
    return { seen, lookup: createLocalJWKSet(checkGatewayJwks(JSON.parse(readFileSync(file, 'utf8')) as unknown, file)) };
  };
  let current = read();
  let checkedAt = Date.now();
  return guarded(async (header, token) => {
    if (Date.now() - checkedAt >= cooldown) {
      checkedAt = Date.now();
      try {
        if (signature() !== current.seen) current = read();
      } catch (error) {
        // A file that is gone or broken refuses every request until it is good again.
        current = {
          seen: '',
          lookup: () => {
            throw error;
          },
        };
      }
    }
    return current.lookup(header, token);
  });
}
