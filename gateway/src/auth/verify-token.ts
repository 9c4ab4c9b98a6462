/**
 * Verifies an agency's bearer token and turns it into a `Principal`.
 *
 * Order of checks (pinned by tests): size → compact form → header (`alg` asymmetric) → issuer in
 * the registry → `alg` allowed for that issuer → key from the issuer's JWKS → signature →
 * `iss`/`aud`/`exp`/`nbf`/`iat` → claims. Nothing from the token is trusted before the
 * signature checks out, except the issuer used to pick which keys to check it against. Header
 * members such as `jku`, `x5u` or `jwk` are never followed: keys come only from the registry.
 */
import { hash } from 'node:crypto';
import { errors as joseErrors, jwtVerify } from 'jose';
import { ByteLruCache, defaultCacheBudget, estimateVerifiedTokenBytes } from '../cache';
import { UnauthenticatedError } from '../errors';
import { isAsymmetricAlgorithm } from './algorithms';
import { createJwksSource, type JwksOptions, type JwksSource, type JwksState } from './jwks-source';
import type { Principal } from './principal';
import { principalFromClaims } from './principal-from-claims';
import { isRecord } from './shape';
import type { TrustRegistry } from './trust-registry';

/** Options of {@link createTokenVerifier}. */
export interface TokenVerifierOptions {
  readonly registry: TrustRegistry;
  /** Allowed clock skew for `exp`/`nbf`/`iat`, in seconds. Default 30. */
  readonly clockToleranceSec?: number;
  /** Longest token accepted, in bytes. Default 8 192. */
  readonly maxTokenBytes?: number;
  /** JWKS fetching, caching and fail-closed limits. */
  readonly jwks?: JwksOptions;
  /** Clock, injectable for tests. Default `() => new Date()`. */
  readonly now?: () => Date;
  /**
   * Verified tokens remembered (SHA-256 of the exact token text → principal), so a front-end
   * reusing its token does not pay a signature check per request. Default 50 000 (the byte bound
   * below is the one that binds); 0 disables.
   */
  readonly cacheSize?: number;
  /**
   * Most estimated bytes of verified tokens remembered (digest and principal: ≈ 1.2 kB each by
   * the estimate, ≈ 1 kB measured). Default: the `verifiedTokens` share of the process's cache
   * budget (≈ 14 MB of a default gateway: some 11 000 signed-in users).
   */
  readonly cacheBytes?: number;
  /**
   * How long a verified token is trusted without re-checking, in seconds (and never past its
   * `exp`). Bounds how late a key removed from the JWKS takes effect. Default 60.
   */
  readonly cacheTtlSec?: number;
}

/** Verifies agency tokens. */
export interface TokenVerifier {
  /** Resolves the principal, or rejects with `UnauthenticatedError` (code `UNAUTHENTICATED`, a `reason`). */
  verify(token: string): Promise<Principal>;
  /** Each agency's identity provider and the state of its keys (for `/readyz` and metrics). */
  identityProviders(): { readonly agency: string; readonly issuer: string; readonly state: JwksState }[];
  /**
   * Whether this exact token text passed verification here and is still remembered (the
   * verified-token cache, however old the entry): a token nobody could have made without the
   * issuer's key. The failed-authentication budget lets such a token through an address it has
   * blocked, so one client sending bad tokens from behind a shared proxy does not lock out the
   * others already signed in. Says nothing about whether the token is still valid.
   */
  wasVerified(token: string): boolean;
}

const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

/** Creates a verifier over the registry's issuers; each issuer gets its own JWKS cache. */
export function createTokenVerifier(options: TokenVerifierOptions): TokenVerifier {
  const tolerance = options.clockToleranceSec ?? 30;
  const maxBytes = options.maxTokenBytes ?? 8192;
  if (!(Number.isFinite(tolerance) && tolerance >= 0 && tolerance <= 300)) throw new RangeError('clockToleranceSec must be within 0..300');
  if (!(Number.isInteger(maxBytes) && maxBytes >= 512)) throw new RangeError('maxTokenBytes must be an integer ≥ 512');
  const now = options.now ?? (() => new Date());
  const cacheSize = options.cacheSize ?? 50_000;
  const cacheTtlMs = (options.cacheTtlSec ?? 60) * 1000;
  const verified =
    cacheSize > 0
      ? new ByteLruCache<string, { principal: Principal; until: number }>({
          maxEntries: cacheSize,
          maxBytes: options.cacheBytes ?? defaultCacheBudget().verifiedTokens,
          sizeOf: ({ principal }, digest) => estimateVerifiedTokenBytes(digest, principalStrings(principal)),
        })
      : undefined;
  const sources = new Map<string, JwksSource>();
  for (const agency of options.registry.agencies) {
    const idp = agency.identityProvider;
    sources.set(idp.issuer, createJwksSource(idp.jwks, options.jwks, () => now().getTime()));
  }

  async function verifyUncached(token: string): Promise<{ principal: Principal; exp: number }> {
    if (!COMPACT_JWS.test(token)) throw new UnauthenticatedError('malformed_token', 'token is not a compact JWS (header.payload.signature)');
    const [headerPart = '', payloadPart = ''] = token.split('.');

    const header = decodeSegment(headerPart);
    if (!header) throw new UnauthenticatedError('bad_header', 'token header is not a JSON object');
    const alg = own(header, 'alg');
    if (!isAsymmetricAlgorithm(alg)) throw new UnauthenticatedError('alg_not_allowed', 'token algorithm is not allowed (asymmetric only)');
    const kid = own(header, 'kid');
    if (kid !== undefined && (typeof kid !== 'string' || kid.length > 256)) throw new UnauthenticatedError('bad_header', 'token header "kid" is malformed');
    if (own(header, 'crit') !== undefined) throw new UnauthenticatedError('bad_header', 'token header "crit" is not supported');

    const payload = decodeSegment(payloadPart);
    if (!payload) throw new UnauthenticatedError('malformed_token', 'token payload is not a JSON object');
    const iss = own(payload, 'iss');
    const agency = typeof iss === 'string' ? options.registry.byIssuer(iss) : undefined;
    if (!agency) throw new UnauthenticatedError('unknown_issuer', 'token issuer is not in the trust registry');
    if (!agency.identityProvider.algorithms.includes(alg)) {
      throw new UnauthenticatedError('alg_not_allowed', 'token algorithm is not allowed for this issuer');
    }

    const source = sources.get(agency.identityProvider.issuer);
    if (!source) throw new UnauthenticatedError('unknown_issuer', 'token issuer is not in the trust registry');
    const key = await source.getKey(alg, kid);

    const currentDate = now();
    let claims: Record<string, unknown>;
    try {
      const result = await jwtVerify(token, key, {
        algorithms: [alg],
        issuer: agency.identityProvider.issuer,
        audience: [...agency.identityProvider.audience],
        clockTolerance: tolerance,
        currentDate,
        requiredClaims: ['exp', 'iat'],
      });
      claims = result.payload;
    } catch (error) {
      throw mapJoseError(error);
    }
    // jose checks `iat` only against a max age; a token issued in the future is not valid yet.
    const iat = own(claims, 'iat');
    if (typeof iat === 'number' && iat > currentDate.getTime() / 1000 + tolerance) {
      throw new UnauthenticatedError('token_not_yet_valid', 'token is issued in the future');
    }
    const exp = own(claims, 'exp');
    return { principal: principalFromClaims(claims, agency), exp: typeof exp === 'number' ? exp : 0 };
  }

  return {
    async verify(token) {
      if (typeof token !== 'string' || token === '') throw new UnauthenticatedError('missing_token', 'no bearer token');
      // Before any decoding or lookup: a huge token costs nothing to refuse.
      if (token.length > maxBytes || Buffer.byteLength(token, 'utf8') > maxBytes) {
        throw new UnauthenticatedError('token_too_large', `token exceeds ${maxBytes} bytes`);
      }
      const digest = verified ? tokenDigest(token) : '';
      if (verified) {
        const hit = verified.get(digest);
        if (hit && now().getTime() < hit.until) return hit.principal;
        if (hit) verified.delete(digest);
      }
      const { principal, exp } = await verifyUncached(token);
      if (verified) {
        const t = now().getTime();
        // Trusted until the earlier of the cache ttl and the token's own expiry (no tolerance added).
        const until = Math.min(t + cacheTtlMs, exp * 1000);
        if (until > t) verified.set(digest, { principal, until });
      }
      return principal;
    },
    wasVerified(token) {
      if (!verified || typeof token !== 'string' || token === '' || token.length > maxBytes) return false;
      // Only while the verification is still good (the same test `verify` applies to a cache hit).
      const hit = verified.get(tokenDigest(token));
      return hit !== undefined && now().getTime() < hit.until;
    },
    identityProviders() {
      return options.registry.agencies.map((a) => ({
        agency: a.id,
        issuer: a.identityProvider.issuer,
        state: sources.get(a.identityProvider.issuer)?.state() ?? 'unavailable',
      }));
    },
  };
}

/**
 * The verified-token cache's key: SHA-256 of the exact token text. A digest instead of the text
 * itself keeps 43 characters per entry instead of the whole token (600–1,000 bytes), which is
 * most of what an entry weighs; equal digests mean equal tokens short of a SHA-256 collision,
 * so a hit still means "this very token passed verification here".
 */
function tokenDigest(token: string): string {
  return hash('sha256', token, 'base64url');
}

/** The strings a principal keeps alive, for weighing a cache entry. */
function* principalStrings(p: Principal): Iterable<string> {
  yield p.subject;
  yield p.agency;
  yield p.issuer;
  yield p.clearance;
  yield* p.roles;
  yield* p.purposes;
  yield* p.cases;
  if (p.tokenId !== undefined) yield p.tokenId;
}

function own(record: Record<string, unknown>, key: string): unknown {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}

function decodeSegment(segment: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
    return isRecord(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

/** jose's error → our reason. Messages are ours: short, no token content. */
function mapJoseError(error: unknown): UnauthenticatedError {
  if (error instanceof joseErrors.JWTExpired) return new UnauthenticatedError('token_expired', 'token has expired');
  if (error instanceof joseErrors.JWTClaimValidationFailed) {
    switch (error.claim) {
      case 'nbf':
        return error.reason === 'check_failed'
          ? new UnauthenticatedError('token_not_yet_valid', 'token is not valid yet')
          : new UnauthenticatedError('invalid_claims', 'the token\'s "nbf" claim is malformed');
      case 'aud':
        return new UnauthenticatedError('wrong_audience', 'token is not meant for this gateway');
      case 'iss':
        return new UnauthenticatedError('unknown_issuer', 'token issuer is not in the trust registry');
      default:
        return new UnauthenticatedError('invalid_claims', `the token's "${error.claim}" claim is missing or malformed`);
    }
  }
  if (error instanceof joseErrors.JWSSignatureVerificationFailed) return new UnauthenticatedError('bad_signature', 'token signature is invalid');
  if (error instanceof joseErrors.JOSEAlgNotAllowed) return new UnauthenticatedError('alg_not_allowed', 'token algorithm is not allowed');
  if (error instanceof joseErrors.JWTInvalid) return new UnauthenticatedError('invalid_claims', 'token claims are not a valid JSON object');
  if (error instanceof joseErrors.JOSEError) return new UnauthenticatedError('malformed_token', 'token could not be verified', { cause: error });
  throw error;
}
