/** Development identity providers (local keys per agency) and their token issuing. */
export {
  defaultDevIdpDir,
  ensureDevIdentityProviders,
  type DevIdentityProvider,
  type DevIdentityProviderOptions,
} from './ensure-dev-identity-providers';
export { issueDevToken, type DevTokenRequest } from './issue-dev-token';
export { MAX_DEV_TOKEN_TTL_SEC, parseTtl } from './parse-ttl';
