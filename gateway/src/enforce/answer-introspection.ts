/**
 * Answers the introspection part of an operation (`__schema`, `__type` at the root, under any
 * alias, inside root fragments) against a given schema — the principal's filtered one — the way
 * @apollo/gateway answers it against the full API schema: a document holding only those root
 * fields (and the variables they use), executed by graphql-js.
 */
import {
  execute,
  Kind,
  OperationTypeNode,
  visit,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLError,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';

const INTROSPECTION_ROOTS = new Set(['__schema', '__type']);

function selectedOperation(document: DocumentNode, operationName: string | null | undefined): OperationDefinitionNode | undefined {
  const ops = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  if (operationName) return ops.find((o) => o.name?.value === operationName);
  return ops.length === 1 ? ops[0] : undefined;
}

function collectRoot(set: SelectionSetNode, fragments: Map<string, FragmentDefinitionNode>, seen: Set<string>, out: FieldNode[]): void {
  for (const s of set.selections) {
    if (s.kind === Kind.FIELD) {
      if (INTROSPECTION_ROOTS.has(s.name.value)) out.push(s);
    } else if (s.kind === Kind.INLINE_FRAGMENT) collectRoot(s.selectionSet, fragments, seen, out);
    else if (!seen.has(s.name.value)) {
      seen.add(s.name.value);
      const f = fragments.get(s.name.value);
      if (f) collectRoot(f.selectionSet, fragments, seen, out);
    }
  }
}

/** The root introspection fields of the operation that runs (empty for a mutation or none). */
export function introspectionRootFields(document: DocumentNode, operationName?: string | null): FieldNode[] {
  const op = selectedOperation(document, operationName);
  if (!op || op.operation !== 'query') return [];
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
  const out: FieldNode[] = [];
  collectRoot(op.selectionSet, fragments, new Set(), out);
  return out;
}

/** What {@link answerIntrospection} returns: values by response key. */
export interface IntrospectionAnswer {
  readonly data: Readonly<Record<string, unknown>>;
  readonly errors: readonly GraphQLError[];
}

/**
 * Executes `fields` (from {@link introspectionRootFields}) against `schema`, with the request's
 * variables; fragments of `document` are carried along for spreads inside them.
 */
export function answerIntrospection(
  schema: GraphQLSchema,
  document: DocumentNode,
  fields: readonly FieldNode[],
  operationName: string | null | undefined,
  variables: Readonly<Record<string, unknown>> | undefined,
): IntrospectionAnswer {
  const op = selectedOperation(document, operationName);
  const used = new Set<string>();
  for (const f of fields) visit(f, { Variable: (v) => void used.add(v.name.value) });
  const fragments = document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION);
  for (const f of fragments) visit(f, { Variable: (v) => void used.add(v.name.value) });
  const only: DocumentNode = {
    kind: Kind.DOCUMENT,
    definitions: [
      {
        kind: Kind.OPERATION_DEFINITION,
        operation: op?.operation ?? OperationTypeNode.QUERY,
        variableDefinitions: (op?.variableDefinitions ?? []).filter((v) => used.has(v.variable.name.value)),
        selectionSet: { kind: Kind.SELECTION_SET, selections: [...fields] },
      },
      ...fragments,
    ],
  };
  const result = execute({ schema, document: only, rootValue: {}, variableValues: variables ?? {} });
  if (result instanceof Promise) throw new Error('introspection resolved asynchronously');
  return { data: result.data ?? {}, errors: result.errors ?? [] };
}
