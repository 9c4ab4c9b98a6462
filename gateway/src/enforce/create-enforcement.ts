/**
 * Need-to-know around execution, as two stages of the request pipeline:
 *
 * - `authorize` rewrites the client's operation for the request's access profile before any
 *   planning (denied selections dropped, label selections added). The profile is the caller's,
 *   computed once per request from the request's own time, so the rewrite and the filtered
 *   introspection read the very same decisions.
 * - `release` post-processes what the gateway returned for the rewritten operation (rows whose
 *   labels fail withheld, injected selections stripped, null + FORBIDDEN where fields were
 *   denied) and reports what happened, for the audit record.
 *
 * The gateway must execute the REWRITTEN document with the rewrite's own hash as its plan-cache
 * key (@apollo/gateway keys plans by `queryHash` + operation name), so a plan made for one
 * principal's rewrite is never served for another's.
 */
import type { DocumentNode, GraphQLError, GraphQLSchema } from 'graphql';
import type { AccessProfile, SupergraphFacts } from '../policy';
import type { EnforcementReport } from './enforcement-report';
import type { MutationRefusedError } from './mutation-refused-error';
import { postProcess, type ExecutionOutput } from './post-process';
import { createRewriteCache, type RewriteCache } from './rewrite-cache';
import type { RewriteResult } from './rewrite-operation';

/** What {@link Enforcement.authorize} reads: the validated client operation and the profile. */
export interface AuthorizeInput {
  /** The API schema the operation was validated against. */
  readonly schema: GraphQLSchema;
  readonly document: DocumentNode;
  /** The operation to run (the client's `operationName`, or null for a one-operation document). */
  readonly operationName: string | null;
  /** sha256 (hex) of the client's document source: with the name and profile, the rewrite's cache key. */
  readonly queryHash: string;
  readonly profile: AccessProfile;
  readonly facts: SupergraphFacts;
}

/** The operation as it may run for one profile. */
export interface Authorization {
  readonly profile: AccessProfile;
  readonly rewrite: RewriteResult;
}

/** The response as it may be released, and the report of what enforcement did. */
export interface Released {
  readonly data: Record<string, unknown> | null | undefined;
  readonly errors: readonly GraphQLError[];
  readonly extensions?: Record<string, unknown>;
  readonly report: EnforcementReport;
}

/** The two enforcement stages (see the file comment). */
export interface Enforcement {
  /** Throws `MutationRefusedError` (403) for a mutation with any denied part, `BadUserInputError` for a reserved alias. */
  authorize(input: AuthorizeInput): Authorization;
  /**
   * `variables` are the request's coerced variables (defaults applied), so a denied field under
   * `@include(if: $v)` where `$v` defaults to true is reported (null + error) as GraphQL demands.
   */
  release(output: ExecutedOutput, authorization: Authorization, variables: Readonly<Record<string, unknown>>): Released;
}

/** What the executor returned for an authorization. */
export type ExecutedOutput = ExecutionOutput & {
  readonly extensions?: Record<string, unknown>;
  /** Hash of the document the executor ran, where it is not the rewrite's own (its data part only). */
  readonly executedHash?: string;
};

/** What the enforcement stages keep between requests. */
export interface EnforcementDeps {
  /** Rewrite cache; one is created (default bounds) when omitted. */
  readonly cache?: RewriteCache;
}

/** Creates the enforcement stages (see the file comment). */
export function createEnforcement(deps: EnforcementDeps = {}): Enforcement {
  const cache = deps.cache ?? createRewriteCache();
  return {
    authorize(input) {
      const rewrite = cache.rewrite({
        schema: input.schema,
        document: input.document,
        operationName: input.operationName,
        profile: input.profile,
        facts: input.facts,
        queryHash: input.queryHash,
      });
      return { profile: input.profile, rewrite };
    },

    release(output, { profile, rewrite }, variables) {
      const processed = postProcess(output, rewrite.plan, variables);
      const executed = output.executedHash ?? rewrite.hash;
      return {
        data: processed.data,
        errors: processed.errors,
        ...(output.extensions ? { extensions: output.extensions } : {}),
        report: {
          policyVersion: profile.policyVersion,
          fieldsRequested: rewrite.fieldsRequested,
          fieldDenials: [...rewrite.denials, ...processed.fieldDenials],
          rowDenials: processed.rowDenials,
          released: processed.released,
          grants: processed.grants,
          ...(executed ? { executedOperationHash: executed } : {}),
        },
      };
    },
  };
}

/** The report of a mutation refused whole: what was denied, nothing released. */
export function refusedMutationReport(error: MutationRefusedError, policyVersion: string): EnforcementReport {
  return { policyVersion, fieldsRequested: [], fieldDenials: error.denials, rowDenials: [], released: [], grants: [] };
}
