/**
 * Gateway → subgraph trust: a short-lived context token, signed by the gateway, on every subgraph
 * request. Its audience is the one subgraph it is for, so a token captured from one subgraph's
 * traffic is refused by another.
 *
 * Token: header `{ alg: EdDSA, kid, typ: pactum-context+jwt }`; claims `iss: pactum-gateway`,
 * `aud: <subgraph>`, `sub`, `agency`, `purpose`, `caseRef` (when declared), `iat`, `exp` (≤ 60 s
 * after `iat`). Sent to the subgraph as `authorization: Bearer <token>` (the agency's own token
 * never goes past the gateway); the request id travels beside it as `x-request-id`.
 *
 * A token says only who asks, for which purpose, to which subgraph, so the same one serves
 * every request of that (subgraph, principal, purpose, case) while it has more than half its
 * lifetime left: an Ed25519 signature per subgraph call was the largest single cost the
 * gateway added to a request. What a subgraph may release is decided by the gateway per
 * request; the token only has to prove the call comes from the gateway, for whom, and
 * recently.
 */
import type { KeyObject } from 'node:crypto';
import { SignJWT } from 'jose';
import { ByteLruCache, defaultCacheBudget, estimateContextTokenBytes } from '../cache';
import { publicJwkOf, readGatewayPrivateKey } from './ensure-gateway-keys';
import type { DeclaredPurpose, Principal } from './principal';
/** `iss` of every context token. */
export const CONTEXT_TOKEN_ISSUER = 'pactum-gateway';
/** `typ` header of every context token: keeps it from being mistaken for any other JWT. */
export const CONTEXT_TOKEN_TYPE = 'pactum-context+jwt';
/** Longest lifetime a context token may have, in seconds. */
export const CONTEXT_TOKEN_MAX_TTL_SEC = 60;

/** A signing key and its `kid` (its thumbprint). */
export interface SigningKey {
  readonly privateKey: KeyObject;
  readonly kid: string;
}

/**
 * The signing key: in memory (from `ensureGatewayKeys`), its JWK file (`gateway.private.jwk`,
 * mode 0600), or the current key of a rotating key set, asked for at every signature
 * (`watchGatewayKeys(...).current().current`).
 */
export type ContextTokenKey = SigningKey | { readonly privateKeyFile: string } | { readonly currentKey: () => SigningKey };

/** Options of {@link createContextTokenSigner}. */
export type ContextTokenSignerOptions = ContextTokenKey & {
  /** Lifetime in seconds, 1..60. Default 60. */
  readonly ttlSec?: number;
  /** Clock, injectable for tests. */
  readonly now?: () => Date;
  /** Most (subgraph, principal, purpose) tokens kept for reuse. Default 50 000 (the byte bound is the one that binds); 0 disables reuse. */
  readonly memoSize?: number;
  /**
   * Most estimated bytes of tokens kept for reuse (≈ 0.7 kB each). Default: the `contextTokens`
   * share of the cache budget (≈ 12 MB of a default gateway: some 15 000 user × subgraph pairs).
   */
  readonly memoBytes?: number;
};

/** What a context token says. */
export interface ContextTokenRequest {
  /** Subgraph name (`police`, …): the token's audience. */
  readonly audience: string;
  readonly principal: Principal;
  readonly purpose: DeclaredPurpose;
}

/** Signs context tokens. */
export interface ContextTokenSigner {
  /**
   * A token for one subgraph call. The same (subgraph, principal, purpose, case) gets the
   * same token while it has more than half its lifetime left.
   */
  sign(request: ContextTokenRequest): Promise<string>;
}

/** Creates a signer over the gateway's private key. */
export function createContextTokenSigner(options: ContextTokenSignerOptions): ContextTokenSigner {
  const ttl = options.ttlSec ?? CONTEXT_TOKEN_MAX_TTL_SEC;
  if (!(Number.isInteger(ttl) && ttl >= 1 && ttl <= CONTEXT_TOKEN_MAX_TTL_SEC)) {
    throw new RangeError(`ttlSec must be an integer within 1..${CONTEXT_TOKEN_MAX_TTL_SEC}`);
  }
  const signingKey: () => SigningKey = 'currentKey' in options ? () => checkKey(options.currentKey()) : ((fixed) => () => fixed)(resolveKey(options));
  const now = options.now ?? (() => new Date());
  const memoSize = options.memoSize ?? 50_000;
  const memo =
    memoSize > 0
      ? new ByteLruCache<string, { token: string; exp: number }>({
          maxEntries: memoSize,
          maxBytes: options.memoBytes ?? defaultCacheBudget().contextTokens,
          sizeOf: ({ token }, key) => estimateContextTokenBytes(key, token),
        })
      : undefined;

  /** Signatures under way, by memo key. */
  const inFlight = new Map<string, Promise<string>>();
  return {
    async sign({ audience, principal, purpose }) {
      if (audience === '') throw new TypeError('audience is required');
      const iat = Math.floor(now().getTime() / 1000);
      // Exactly the claims the token carries: two requests share a token only if it says the same of both.
      const { privateKey, kid } = signingKey();
      // The kid is part of the key: once the signing key changes, no token of the old one is handed out again.
      const key = `${kid}\u0000${audience}\u0000${principal.agency}\u0000${principal.subject}\u0000${purpose.code}\u0000${purpose.caseRef ?? ''}`;
      const cached = memo?.get(key);
      if (cached && cached.exp - iat > ttl / 2) return cached.token;
      // Concurrent first requests of one caller share the one signature under way: without this
      // each signed its own, and tokens of two different seconds could not share a subgraph call.
      const signing = memo ? inFlight.get(key) : undefined;
      if (signing) return signing;

      const exp = iat + ttl;
      const pending = new SignJWT({
        agency: principal.agency,
        purpose: purpose.code,
        ...(purpose.caseRef !== undefined ? { caseRef: purpose.caseRef } : {}),
      })
        .setProtectedHeader({ alg: 'EdDSA', kid, typ: CONTEXT_TOKEN_TYPE })
        .setIssuer(CONTEXT_TOKEN_ISSUER)
        .setAudience(audience)
        .setSubject(principal.subject)
        .setIssuedAt(iat)
        .setExpirationTime(exp)
        .sign(privateKey)
        .then((token) => {
          memo?.set(key, { token, exp });
          return token;
        })
        .finally(() => inFlight.delete(key));
      if (memo) inFlight.set(key, pending);
      return pending;
    },
  };
}

function resolveKey(key: SigningKey | { readonly privateKeyFile: string }): SigningKey {
  if ('privateKeyFile' in key) {
    const privateKey = readGatewayPrivateKey(key.privateKeyFile);
    return { privateKey, kid: publicJwkOf(privateKey).kid ?? '' };
  }
  return checkKey(key);
}

function checkKey(key: SigningKey): SigningKey {
  if (key.privateKey.type !== 'private' || key.privateKey.asymmetricKeyType !== 'ed25519') {
    throw new TypeError('the context token key must be an Ed25519 private key');
  }
  if (typeof key.kid !== 'string' || key.kid === '') throw new TypeError('the context token key needs its kid');
  return { privateKey: key.privateKey, kid: key.kid };
}
