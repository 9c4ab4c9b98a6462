/**
 * Names of the selections enforcement adds to an operation. They share one reserved prefix
 * that clients may not use, so post-processing never mistakes a client's alias for ours.
 */

/** Prefix of every injected alias; a client alias starting with it is refused. */
export const RESERVED_ALIAS_PREFIX = '__pactum';

/** Alias of the injected `__typename` on abstract selections. */
export const TYPENAME_ALIAS = '__pactum_typename';

/**
 * Alias of the injected label of rows of `typeName`. Always named after the concrete type: two
 * object types may declare the label with different nullability (one alias with two shapes would
 * not validate), and one response object can be reached through selections typed on an
 * interface and on its object type at once (`... on Report { attachment { … } }` next to
 * `attachment { … }`): both must inject the very same field, so that they merge into one and
 * post-processing finds and strips it whichever selection put it there.
 */
export function labelAlias(typeName: string): string {
  return `__pactum_label_${typeName}`;
}

/** Alias of an injected entity key field (named after the concrete type, see {@link labelAlias}). */
export function keyAlias(typeName: string, field: string): string {
  return `__pactum_key_${typeName}_${field}`;
}
