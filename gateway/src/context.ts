/**
 * Former home of the per-request context. The gateway's stages no longer share a mutable
 * context: each returns its value (see `server/handle-graphql-request.ts`). The types that
 * lived here have their own homes now — a grant reference in `policy/`, the enforcement report
 * in `enforce/` — and are re-exported for the files that still import them from here.
 */
export type { GrantRef } from './policy';
export type { EnforcementReport, FieldDenial, ReleasedEntity, RowDenial } from './enforce';
