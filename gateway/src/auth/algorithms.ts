/**
 * The signature algorithms Pactum accepts for agency tokens: asymmetric only. An HMAC algorithm
 * would let anyone holding the (public) verification key mint tokens, and `none` signs nothing.
 */

/** Asymmetric JWS algorithms an identity provider may be configured with. */
export const ASYMMETRIC_ALGORITHMS = [
  'EdDSA',
  'ES256',
  'ES384',
  'ES512',
  'PS256',
  'PS384',
  'PS512',
  'RS256',
  'RS384',
  'RS512',
] as const;

/** One of {@link ASYMMETRIC_ALGORITHMS}. */
export type AsymmetricAlgorithm = (typeof ASYMMETRIC_ALGORITHMS)[number];

const asymmetric: ReadonlySet<string> = new Set(ASYMMETRIC_ALGORITHMS);

/** Narrowing check against the asymmetric allow-list. */
export function isAsymmetricAlgorithm(alg: unknown): alg is AsymmetricAlgorithm {
  return typeof alg === 'string' && asymmetric.has(alg);
}

/** The JWK key type (`kty`) and curve a given algorithm needs. */
export function keyTypeFor(alg: AsymmetricAlgorithm): { kty: string; crv?: readonly string[] } {
  switch (alg) {
    case 'EdDSA':
      return { kty: 'OKP', crv: ['Ed25519', 'Ed448'] };
    case 'ES256':
      return { kty: 'EC', crv: ['P-256'] };
    case 'ES384':
      return { kty: 'EC', crv: ['P-384'] };
    case 'ES512':
      return { kty: 'EC', crv: ['P-521'] };
    default:
      return { kty: 'RSA' };
  }
}
