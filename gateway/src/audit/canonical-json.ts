/**
 * Canonical JSON: the one byte string a value hashes to. Object keys are sorted (UTF-16
 * code unit order, as RFC 8785), no whitespace, `undefined` properties are left out.
 * Anything JSON cannot carry exactly (non-finite numbers, functions, symbols, bigints,
 * `undefined` or holes inside arrays, class instances other than Date) is rejected rather
 * than silently changed — a hash over a lossy encoding would prove nothing.
 *
 * Every request's audit record goes through here, so the encoder builds no path strings
 * on the way down: a refused value's path is collected on the way back up, as the error
 * passes each array and object.
 */

/** Serialises `value` canonically; throws a `TypeError` naming the path of an unsupported value. */
export function canonicalJson(value: unknown): string {
  try {
    return encode(value);
  } catch (error) {
    if (!(error instanceof Unsupported)) throw error;
    const path = error.path.map((step) => (typeof step === 'number' ? `[${step}]` : `.${step}`)).join('');
    throw new TypeError(`canonicalJson: ${error.what} at $${path}`);
  }
}

/** A value JSON cannot carry; `path` is filled in, innermost step last, as the error unwinds. */
class Unsupported {
  readonly path: Array<string | number> = [];
  constructor(readonly what: string) {}
}

/** Adds `step` in front of the path of an `Unsupported` passing through, and rethrows anything. */
function through(error: unknown, step: string | number): never {
  if (error instanceof Unsupported) error.path.unshift(step);
  throw error;
}

function encode(value: unknown): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(value)) throw new Unsupported('non-finite number');
      return JSON.stringify(value);
    case 'object':
      break;
    default:
      throw new Unsupported(`unsupported ${typeof value}`);
  }
  if (Array.isArray(value)) {
    // A column of strings or of numbers (a released list in columns): the engine's own encoding is
    // already canonical for those, a column at a time.
    if (isColumn(value)) return JSON.stringify(value);
    let out = '[';
    for (let i = 0; i < value.length; i += 1) {
      try {
        if (!(i in value) || value[i] === undefined) throw new Unsupported('undefined');
        out += i === 0 ? encode(value[i]) : `,${encode(value[i])}`;
      } catch (error) {
        through(error, i);
      }
    }
    return `${out}]`;
  }
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) throw new Unsupported('invalid date');
    return `"${value.toISOString()}"`;
  }
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) throw new Unsupported('unsupported object');
  const record = value as Record<string, unknown>;
  let out = '{';
  for (const key of sortedKeys(record)) {
    const item = record[key];
    if (item === undefined) continue;
    try {
      out += `${out.length === 1 ? '' : ','}${quotedKey(key)}:${typeof item === 'string' ? JSON.stringify(item) : encode(item)}`;
    } catch (error) {
      through(error, key);
    }
  }
  return `${out}}`;
}

/** True for a non-empty array of strings only, or of finite numbers only, with no holes. */
function isColumn(value: unknown[]): boolean {
  if (value.length === 0) return false;
  const kind = typeof value[0];
  if (kind === 'string') {
    for (let i = 0; i < value.length; i += 1) if (typeof value[i] !== 'string') return false;
    return true;
  }
  if (kind === 'number') {
    for (let i = 0; i < value.length; i += 1) if (!Number.isFinite(value[i])) return false;
    return true;
  }
  return false;
}

/** An object's keys in code-unit order; most objects here are built in that order already, and are not sorted again. */
function sortedKeys(record: Record<string, unknown>): string[] {
  const keys = Object.keys(record);
  for (let i = 1; i < keys.length; i += 1) if ((keys[i - 1] as string) > (keys[i] as string)) return keys.sort();
  return keys;
}

/** Keys repeat across records (a released list is thousands of objects with the same three): each is quoted once. */
const QUOTED = new Map<string, string>();
const QUOTED_MAX = 4096;

function quotedKey(key: string): string {
  let q = QUOTED.get(key);
  if (q === undefined) {
    q = JSON.stringify(key);
    if (QUOTED.size < QUOTED_MAX) QUOTED.set(key, q);
  }
  return q;
}
