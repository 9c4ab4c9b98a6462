/**
 * @apollo/gateway's `executeQueryPlan` turns the operation's syntax tree into
 * federation-internals' `Operation` on every request (`operationFromDocument(apiSchema, …,
 * { validate: false })`) to shape the response, even when the plan itself comes from the cache.
 * Building it re-resolves every selection against the schema: about 3 % of the gateway's main
 * thread on a dossier. Pactum hands the executor the rewrite cache's documents, the same objects
 * for every request of one profile and operation, so the `Operation` built from one is the same
 * every time and can be kept beside it.
 *
 * Without forking @apollo/gateway this means wrapping the one exported function its executor calls
 * (`executeQueryPlan` reads it from the module's exports on each call). Only that call is answered
 * from the memo — `validate: false`, no operation name, a single fragment-free operation
 * definition — and the memo is keyed by schema and by the definition node's identity, held weakly:
 * a new supergraph or an evicted rewrite builds afresh. `Operation` objects are immutable (every
 * transformation returns a new one), so sharing one across requests shares nothing mutable.
 * The planner's own call (with validation) always goes through.
 */
import type { DocumentNode, OperationDefinitionNode } from 'graphql';
import { Kind } from 'graphql';

type OperationFromDocument = (schema: object, document: DocumentNode, options?: { operationName?: string; validate?: boolean }) => object;

interface OperationsModule {
  operationFromDocument: OperationFromDocument & { readonly pactumReusesBuilt?: true };
}

let installed = false;

/** The definition each memoised `Operation` was built from (for the fast response shaping). */
const sources = new WeakMap<object, OperationDefinitionNode>();

/** The operation definition a memoised `Operation` was built from, if it came from the memo. */
export function builtOperationSource(operation: object): OperationDefinitionNode | undefined {
  return sources.get(operation);
}

/** Installs the memo once per process; later calls do nothing. Returns whether the wrapper is in place. */
export function reuseBuiltOperations(): boolean {
  if (installed) return true;
  // The module @apollo/gateway's executeQueryPlan reads `operationFromDocument` from (through the
  // package index's live re-export). Resolved from @apollo/gateway, so it is that copy.
  const gatewayEntry = require.resolve('@apollo/gateway');
  const operationsPath = require.resolve('@apollo/federation-internals/dist/operations', { paths: [gatewayEntry] });
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const operations = require(operationsPath) as OperationsModule;
  const original = operations.operationFromDocument;
  if (typeof original !== 'function') return false;
  if (original.pactumReusesBuilt) {
    installed = true;
    return true;
  }
  const bySchema = new WeakMap<object, WeakMap<OperationDefinitionNode, object>>();
  const wrapped = (schema: object, document: DocumentNode, options?: { operationName?: string; validate?: boolean }): object => {
    const only = document.definitions.length === 1 ? document.definitions[0] : undefined;
    if (options?.validate !== false || options.operationName !== undefined || only?.kind !== Kind.OPERATION_DEFINITION) {
      return original(schema, document, options);
    }
    let memo = bySchema.get(schema);
    if (!memo) bySchema.set(schema, (memo = new WeakMap()));
    let built = memo.get(only);
    if (!built) {
      memo.set(only, (built = original(schema, document, options)));
      sources.set(built, only);
    }
    return built;
  };
  operations.operationFromDocument = Object.assign(wrapped, { pactumReusesBuilt: true as const });
  installed = true;
  return true;
}
