/**
 * Stage 3: limits, parse, validate. The client's text becomes one executable operation with its
 * variables coerced — once, here; every later stage reads these values — or the request is
 * refused: a limit (size, tokens, nesting, and selections, aliases, directives, depth measured
 * with fragments inlined) with `BAD_USER_INPUT` and a `limit_*` reason before anything is
 * expanded; then with graphql-js's own errors (parse: `GRAPHQL_PARSE_FAILED`; validation,
 * including "no introspection": `GRAPHQL_VALIDATION_FAILED`; variables: `BAD_USER_INPUT`). A document with several operations
 * and no (or an unknown) `operationName` is a 400, as is a subscription or a mutation over GET.
 *
 * Validated documents are cached by the sha256 of their text — the one thing the limits,
 * parsing and validation depend on besides the schema, the limits and the rules, which are fixed
 * for the cache's life (a cached document has passed them all).
 */
import { createHash } from 'node:crypto';
import {
  getOperationAST,
  getVariableValues,
  GraphQLError,
  parse,
  specifiedRules,
  validate,
  type DocumentNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type ValidationRule,
} from 'graphql';
import { BadUserInputError, OperationRefusedError } from '../../errors';
import { MethodNotAllowedError, type GraphQLRequest } from './read-graphql-request';

/** The operation that will run, as the client wrote it, with its variables. */
export interface PreparedOperation {
  readonly document: DocumentNode;
  readonly operation: OperationDefinitionNode;
  /** sha256 (hex) of the client's text: the audit record's operation hash. */
  readonly queryHash: string;
  /** The client's `operationName` (null when the document has one operation and none was given). */
  readonly operationName: string | null;
  /** The variables as sent (the gateway executor coerces them itself). */
  readonly variables: Readonly<Record<string, unknown>>;
  /** The variables coerced against the schema, defaults applied. */
  readonly coercedVariables: Readonly<Record<string, unknown>>;
}

/** Where validated documents are kept, by the sha256 of their text. */
export interface DocumentCache {
  get(queryHash: string): DocumentNode | undefined;
  set(queryHash: string, document: DocumentNode): void;
}

export interface PrepareOptions {
  readonly schema: GraphQLSchema;
  /**
   * Pactum's request limits (`limits/`), held before the text is parsed for real: throws to
   * refuse, returns the parsed document, or undefined for text that is not GraphQL (the parser
   * then reports the syntax error).
   */
  readonly checkLimits: (source: string) => DocumentNode | undefined;
  /** Pactum's rules run after graphql-js's specified rules (no introspection, when it is off). */
  readonly rules: readonly ValidationRule[];
  readonly documents: DocumentCache;
}

/** Creates the stage for one schema (see the file comment). */
export function createOperationPreparer(options: PrepareOptions): (request: GraphQLRequest) => PreparedOperation {
  const rules = [...specifiedRules, ...options.rules];
  const { schema, documents } = options;

  // Reached only for text the limits' scan found not to be GraphQL: the parser names the error.
  function parseOrRefuse(source: string): DocumentNode {
    try {
      return parse(source);
    } catch (err) {
      if (err instanceof GraphQLError) throw new OperationRefusedError('GRAPHQL_PARSE_FAILED', 'syntax_error', [err]);
      throw err;
    }
  }

  function validDocument(source: string, queryHash: string): DocumentNode {
    const cached = documents.get(queryHash);
    if (cached) return cached;
    const document = options.checkLimits(source) ?? parseOrRefuse(source);
    const errors = validate(schema, document, rules);
    if (errors.length > 0) throw new OperationRefusedError('GRAPHQL_VALIDATION_FAILED', 'invalid_operation', errors);
    documents.set(queryHash, document);
    return document;
  }

  return (request) => {
    const queryHash = createHash('sha256').update(request.query).digest('hex');
    const document = validDocument(request.query, queryHash);
    const operation = getOperationAST(document, request.operationName);
    if (!operation) {
      if (request.operationName !== null) throw new BadUserInputError('unknown_operation', `the document has no operation named "${request.operationName}"`);
      throw new BadUserInputError('operation_name_required', 'the document holds several operations: say which to run with "operationName"');
    }
    if (operation.operation === 'subscription') throw new BadUserInputError('subscription', 'subscriptions are not supported');
    if (operation.operation === 'mutation' && request.method === 'GET') throw new MethodNotAllowedError('a mutation must be sent with POST', 'POST');
    const definitions = operation.variableDefinitions ?? [];
    let coercedVariables: Readonly<Record<string, unknown>> = {};
    if (definitions.length > 0) {
      const { coerced, errors } = getVariableValues(schema, definitions, request.variables);
      if (errors) throw new OperationRefusedError('BAD_USER_INPUT', 'invalid_variables', errors);
      coercedVariables = coerced;
    }
    return { document, operation, queryHash, operationName: request.operationName, variables: request.variables, coercedVariables };
  };
}

