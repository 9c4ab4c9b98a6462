/**
 * Need-to-know policy: the only public door of `gateway/src/policy/`.
 *
 * Start-up: `loadPolicy({ dir, supergraphSdl })` (throws `PolicyValidationError`, a
 * `PolicyError`, on any problem: the gateway must not start) or `watchPolicy(dir, onChange,
 * { supergraphSdl })` to also pick up changes without restart. Per request:
 * `policy.profileFor(principal, purpose, now)` → `AccessProfile` (cached by key), then
 * `profile.field(Type, field)` / `profile.rowRules(Type)` (see `types.ts`).
 */
export type {
  AccessProfile,
  CompiledPolicy,
  DenyReason,
  Explanation,
  ExplanationStep,
  FieldDecision,
  RowFieldVerdict,
  RowLabel,
  RowRules,
  RowExplanation,
  RowVerdict,
  SupergraphFacts,
  TransferDescription,
} from './types';
export type { GrantRef } from './grant-ref';
export { loadPolicy, listUnmentionedFields, type LoadedPolicy, type LoadPolicyOptions } from './load-policy';
export { watchPolicy, type PolicyWatch, type WatchPolicyOptions } from './watch-policy';
export { PolicyValidationError, type PolicyProblem } from './policy-validation-error';
export { policyVersion } from './read-policy-files';
export { readRegistries, type PolicyRegistries } from './registries';
export { HIT_TYPE, parseSupergraph, type SupergraphModel } from './supergraph-model';
export { createSupergraphFacts } from './supergraph-facts';
export { META_GRANT } from './decide-field';
export { runPolicyTests, type PolicyTestResult, type PolicyTestReport } from './run-policy-tests';
export { computeAccessMatrix, describeMembers, type AccessMatrix, type AccessMatrixOptions, type ProfileClass } from './access-matrix';
export { accessFields, enumerateProfiles, evaluateProfile, principalOf, profileGrid, sameCell, sameCellAccess, type AccessCell, type AccessField, type InspectablePolicy, type ProfileSpec } from './effective-access';
export { describeGrant, describeRowConditions, grantId, type GrantInfo } from './describe-grant';
export { didYouMean, nearestName } from './nearest-name';
export type { PolicyCatalogue } from './policy-model';
export { diffPolicies, type AccessChange, type AccessChangeKind, type AgreementChange, type PolicyDiff } from './policy-diff';
export { lintPolicy, LINT_SEVERITY, type LintFinding, type LintKind, type LintOptions, type LintSeverity } from './lint-policy';
export { grantCoverage, type CoverageReport, type GrantCoverage } from './grant-coverage';
export { decideOperation, type OperationDecisions } from './operation-decisions';
