/**
 * Small strict readers for configuration parsed from `unknown` (YAML/JSON). Each failure is a
 * `ShapeError` carrying the exact path of the bad value, so a loader can name file, entry and
 * problem without guessing. Only own properties are ever read: a key named `__proto__` or
 * `constructor` is just an unknown key, never a route into the prototype chain.
 */

/** A path into a parsed document: object keys and array indexes. */
export type ShapePath = readonly (string | number)[];

/** A value does not have the expected shape; `path` says where. */
export class ShapeError extends Error {
  constructor(
    readonly path: ShapePath,
    readonly problem: string,
  ) {
    super(`${formatPath(path)}: ${problem}`);
    this.name = 'ShapeError';
  }
}

/** `agencies[3].identityProvider.algorithms` style. */
export function formatPath(path: ShapePath): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else out += out === '' ? segment : `.${segment}`;
  }
  return out === '' ? '(top level)' : out;
}

/** True for a plain object (not an array, not null). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Reads an own property only, never an inherited one. */
export function ownValue(record: Record<string, unknown>, key: string): unknown {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}

/**
 * Checks that `value` is an object with only `allowed` keys and all `required` keys present;
 * returns it typed as a record.
 */
export function readObject(
  value: unknown,
  path: ShapePath,
  keys: { required: readonly string[]; optional?: readonly string[] },
): Record<string, unknown> {
  if (!isRecord(value)) throw new ShapeError(path, `must be a mapping, got ${describe(value)}`);
  const allowed = new Set([...keys.required, ...(keys.optional ?? [])]);
  for (const key of Object.keys(value)) {
    if (!allowed.has(key)) {
      throw new ShapeError([...path, key], `unknown key (allowed: ${[...allowed].join(', ')})`);
    }
  }
  for (const key of keys.required) {
    if (!Object.hasOwn(value, key) || value[key] === undefined || value[key] === null) {
      throw new ShapeError([...path, key], 'is required');
    }
  }
  return value;
}

/** A non-empty trimmed string, optionally matching `pattern` (`what` describes the pattern). */
export function readString(value: unknown, path: ShapePath, pattern?: { re: RegExp; what: string }): string {
  if (typeof value !== 'string') throw new ShapeError(path, `must be a string, got ${describe(value)}`);
  if (value.trim() === '') throw new ShapeError(path, 'must not be empty');
  if (value !== value.trim()) throw new ShapeError(path, 'must not start or end with spaces');
  if (pattern && !pattern.re.test(value)) throw new ShapeError(path, `"${value}" is not ${pattern.what}`);
  return value;
}

/** A boolean, written as `true`/`false`. */
export function readBoolean(value: unknown, path: ShapePath): boolean {
  if (typeof value !== 'boolean') throw new ShapeError(path, `must be true or false, got ${describe(value)}`);
  return value;
}

/** An array (non-empty unless `allowEmpty`). */
export function readArray(value: unknown, path: ShapePath, options?: { allowEmpty?: boolean }): readonly unknown[] {
  if (!Array.isArray(value)) throw new ShapeError(path, `must be a list, got ${describe(value)}`);
  if (value.length === 0 && !options?.allowEmpty) throw new ShapeError(path, 'must not be empty');
  return value;
}

/** A short description of a value's type for messages (never the value itself: it may be a secret). */
export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return typeof value === 'number' ? 'a number' : typeof value;
}
