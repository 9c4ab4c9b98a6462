/**
 * The limits stage: a client's query text is held to every {@link OperationLimits} bound before
 * anything costly happens to it — before Apollo Server parses and validates it (graphql-js'
 * validation is itself super-linear on some shapes: OverlappingFieldsCanBeMerged compares
 * same-named fields pairwise), before the rewrite inlines its fragments, before the planner
 * sees it. Order: size of the text → tokens and bracket nesting (one lexer pass) → parse →
 * selections, aliases, directives and depth of every operation with its fragments inlined
 * (measured, never expanded).
 */
import { parse, type DocumentNode } from 'graphql';
import { LimitExceededError } from './limit-exceeded-error';
import { measureOperations } from './measure-operations';
import { INTROSPECTION_MAX_DEPTH, type OperationLimits } from './operation-limits';
import { scanDocument } from './scan-document';

/**
 * Brackets (`{`, `(`, `[`) a document may nest: selection sets up to the depth limit, with
 * room for arguments and input values inside them. Far below the ~2 000 levels at which the
 * parser's recursion overflows the stack.
 */
export function maxNesting(limits: Pick<OperationLimits, 'maxDepth'>): number {
  return 2 * Math.max(limits.maxDepth, INTROSPECTION_MAX_DEPTH) + 8;
}

/**
 * Checks `source` against `limits` and returns its parsed document; throws
 * {@link LimitExceededError} (`BAD_USER_INPUT`, reason `limit_*`, the limit and the value in
 * the message) for the first bound it passes. Returns undefined for text that is not GraphQL:
 * the prepare stage's parser then reports the syntax error. Every operation of a document is held
 * to the limits (as every one is validated), so no operation name is needed.
 */
export function checkOperationLimits(source: string, limits: OperationLimits): DocumentNode | undefined {
  // A UTF-16 unit is at most 3 bytes of UTF-8: only a text that long needs its bytes counted.
  const bytes = source.length * 3 > limits.maxDocumentBytes ? Buffer.byteLength(source, 'utf8') : source.length;
  if (bytes > limits.maxDocumentBytes) {
    throw new LimitExceededError('limit_document_bytes', `document is ${bytes} bytes; the limit is ${limits.maxDocumentBytes}`);
  }
  if (!scanDocument(source, { maxTokens: limits.maxTokens, maxNesting: maxNesting(limits) })) return undefined;
  let document: DocumentNode;
  try {
    // With locations, as any parse of it: validation errors point into the client's text.
    document = parse(source, { maxTokens: limits.maxTokens });
  } catch {
    return undefined;
  }
  measureOperations(document, limits);
  return document;
}
