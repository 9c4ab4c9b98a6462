/**
 * Free text a request brings in — the token's `sub` and `jti`, the `x-justification` and
 * `x-case-ref` headers — is either stored faithfully or refused, never mangled: it must be
 * valid UTF-8 and free of control characters (C0, DEL, C1), line and paragraph separators, and
 * bidirectional formatting characters, which could rewrite how an audit log or a report reads.
 */

// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL_OR_BIDI = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

/** True when `text` holds a control, separator or bidi formatting character. */
export function hasControlCharacters(text: string): boolean {
  return CONTROL_OR_BIDI.test(text);
}

/**
 * A header value as its UTF-8 text. Node hands header bytes over as latin-1 characters (one
 * per byte); undefined when the bytes are not valid UTF-8.
 */
export function headerText(raw: string): string | undefined {
  // Plain ASCII (the usual case) reads the same either way.
  // eslint-disable-next-line no-control-regex -- ASCII range check
  if (/^[\u0000-\u007f]*$/.test(raw)) return raw;
  const bytes = Buffer.from(raw, 'latin1');
  const text = bytes.toString('utf8');
  // A lone U+FFFD is how the decoder marks bytes that are not UTF-8; one the client meant
  // survives the round trip, a substituted one does not.
  return Buffer.from(text, 'utf8').equals(bytes) ? text : undefined;
}
