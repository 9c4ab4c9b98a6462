/**
 * Subgraph side of gateway → subgraph trust: every request must carry a context token signed by
 * the gateway (`authorization: Bearer <token>`), meant for THIS subgraph (`aud`), at most a
 * minute long. Plug the returned function into `createSubgraphServer({ authenticate })`; it runs
 * for every /graphql request, `_service` and `_entities` included, before the body is parsed.
 */
import { errors as joseErrors, importJWK, jwtVerify, type JWK, type JWTVerifyGetKey, type KeyLike } from 'jose';
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

  return async (req) => {
    const header = req.headers.authorization;
    if (header === undefined || header === '') throw new ContextTokenError('missing_token', 'gateway context token required');
    if (header.length > MAX_TOKEN_BYTES) throw new ContextTokenError('token_too_large', 'context token too large');
    const token = BEARER.exec(header)?.[1];
    if (!token) throw new ContextTokenError('bad_header', 'authorization must be "Bearer <context token>"');

    const currentDate = now();
    let payload: Record<string, unknown>;
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
      ({ payload } = typeof key === 'function' ? await jwtVerify(token, key, verifyOptions) : await jwtVerify(token, await key, verifyOptions));
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
    return {
      subject: str('sub', true) ?? '',
      agency: str('agency', true) ?? '',
      purpose: str('purpose', true) ?? '',
      ...(caseRef !== undefined ? { caseRef } : {}),
      ...(requestId !== undefined ? { requestId } : {}),
    };
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
