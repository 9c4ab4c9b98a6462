/**
 * Stage 5: execute the REWRITTEN operation with @apollo/gateway's executor. The request context
 * handed to it carries the rewrite's document, source and hash — the hash is the plan-cache key
 * (@apollo/gateway keys plans by `queryHash` + operation name), so a plan made for one
 * principal's rewrite never serves another's — and the caller, from which each subgraph call's
 * context token is signed.
 *
 * Two cases need no subgraph at all: nothing left after the rewrite (everything asked for was
 * denied), and an operation of introspection only, answered from the principal's filtered schema
 * alone.
 */
import type { GatewayExecutor, GatewayGraphQLRequestContext, GatewaySchemaHash } from '@apollo/server-gateway-interface';
import { Kind, type FieldNode, type GraphQLSchema, type OperationDefinitionNode } from 'graphql';
import type { Authorization, ExecutionOutput, FilteredIntrospection } from '../../enforce';
import type { SubgraphCaller } from '../subgraph-caller';
import type { PreparedOperation } from './prepare-operation';

/** What execution returned, before post-processing, and who answered. */
export type Executed = ExecutionOutput & {
  readonly extensions?: Record<string, unknown>;
  /** `gateway`: the subgraphs (introspection in it still to be filtered); `introspection`: the filtered schema; `nothing`: all denied. */
  readonly answeredBy: 'gateway' | 'introspection' | 'nothing';
};

const INTROSPECTION_ONLY = new Set(['__schema', '__type', '__typename']);

/** The root fields of a (rewritten, fragment-free) operation that selects nothing but introspection at its root. */
function introspectionOnly(operation: OperationDefinitionNode): FieldNode[] | undefined {
  const fields: FieldNode[] = [];
  for (const s of operation.selectionSet.selections) {
    if (s.kind !== Kind.FIELD || !INTROSPECTION_ONLY.has(s.name.value) || s.directives?.length) return undefined;
    fields.push(s);
  }
  return fields;
}

// The executor reads these; nothing Pactum needs lives in them (Apollo Server's usage
// reporting, response cache and cache hints are not part of the gateway).
const logger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };
const noCache = { get: async () => undefined, set: async () => undefined, delete: async () => undefined };
const SCHEMA_HASH = '' as GatewaySchemaHash;

export function createOperationExecutor(
  gateway: GatewayExecutor,
  schema: GraphQLSchema,
  introspection: FilteredIntrospection,
): (authorization: Authorization, prepared: PreparedOperation, caller: SubgraphCaller) => Promise<Executed> {
  return async (authorization, prepared, caller) => {
    const { document, operation, source, hash } = authorization.rewrite;
    if (!document || !operation || !source || !hash) return { data: {}, answeredBy: 'nothing' };
    const onlyIntrospection = introspectionOnly(operation);
    if (onlyIntrospection) {
      const request = { schema, profile: authorization.profile, document, operationName: prepared.operationName, variables: prepared.variables };
      const { data, errors } = introspection.answer(request, onlyIntrospection);
      return { data: { ...data }, ...(errors.length > 0 ? { errors } : {}), answeredBy: 'introspection' };
    }
    const requestContext: GatewayGraphQLRequestContext = {
      request: { query: source, variables: { ...prepared.variables }, ...(prepared.operationName !== null ? { operationName: prepared.operationName } : {}) },
      document,
      operation,
      operationName: operation.name?.value ?? null,
      source,
      queryHash: hash,
      schema,
      schemaHash: SCHEMA_HASH,
      context: caller,
      logger,
      cache: noCache,
      metrics: {},
      overallCachePolicy: {},
    };
    return { ...(await gateway(requestContext)), answeredBy: 'gateway' };
  };
}
