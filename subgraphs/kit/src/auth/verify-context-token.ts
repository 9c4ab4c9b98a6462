/**
 * Subgraph side of gateway → subgraph trust: every request must carry a context token signed by
 * the gateway (`authorization: Bearer <token>`), meant for THIS subgraph (`aud`), at most a
 * minute long. Plug the returned function into `createSubgraphServer({ authenticate })`; it runs
 * for every /graphql request, `_service` and `_entities` included, before the body is parsed.
 */
import { decodeProtectedHeader, errors as joseErrors, importJWK, jwtVerify, type JWK, type JWTHeaderParameters, type JWTVerifyGetKey, type KeyLike } from 'jose';
import type { AuthenticateHook } from '../server/types';
import { ContextTokenError } from './context-token-error';
import { fileGatewayKeySet, remoteGatewayKeySet, type GatewayKeySetOptions } from './gateway-key-set';
import { checkPublicJwk } from './load-gateway-public-key';
import { readFileSync } from 'node:fs';

/** `iss` of context tokens (the gateway). */
export const CONTEXT_TOKEN_ISSUER = 'pactum-gateway';
/** `typ` header of context tokens. */
export const CONTEXT_TOKEN_TYPE = 'pactum-context+jwt';
/** Longest lifetime (`exp - iat`) accepted, in seconds. */
export const CONTEXT_TOKEN_MAX_TTL_SEC = 60;

/**
 * Options of {@link createContextTokenVerifier}. Give exactly one of `publicKeyJwk` /
 * `publicKeyFile` (one fixed key) or `jwksUrl` / `jwksFile` (the gateway's published key set,
 * which follows a key rotation without a restart: `gateway-key-set.ts`).
 */
export interface ContextTokenVerifierOptions {
  /** The gateway's public Ed25519 JWK (see `loadGatewayPublicKey`). */
  readonly publicKeyJwk?: JWK;
  /** A file holding that JWK. */
  readonly publicKeyFile?: string;
  /** The gateway's JWKS endpoint, `https://…/.well-known/jwks.json` (http only to loopback). */
  readonly jwksUrl?: string;
  /** A file holding the gateway's JWKS (re-read when it changes). */
  readonly jwksFile?: string;
  /** Cache and cool-down of `jwksUrl` / `jwksFile`. */
  readonly jwks?: GatewayKeySetOptions;
  /** This subgraph's name (`police`, …): tokens for any other audience are refused. */
  readonly audience: string;
  /** Allowed clock skew in seconds. Default 5. */
  readonly clockToleranceSec?: number;
  /** Clock, for tests. */
  readonly now?: () => Date;
  /**
   * Verified tokens remembered (exact token text → the caller it vouches for), so the calls that
   * share one token (the gateway reuses a token for up to 30 s) pay one signature check between
   * them. A remembered token is still refused once it expires, and once the key set no longer
   * gives the very key that verified it (a key retired, the set re-read), so a rotation takes
   * effect exactly as without it. Default 10 000; 0 disables.
   */
  readonly cacheSize?: number;
}

/** The caller a context token vouches for. */
type Caller = Awaited<ReturnType<AuthenticateHook>>;

/** A verification key, as a key set gives it. */
type VerifyKey = Awaited<ReturnType<JWTVerifyGetKey>>;

/** A token that passed: who it vouches for, the key that verified it, until when it holds. */
interface Verified {
  readonly caller: Caller;
  readonly key: VerifyKey;
  /** `exp` plus the clock tolerance, ms: what jose would still accept. */
  readonly untilMs: number;
}

const BEARER = /^Bearer ([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)$/i;
const MAX_TOKEN_BYTES = 4096;

/** Returns the `authenticate` hook for the kit's server; it throws {@link ContextTokenError}. */
export function createContextTokenVerifier(options: ContextTokenVerifierOptions): AuthenticateHook {
  const sources = [options.publicKeyJwk, options.publicKeyFile, options.jwksUrl, options.jwksFile].filter((s) => s !== undefined);
  if (sources.length !== 1) throw new TypeError('give exactly one of publicKeyJwk, publicKeyFile, jwksUrl or jwksFile');
  if (!options.audience) throw new TypeError('audience (the subgraph name) is required');
  const tolerance = options.clockToleranceSec ?? 5;
  const key = verificationKey(options);
  const now = options.now ?? (() => new Date());
  const cacheSize = options.cacheSize ?? 10_000;
  if (!(Number.isInteger(cacheSize) && cacheSize >= 0)) throw new RangeError('cacheSize must be a whole number ≥ 0');
  /** Insertion order is recency: a hit moves its entry to the end, the first one is evicted. */
  const verified = new Map<string, Verified>();

  /** The key the key set gives for this token now (the one fixed key, or the set's pick by kid). */
  async function currentKey(token: string): Promise<VerifyKey> {
    if (typeof key !== 'function') return key;
    const [protectedPart = '', payload = '', signature = ''] = token.split('.');
    // This exact token passed jwtVerify before, so its header is a JWT's.
    return key(decodeProtectedHeader(token) as JWTHeaderParameters, { protected: protectedPart, payload, signature });
  }

  /** The remembered caller of this token, if it still holds with the key the set gives now. */
  async function remembered(token: string, nowMs: number): Promise<Caller | undefined> {
    const hit = verified.get(token);
    if (!hit) return undefined;
    verified.delete(token);
    if (nowMs >= hit.untilMs) return undefined;
    let keyNow: VerifyKey;
    try {
      keyNow = await currentKey(token);
    } catch {
      // The set no longer gives a key for it (or cannot be read): verify afresh, which refuses.
      return undefined;
    }
    if (keyNow !== hit.key) return undefined;
    verified.set(token, hit);
    return { ...hit.caller };
  }

  return async (req) => {
    const header = req.headers.authorization;
    if (header === undefined || header === '') throw new ContextTokenError('missing_token', 'gateway context token required');
    if (header.length > MAX_TOKEN_BYTES) throw new ContextTokenError('token_too_large', 'context token too large');
    const token = BEARER.exec(header)?.[1];
    if (!token) throw new ContextTokenError('bad_header', 'authorization must be "Bearer <context token>"');

    const currentDate = now();
    if (cacheSize > 0) {
      const caller = await remembered(token, currentDate.getTime());
      if (caller) return caller;
    }
    let payload: Record<string, unknown>;
    let usedKey: VerifyKey | undefined;
    try {
      const verifyOptions = {
        algorithms: ['EdDSA'],
        issuer: CONTEXT_TOKEN_ISSUER,
        audience: options.audience,
        typ: CONTEXT_TOKEN_TYPE,
        clockTolerance: tolerance,
        currentDate,
        requiredClaims: ['exp', 'iat', 'sub'],
      };
      if (typeof key === 'function') {
        ({ payload } = await jwtVerify(
          token,
          async (protectedHeader, jws) => {
            usedKey = await key(protectedHeader, jws);
            return usedKey;
          },
          verifyOptions,
        ));
      } else {
        usedKey = await key;
        ({ payload } = await jwtVerify(token, usedKey, verifyOptions));
      }
    } catch (error) {
      throw mapError(error);
    }
    const claim = (name: string): unknown => (Object.hasOwn(payload, name) ? payload[name] : undefined);
    const iat = claim('iat');
    const exp = claim('exp');
    if (typeof iat !== 'number' || typeof exp !== 'number' || exp - iat > CONTEXT_TOKEN_MAX_TTL_SEC) {
      // A long-lived token is not one the gateway makes: refuse rather than trust it for longer.
      throw new ContextTokenError('invalid_claims', 'context token lifetime exceeds 60 s');
    }
    if (iat > currentDate.getTime() / 1000 + tolerance) throw new ContextTokenError('token_not_yet_valid', 'context token issued in the future');
    const str = (name: string, required: boolean): string | undefined => {
      const value = claim(name);
      if (value === undefined && !required) return undefined;
      if (typeof value !== 'string' || value === '' || value.length > 256) throw new ContextTokenError('invalid_claims', `context token claim ${name} is missing or malformed`);
      return value;
    };
    const caseRef = str('caseRef', false);
    const requestId = str('rid', false);
    const caller: Caller = {
      subject: str('sub', true) ?? '',
      agency: str('agency', true) ?? '',
      purpose: str('purpose', true) ?? '',
      ...(caseRef !== undefined ? { caseRef } : {}),
      ...(requestId !== undefined ? { requestId } : {}),
    };
    if (cacheSize > 0 && usedKey !== undefined) {
      verified.set(token, { caller: { ...caller }, key: usedKey, untilMs: (exp + tolerance) * 1000 });
      if (verified.size > cacheSize) {
        const oldest = verified.keys().next();
        if (!oldest.done) verified.delete(oldest.value);
      }
    }
    return caller;
  };
}

/** One fixed key (imported once) or a published key set looked up by the token's `kid`. */
function verificationKey(options: ContextTokenVerifierOptions): Promise<KeyLike | Uint8Array> | JWTVerifyGetKey {
  if (options.jwksUrl !== undefined) return remoteGatewayKeySet(options.jwksUrl, options.jwks);
  if (options.jwksFile !== undefined) return fileGatewayKeySet(options.jwksFile, options.jwks);
  const jwk =
    options.publicKeyJwk !== undefined
      ? checkPublicJwk(options.publicKeyJwk, 'publicKeyJwk')
      : checkPublicJwk(JSON.parse(readFileSync(options.publicKeyFile ?? '', 'utf8')) as unknown, options.publicKeyFile ?? '');
  return importJWK(jwk, 'EdDSA');
}

function mapError(error: unknown): ContextTokenError {
  if (error instanceof ContextTokenError) return error;
  if (error instanceof joseErrors.JWTExpired) return new ContextTokenError('token_expired', 'context token expired');
  if (error instanceof joseErrors.JWTClaimValidationFailed) {
    switch (error.claim) {
      case 'aud':
        return new ContextTokenError('wrong_audience', 'context token is for another subgraph');
      case 'iss':
        return new ContextTokenError('unknown_issuer', 'context token not issued by the gateway');
      case 'typ':
        return new ContextTokenError('bad_header', 'not a context token');
      case 'nbf':
        return new ContextTokenError('token_not_yet_valid', 'context token not valid yet');
      default:
        return new ContextTokenError('invalid_claims', 'context token claims are malformed');
    }
  }
  if (error instanceof joseErrors.JWSSignatureVerificationFailed) return new ContextTokenError('bad_signature', 'context token signature invalid');
  if (error instanceof joseErrors.JOSEAlgNotAllowed) return new ContextTokenError('alg_not_allowed', 'context token algorithm not allowed');
  return new ContextTokenError('malformed_token', 'context token malformed');
}
