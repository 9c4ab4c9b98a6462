/**
 * Canonical JSON: the one byte string a value hashes to. Object keys are sorted (UTF-16
 * code unit order, as RFC 8785), no whitespace, `undefined` properties are left out.
 * Anything JSON cannot carry exactly (non-finite numbers, functions, symbols, bigints,
 * `undefined` inside arrays, class instances other than Date) is rejected rather than
 * silently changed — a hash over a lossy encoding would prove nothing.
 */

/** Serialises `value` canonically; throws a `TypeError` naming the path of an unsupported value. */
export function canonicalJson(value: unknown): string {
  return encode(value, '$');
}

function encode(value: unknown, path: string): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError(`canonicalJson: non-finite number at ${path}`);
      return JSON.stringify(value);
    case 'object':
      break;
    default:
      throw new TypeError(`canonicalJson: unsupported ${typeof value} at ${path}`);
  }
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) throw new TypeError(`canonicalJson: invalid date at ${path}`);
    return JSON.stringify(value.toISOString());
  }
  if (Array.isArray(value)) {
    return `[${value
      .map((item, i) => {
        if (item === undefined) throw new TypeError(`canonicalJson: undefined at ${path}[${i}]`);
        return encode(item, `${path}[${i}]`);
      })
      .join(',')}]`;
  }
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) {
    throw new TypeError(`canonicalJson: unsupported object at ${path}`);
  }
  const record = value as Record<string, unknown>;
  const parts: string[] = [];
  for (const key of Object.keys(record).sort()) {
    const item = record[key];
    if (item === undefined) continue;
    parts.push(`${JSON.stringify(key)}:${encode(item, `${path}.${key}`)}`);
  }
  return `{${parts.join(',')}}`;
}
