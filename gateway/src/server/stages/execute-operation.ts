/**
 * Stage 5: execute the REWRITTEN operation with @apollo/gateway's executor. The request context
 * handed to it carries the rewrite's document, source and hash — the hash is the plan-cache key
 * (@apollo/gateway keys plans by `queryHash` + operation name), so a plan made for one
 * principal's rewrite never serves another's — and the caller, from which each subgraph call's
 * context token is signed.
 *
 * Two cases need no subgraph at all: nothing left after the rewrite (everything asked for was
 * denied), and an operation of introspection only, answered from the principal's filtered schema
 * alone. In an operation mixing the two, the root introspection fields are taken out of what the
 * executor runs and answered from the filtered schema beside it, so the full schema is never
 * introspected on a principal's behalf (a root introspection field under `@skip`/`@include`, or
 * inside a root fragment, is left to the executor and replaced after it, see release-response.ts).
 */
import { createHash } from 'node:crypto';
import type { GatewayExecutor, GatewayGraphQLRequestContext, GatewaySchemaHash } from '@apollo/server-gateway-interface';
import { Kind, print, type DocumentNode, type FieldNode, type GraphQLSchema, type OperationDefinitionNode, type SelectionNode } from 'graphql';
import type { Authorization, ExecutedOutput, FilteredIntrospection } from '../../enforce';
import { installFastShaping, shapeQuickly } from '../shape-response';
import type { SubgraphCaller } from '../subgraph-caller';
import type { PreparedOperation } from './prepare-operation';
import { DEFAULT_MAX_CONCURRENT_EXECUTIONS, DEFAULT_MAX_QUEUED_EXECUTIONS, ExecutionSlots } from './execution-slots';

/** What execution returned, before post-processing, and who answered. */
export type Executed = ExecutedOutput & {
  /**
   * `gateway`: the subgraphs (introspection in it still to be filtered); `gateway+introspection`:
   * the subgraphs, and the root introspection fields from the filtered schema; `introspection`: the
   * filtered schema alone; `nothing`: all denied.
   */
  readonly answeredBy: 'gateway' | 'gateway+introspection' | 'introspection' | 'nothing';
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

const ROOT_INTROSPECTION = new Set(['__schema', '__type']);

const isRootIntrospection = (s: SelectionNode): s is FieldNode =>
  s.kind === Kind.FIELD && ROOT_INTROSPECTION.has(s.name.value) && !s.directives?.length;

/** The executed operation without its root introspection fields: a document of its own, with its own plan-cache key. */
interface DataPart {
  readonly document: DocumentNode;
  readonly operation: OperationDefinitionNode;
  readonly source: string;
  readonly hash: string;
  readonly introspection: readonly FieldNode[];
}

/**
 * Splits a mixed operation (root introspection fields beside data), or returns undefined when
 * there is nothing to split. Memoised per rewritten document, which the rewrite cache keeps.
 */
function splitter(): (document: DocumentNode, operation: OperationDefinitionNode) => DataPart | undefined {
  const memo = new WeakMap<DocumentNode, DataPart | null>();
  return (document, operation) => {
    const known = memo.get(document);
    if (known !== undefined) return known ?? undefined;
    const selections = operation.selectionSet.selections;
    const introspection = selections.filter(isRootIntrospection);
    let part: DataPart | null = null;
    if (introspection.length > 0 && introspection.length < selections.length) {
      const dataOperation: OperationDefinitionNode = {
        ...operation,
        selectionSet: { ...operation.selectionSet, selections: selections.filter((s) => !isRootIntrospection(s)) },
      };
      const dataDocument: DocumentNode = { kind: Kind.DOCUMENT, definitions: [dataOperation] };
      const source = print(dataDocument);
      part = { document: dataDocument, operation: dataOperation, source, hash: createHash('sha256').update(source).digest('hex'), introspection };
    }
    memo.set(document, part);
    return part ?? undefined;
  };
}

/** The two answers as one `data`, in the order the operation selects its root fields. */
function mergeRoot(operation: OperationDefinitionNode, data: Record<string, unknown>, introspected: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const s of operation.selectionSet.selections) {
    if (s.kind !== Kind.FIELD) continue;
    const key = s.alias?.value ?? s.name.value;
    if (isRootIntrospection(s)) out[key] = introspected[key] ?? null;
    else if (key in data) out[key] = data[key];
  }
  for (const key of Object.keys(data)) if (!(key in out)) out[key] = data[key];
  return out;
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
  maxConcurrent: number = DEFAULT_MAX_CONCURRENT_EXECUTIONS,
  maxQueued: number = DEFAULT_MAX_QUEUED_EXECUTIONS,
): (authorization: Authorization, prepared: PreparedOperation, caller: SubgraphCaller, abandoned?: () => boolean) => Promise<Executed> {
  const slots = new ExecutionSlots(maxConcurrent, maxQueued);
  // Also memoises built operations (reuse-built-operations.ts), which the fast shaping keys on.
  installFastShaping();
  const split = splitter();
  return async (authorization, prepared, caller, abandoned) => {
    const { document, operation, source, hash } = authorization.rewrite;
    if (!document || !operation || !source || !hash) return { data: {}, answeredBy: 'nothing' };
    const introspectionRequest = { schema, profile: authorization.profile, document, operationName: prepared.operationName, variables: prepared.variables };
    const onlyIntrospection = introspectionOnly(operation);
    if (onlyIntrospection) {
      const { data, errors } = introspection.answer(introspectionRequest, onlyIntrospection);
      return { data: { ...data }, ...(errors.length > 0 ? { errors } : {}), answeredBy: 'introspection' };
    }
    const mixed = split(document, operation);
    const run = mixed ?? { document, operation, source, hash };
    const requestContext: GatewayGraphQLRequestContext = {
      // No operationName: the rewritten document holds that one operation alone, and with a name
      // @apollo/gateway would hash (queryHash, name) into its plan-cache key on every request.
      request: { query: run.source, variables: { ...prepared.variables } },
      document: run.document,
      operation: run.operation,
      operationName: operation.name?.value ?? null,
      source: run.source,
      queryHash: run.hash,
      schema,
      schemaHash: SCHEMA_HASH,
      context: caller,
      logger,
      cache: noCache,
      metrics: {},
      overallCachePolicy: {},
    };
    shapeQuickly(run.operation);
    const executed = await slots.run(() => gateway(requestContext), abandoned);
    if (!mixed) return { ...executed, answeredBy: 'gateway' };
    const introspected = introspection.answer(introspectionRequest, mixed.introspection);
    const errors = [...(executed.errors ?? []), ...introspected.errors];
    return {
      ...(executed.extensions ? { extensions: executed.extensions } : {}),
      data: executed.data ? mergeRoot(operation, executed.data, introspected.data) : executed.data,
      ...(errors.length > 0 ? { errors } : {}),
      answeredBy: 'gateway+introspection',
      executedHash: mixed.hash,
    };
  };
}
