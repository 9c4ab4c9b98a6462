/**
 * Need-to-know enforcement: the operation is rewritten for the principal's access profile
 * before planning, and the response post-processed after execution. The only public door.
 */
export { createEnforcement, refusedMutationReport, type Authorization, type AuthorizeInput, type Enforcement, type EnforcementDeps, type ExecutedOutput, type Released } from './create-enforcement';
export type { EnforcementReport, FieldDenial, ReleasedEntity, RowDenial } from './enforcement-report';
export { rewriteOperation, type RewriteInput, type RewriteResult } from './rewrite-operation';
export { createRewriteCache, DEFAULT_REWRITE_CACHE_SIZE, type RewriteCache } from './rewrite-cache';
export { postProcess, type ExecutionOutput, type PostProcessResult } from './post-process';
export { MutationRefusedError } from './mutation-refused-error';
export { RESERVED_ALIAS_PREFIX } from './injected-aliases';
export type { EnforcementPlan, StaticDenial } from './enforcement-plan';
export { createFilteredIntrospection, type FilteredIntrospection, type FilteredIntrospectionOptions, type IntrospectionRequest } from './filtered-introspection';
export { filterSchema, profileVisibility, type FieldVisibility } from './filter-schema';
export { answerIntrospection, introspectionRootFields, type IntrospectionAnswer } from './answer-introspection';
