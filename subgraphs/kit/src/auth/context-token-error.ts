/**
 * A subgraph request without a valid gateway context token. The kit's server answers it with
 * 401 `{ extensions: { code: 'UNAUTHENTICATED', reason } }`; the message is short and never
 * echoes the token.
 */
import { KitError } from '../errors';

/** Reasons: `missing_token`, `bad_header`, `token_too_large`, `malformed_token`, `alg_not_allowed`,
 * `bad_signature`, `unknown_issuer`, `wrong_audience`, `token_expired`, `token_not_yet_valid`, `invalid_claims`; with a published key set also `unknown_key` (a `kid` the
 * gateway does not publish) and `keys_unavailable` (the key set cannot be fetched or read). */
export class ContextTokenError extends KitError {
  readonly code = 'UNAUTHENTICATED';
}
