/**
 * Authentication: who is asking, and why. The only public door of `gateway/src/auth/`.
 */
export type { DeclaredPurpose, Principal } from './principal';
export { ASYMMETRIC_ALGORITHMS, isAsymmetricAlgorithm, type AsymmetricAlgorithm } from './algorithms';
export { loadTrustRegistry, type AgencyEntry, type IdentityProviderConfig, type JwksLocation, type TrustRegistry } from './trust-registry';
export { loadPurposes, type Purpose, type PurposeRegistry } from './purposes';
export { repoRoot } from './repo-root';
