/**
 * Names of the selections enforcement adds to an operation. They share one reserved prefix
 * that clients may not use, so post-processing never mistakes a client's alias for ours.
 */

/** Prefix of every injected alias; a client alias starting with it is refused. */
export const RESERVED_ALIAS_PREFIX = '__pactum';

/** Alias of the injected `__typename` on abstract selections. */
export const TYPENAME_ALIAS = '__pactum_typename';

/**
 * Alias of the injected label. Under an abstract parent each concrete type gets its own alias:
 * two object types may declare the label with different nullability, and one alias with two
 * shapes would not validate.
 */
export function labelAlias(typeName: string, abstractParent: boolean): string {
  return abstractParent ? `__pactum_label_${typeName}` : '__pactum_label';
}

/** Alias of an injected entity key field (see {@link labelAlias} for the per-type form). */
export function keyAlias(typeName: string, field: string, abstractParent: boolean): string {
  return abstractParent ? `__pactum_key_${typeName}_${field}` : `__pactum_key_${field}`;
}
