/**
 * Canonical JSON: the one byte string a value hashes to. Object keys are sorted (UTF-16
 * code unit order, as RFC 8785), no whitespace, `undefined` properties are left out.
 * Anything JSON cannot carry exactly (non-finite numbers, functions, symbols, bigints,
 * `undefined` or holes inside arrays, class instances other than Date) is rejected rather
 * than silently changed — a hash over a lossy encoding would prove nothing.
 *
 * Every request's audit record goes through here, so the encoder builds no path strings
 * on the way: only when a value is refused is the value walked again to name where.
 */

/** Serialises `value` canonically; throws a `TypeError` naming the path of an unsupported value. */
export function canonicalJson(value: unknown): string {
  try {
    return encode(value);
  } catch (error) {
    if (error !== UNSUPPORTED) throw error;
    const found = findUnsupported(value, '$');
    throw new TypeError(`canonicalJson: ${found ?? 'unsupported value at $'}`);
  }
}

/** Thrown inside the encoder; `canonicalJson` turns it into a message with the path. */
const UNSUPPORTED = Symbol('unsupported');

function encode(value: unknown): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(value)) throw UNSUPPORTED;
      return JSON.stringify(value);
    case 'object':
      break;
    default:
      throw UNSUPPORTED;
  }
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i += 1) {
      if (!(i in value) || value[i] === undefined) throw UNSUPPORTED;
      out += i === 0 ? encode(value[i]) : `,${encode(value[i])}`;
    }
    return `${out}]`;
  }
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) throw UNSUPPORTED;
    return `"${value.toISOString()}"`;
  }
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) throw UNSUPPORTED;
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record).sort();
  let out = '{';
  for (const key of keys) {
    const item = record[key];
    if (item === undefined) continue;
    out += `${out.length === 1 ? '' : ','}${JSON.stringify(key)}:${encode(item)}`;
  }
  return `${out}}`;
}

/** Describes the first value `encode` refuses, with its path (`$.a[1]`), or undefined if none. */
function findUnsupported(value: unknown, path: string): string | undefined {
  if (value === null) return undefined;
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return undefined;
    case 'number':
      return Number.isFinite(value) ? undefined : `non-finite number at ${path}`;
    case 'object':
      break;
    default:
      return `unsupported ${typeof value} at ${path}`;
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i += 1) {
      if (!(i in value) || value[i] === undefined) return `undefined at ${path}[${i}]`;
      const found = findUnsupported(value[i], `${path}[${i}]`);
      if (found) return found;
    }
    return undefined;
  }
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? `invalid date at ${path}` : undefined;
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return `unsupported object at ${path}`;
  const record = value as Record<string, unknown>;
  for (const key of Object.keys(record).sort()) {
    const item = record[key];
    if (item === undefined) continue;
    const found = findUnsupported(item, `${path}.${key}`);
    if (found) return found;
  }
  return undefined;
}
