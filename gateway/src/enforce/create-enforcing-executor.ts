/**
 * The enforcement stage around @apollo/gateway's executor: profile → rewrite → execute the
 * rewritten operation → post-process → report. The gateway plans and caches by the rewritten
 * document's hash, never the client's (its plan cache is keyed by `queryHash` + operation name),
 * so a plan made for one principal's rewrite is never served for another's. Any failure ends
 * with no data.
 */
import type { GatewayExecutor, GatewayGraphQLRequestContext } from '@apollo/server-gateway-interface';
import { getVariableValues, GraphQLError } from 'graphql';
import type { EnforcementReport, PactumRequestContext } from '../context';
import { PactumError } from '../errors';
import type { CompiledPolicy } from '../policy/types';
import { MutationRefusedError } from './mutation-refused-error';
import { postProcess, type ExecutionOutput } from './post-process';
import { createRewriteCache, type RewriteCache } from './rewrite-cache';

/** What the enforcement stage needs. */
export interface EnforcementDeps {
  /** The policy in force; read once per request, so a reload applies from the next request on. */
  getPolicy(): CompiledPolicy;
  /** Clock for agreement validity; defaults to the system clock. */
  now?: () => Date;
  /** Rewrite cache; one is created (default size) when omitted. */
  cache?: RewriteCache;
}

function isPactumContext(v: unknown): v is PactumRequestContext {
  if (typeof v !== 'object' || v === null) return false;
  const p = v as Partial<PactumRequestContext>;
  return typeof p.principal === 'object' && p.principal !== null && typeof p.purpose === 'object' && p.purpose !== null;
}

/** A PactumError as the GraphQL error Apollo Server sends (code, reason and HTTP status kept). */
function toGraphQLError(err: PactumError): GraphQLError {
  return new GraphQLError(err.message, {
    originalError: err,
    extensions: { code: err.code, reason: err.reason, http: { status: err.httpStatus } },
  });
}

/**
 * The request's variables as the executor sees them: with defaults applied, so a denied field
 * under `@include(if: $v)` where `$v` defaults to true is reported (null + error) as GraphQL
 * demands. Raw values when coercion fails (such a request is refused before it gets here).
 */
function coercedVariables(requestContext: GatewayGraphQLRequestContext): Readonly<Record<string, unknown>> | undefined {
  const raw = requestContext.request.variables;
  const definitions = requestContext.operation.variableDefinitions;
  if (!definitions || definitions.length === 0) return raw;
  const { coerced } = getVariableValues(requestContext.schema, definitions, raw ?? {});
  return coerced ?? raw;
}

/** Wraps `inner` (the gateway's executor) with need-to-know enforcement. */
export function createEnforcingExecutor(inner: GatewayExecutor, deps: EnforcementDeps): GatewayExecutor {
  const cache = deps.cache ?? createRewriteCache();
  const now = deps.now ?? (() => new Date());

  return async (requestContext: GatewayGraphQLRequestContext) => {
    const context: unknown = requestContext.context;
    const pactum: unknown = typeof context === 'object' && context !== null ? (context as { pactum?: unknown }).pactum : undefined;
    // No identity means the pipeline was wired wrong: nothing may be released.
    if (!isPactumContext(pactum)) throw new Error('enforcement: request context carries no Pactum principal');
    const policy = deps.getPolicy();
    const profile = policy.profileFor(pactum.principal, pactum.purpose, now());
    const variables = coercedVariables(requestContext);

    let rewrite;
    try {
      rewrite = cache.rewrite({
        schema: requestContext.schema,
        document: requestContext.document,
        operationName: requestContext.request.operationName ?? requestContext.operationName,
        profile,
        facts: policy.facts,
        queryHash: requestContext.queryHash,
      });
    } catch (err) {
      if (err instanceof MutationRefusedError) {
        pactum.enforcement = {
          policyVersion: profile.policyVersion,
          fieldsRequested: [],
          fieldDenials: err.denials,
          rowDenials: [],
          released: [],
          grants: [],
        };
      }
      if (err instanceof PactumError) throw toGraphQLError(err);
      throw err;
    }
    if (rewrite.plan.operationType === 'subscription') {
      throw new GraphQLError('subscriptions are not supported', { extensions: { code: 'BAD_USER_INPUT', reason: 'subscription' } });
    }

    let result: ExecutionOutput & { extensions?: Record<string, unknown> };
    if (rewrite.document && rewrite.operation && rewrite.source && rewrite.hash) {
      const executed: GatewayGraphQLRequestContext = {
        ...requestContext,
        request: { ...requestContext.request, query: rewrite.source },
        document: rewrite.document,
        operation: rewrite.operation,
        source: rewrite.source,
        queryHash: rewrite.hash,
      };
      result = await inner(executed);
    } else {
      // Everything asked for was denied: no subgraph is called at all.
      result = { data: {} };
    }

    const processed = postProcess(result, rewrite.plan, variables);
    const report: EnforcementReport = {
      policyVersion: profile.policyVersion,
      fieldsRequested: rewrite.fieldsRequested,
      fieldDenials: [...rewrite.denials, ...processed.fieldDenials],
      rowDenials: processed.rowDenials,
      released: processed.released,
      grants: processed.grants,
      ...(rewrite.hash ? { executedOperationHash: rewrite.hash } : {}),
    };
    pactum.enforcement = report;
    return {
      ...(result.extensions ? { extensions: result.extensions } : {}),
      data: processed.data,
      ...(processed.errors.length > 0 ? { errors: processed.errors } : {}),
    };
  };
}
