/** Gateway → subgraph trust: verifying the gateway's context token on every subgraph request. */
export { ContextTokenError } from './context-token-error';
export { checkGatewayJwks, fileGatewayKeySet, remoteGatewayKeySet, type GatewayKeySetOptions } from './gateway-key-set';
export { GATEWAY_JWKS_FILE_ENV, GATEWAY_JWKS_URL_ENV, GATEWAY_PUBLIC_KEY_ENV, gatewayKeysFromEnv, loadGatewayPublicKey } from './load-gateway-public-key';
export {
  CONTEXT_TOKEN_ISSUER,
  CONTEXT_TOKEN_MAX_TTL_SEC,
  CONTEXT_TOKEN_TYPE,
  createContextTokenVerifier,
  type ContextTokenVerifierOptions,
} from './verify-context-token';
