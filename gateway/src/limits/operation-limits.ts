/**
 * The bounds a client's document is held to before the gateway parses it for real, validates,
 * plans or rewrites it. Their values (and defaults) come from the gateway configuration
 * (`PACTUM_MAX_*`); see `config/gateway-config.ts`.
 */

/**
 * Deepest nesting an introspection query may have, whatever the data limit. Introspection
 * (`__schema`, `__type`) is answered by the gateway itself and never reaches a subgraph, so its
 * subtree counts as one level of data depth and is held to this ceiling instead — deep enough for
 * the standard query of GraphiQL and Apollo Sandbox (15 levels) without raising the data limit.
 */
export const INTROSPECTION_MAX_DEPTH = 20;

/** Bounds of {@link checkOperationLimits}. */
export interface OperationLimits {
  /** Longest query text in UTF-8 bytes. */
  readonly maxDocumentBytes: number;
  /** Most lexical tokens in the document (graphql-js `maxTokens`). */
  readonly maxTokens: number;
  /** Deepest selection nesting of an operation, fragments inlined (introspection counts as one level). */
  readonly maxDepth: number;
  /** Most aliases in an operation, fragments inlined. */
  readonly maxAliases: number;
  /** Most selections (fields and inline fragments) in an operation, fragments inlined. */
  readonly maxSelections: number;
  /** Most directives in an operation, fragments inlined. */
  readonly maxDirectives: number;
  /** Most times one response name may occur in one selection set, fragments inlined (validation compares them pairwise). */
  readonly maxFieldRepeats: number;
}

/** Which limit refused a document: the `reason` of the `BAD_USER_INPUT` error. */
export type LimitReason =
  | 'limit_document_bytes'
  | 'limit_tokens'
  | 'limit_depth'
  | 'limit_aliases'
  | 'limit_selections'
  | 'limit_directives'
  | 'limit_field_repeats';
