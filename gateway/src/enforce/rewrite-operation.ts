/**
 * Need-to-know before planning: the client's operation is rewritten for one access profile so
 * that no subgraph is ever asked for a denied field (data minimisation), and the plan that
 * post-processing follows is compiled alongside it.
 */
import { createHash } from 'node:crypto';
import {
  Kind,
  getOperationAST,
  print,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';
import { BadUserInputError } from '../errors';
import type { AccessProfile, RowRules, SupergraphFacts } from '../policy';
import { buildSelectionPlan } from './build-selection-plan';
import type { EnforcementPlan, StaticDenial } from './enforcement-plan';
import { MutationRefusedError } from './mutation-refused-error';
import type { RawSelection } from './raw-selection';
import { rewriteSelectionSet, type RewriteWalk } from './rewrite-selection-set';

/** What {@link rewriteOperation} works on. */
export interface RewriteInput {
  /** The API schema the operation was validated against. */
  readonly schema: GraphQLSchema;
  readonly document: DocumentNode;
  readonly operationName?: string | null;
  readonly profile: AccessProfile;
  readonly facts: SupergraphFacts;
}

/** The operation as it may be executed for one profile, and what to do with its result. */
export interface RewriteResult {
  /** The rewritten document (one operation, fragments inlined), or null when nothing is left to execute. */
  readonly document: DocumentNode | null;
  readonly operation: OperationDefinitionNode | null;
  /** `print(document)`: the source handed to the gateway. */
  readonly source: string | null;
  /** sha256 (hex) of {@link source}: the query-plan cache key. */
  readonly hash: string | null;
  /** Selections removed, with response path patterns (no list indexes). */
  readonly denials: readonly StaticDenial[];
  readonly plan: EnforcementPlan;
  /** Schema coordinates the client asked for, deduplicated, in query order. */
  readonly fieldsRequested: readonly string[];
}

function memoRowRules(profile: AccessProfile): (typeName: string) => RowRules | undefined {
  const memo = new Map<string, RowRules | undefined>();
  return (typeName) => {
    if (memo.has(typeName)) return memo.get(typeName);
    const r = profile.rowRules(typeName);
    memo.set(typeName, r);
    return r;
  };
}

/**
 * Rewrites `document` for `profile`: removes every denied selection (and selection sets left
 * empty), splits interface fields whose implementations disagree, inlines fragments and adds the
 * label / key / typename selections post-processing needs. A mutation with any denied part is
 * refused with {@link MutationRefusedError}. Pure: caching is the caller's (see `RewriteCache`).
 */
export function rewriteOperation(input: RewriteInput): RewriteResult {
  const { schema, document, profile, facts } = input;
  const op = getOperationAST(document, input.operationName ?? undefined);
  if (!op) {
    throw new BadUserInputError(
      'unknown_operation',
      input.operationName ? `no operation named "${input.operationName}" in the document` : 'the document must name which operation to run',
    );
  }
  const rootType = schema.getRootType(op.operation);
  if (!rootType) throw new BadUserInputError('unsupported_operation', `the schema has no ${op.operation} type`);
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);

  const rowRules = memoRowRules(profile);
  const mutationType = schema.getMutationType();
  const walk: RewriteWalk = {
    schema,
    profile,
    facts,
    fragments,
    rowRules,
    isMutationRoot: (t) => t === mutationType,
    denials: new Map(),
    fieldsRequested: new Set(),
    fragmentDepth: 0,
  };
  const root = rewriteSelectionSet(walk, op.selectionSet, rootType, [rootType], '', false);
  const denials = [...walk.denials.values()];
  if (op.operation === 'mutation' && denials.length > 0) throw new MutationRefusedError(denials);

  const rootRaw: RawSelection = root.raw;
  const plan: EnforcementPlan = {
    operationType: op.operation,
    root: buildSelectionPlan([rootRaw], { schema, facts, rowRules, memo: new WeakMap() }, false),
  };
  const fieldsRequested = [...walk.fieldsRequested];
  if (root.selections.length === 0) {
    return { document: null, operation: null, source: null, hash: null, denials, plan, fieldsRequested };
  }
  const operation: OperationDefinitionNode = {
    ...op,
    selectionSet: { kind: Kind.SELECTION_SET, selections: root.selections },
  };
  const rewritten: DocumentNode = { kind: Kind.DOCUMENT, definitions: [operation] };
  const source = print(rewritten);
  const hash = createHash('sha256').update(source).digest('hex');
  return { document: rewritten, operation, source, hash, denials, plan, fieldsRequested };
}
