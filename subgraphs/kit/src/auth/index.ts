/** Gateway → subgraph trust: verifying the gateway's context token on every subgraph request. */
export { ContextTokenError } from './context-token-error';
export { GATEWAY_PUBLIC_KEY_ENV, loadGatewayPublicKey } from './load-gateway-public-key';
export {
  CONTEXT_TOKEN_ISSUER,
  CONTEXT_TOKEN_MAX_TTL_SEC,
  CONTEXT_TOKEN_TYPE,
  createContextTokenVerifier,
  type ContextTokenVerifierOptions,
} from './verify-context-token';
