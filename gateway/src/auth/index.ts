/**
 * Authentication: who is asking, and why. The only public door of `gateway/src/auth/`.
 *
 * Start-up: `loadTrustRegistry` + `loadPurposes` (fail closed on a bad file), `ensureGatewayKeys`,
 * in development `ensureDevIdentityProviders`; then `createTokenVerifier` and
 * `createContextTokenSigner`. Per request: `authenticateRequest(headers, { verifier, purposes })`
 * before anything is parsed; per subgraph call: `signer.sign(...)` sent as `authorization: Bearer`.
 */
export type { DeclaredPurpose, Principal } from './principal';
export { ASYMMETRIC_ALGORITHMS, isAsymmetricAlgorithm, type AsymmetricAlgorithm } from './algorithms';
export { loadTrustRegistry, type AgencyEntry, type IdentityProviderConfig, type JwksLocation, type TrustRegistry } from './trust-registry';
export { isTransferRecipient, standingOfCountry, type AgencyStanding } from './agency-standing';
export { loadPurposes, type Purpose, type PurposeRegistry } from './purposes';
export { JWKS_DEFAULTS, type JwksOptions, type JwksState } from './jwks-source';
export { createTokenVerifier, type TokenVerifier, type TokenVerifierOptions } from './verify-token';
export { authenticateRequest, presentedToken, PrincipalRefusedError, type AuthenticateDeps, type Authenticated, type RequestHeaders } from './authenticate-request';
export { hasControlCharacters, headerText } from './text-rules';
export {
  CONTEXT_TOKEN_ISSUER,
  CONTEXT_TOKEN_MAX_TTL_SEC,
  CONTEXT_TOKEN_TYPE,
  createContextTokenSigner,
  type ContextTokenKey,
  type ContextTokenRequest,
  type ContextTokenSigner,
  type ContextTokenSignerOptions,
  type SigningKey,
} from './context-token-signer';
export { defaultGatewayKeyDir, ensureGatewayKeys, type GatewayKeys } from './ensure-gateway-keys';
export { GATEWAY_KEY_FILES, knownGatewayPublicKeys, loadGatewayKeySet, retiredGatewayPublicKeys, type GatewayKeySet, type PublishedKey } from './gateway-key-set';
export { addNextGatewayKey, promoteNextGatewayKey, retirePreviousGatewayKey, RETIRE_AFTER_SEC } from './rotate-gateway-keys';
export { watchGatewayKeys, type GatewayKeyWatcher, type WatchGatewayKeysOptions } from './watch-gateway-keys';
export {
  defaultDevIdpDir,
  ensureDevIdentityProviders,
  issueDevToken,
  parseTtl,
  type DevIdentityProvider,
  type DevIdentityProviderOptions,
  type DevTokenRequest,
} from './dev-idp';
export { repoRoot } from '../config/paths';
