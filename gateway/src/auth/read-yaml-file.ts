/**
 * Reads a YAML policy file once, keeping enough of the source to point at the line of a bad value.
 */
import { readFileSync } from 'node:fs';
import { LineCounter, isNode, parseDocument } from 'yaml';
import { ConfigError } from '../errors';
import { displayPath } from '../config/paths';
import { formatPath, type ShapeError, type ShapePath } from './shape';

/** A parsed YAML file: its plain value and a way to find the line of any path in it. */
export interface YamlFile {
  /** Path as shown in messages (relative to the repository root when inside it). */
  readonly display: string;
  readonly value: unknown;
  /** 1-based line of the value at `path`, or of its nearest existing ancestor. */
  lineOf(path: ShapePath): number | undefined;
}

/** Reads and parses `file`; unreadable files and YAML syntax errors become a `ConfigError`. */
export function readYamlFile(file: string): YamlFile {
  const display = displayPath(file);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (cause) {
    // Not `instanceof Error`: errors from node:fs may come from another realm (Jest's sandbox).
    const code = typeof cause === 'object' && cause !== null && 'code' in cause ? String(cause.code) : 'unreadable';
    throw new ConfigError('file_unreadable', `${display}: cannot read the file (${code})`, { cause });
  }
  const lineCounter = new LineCounter();
  // uniqueKeys (the default) makes a duplicated mapping key a syntax error, not a silent override.
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const first = doc.errors[0];
  if (first) {
    const line = lineCounter.linePos(first.pos[0]).line;
    throw new ConfigError('yaml_syntax', `${display}:${line}: YAML syntax error: ${first.message.split('\n')[0]}`);
  }
  const value: unknown = doc.toJS({ maxAliasCount: 100 });
  return {
    display,
    value,
    lineOf(path) {
      for (let n = path.length; n >= 0; n--) {
        const node = doc.getIn(path.slice(0, n), true);
        if (isNode(node) && node.range) return lineCounter.linePos(node.range[0]).line;
      }
      return undefined;
    },
  };
}

/**
 * Turns a `ShapeError` into the `ConfigError` a person can act on:
 * `policies/agencies.yaml: agencies[3] (FR-POLICE): identityProvider.algorithms: HS256 is not an asymmetric algorithm (line 42)`.
 * `entryOf` names the list entry a path falls in (e.g. by its id), when it can.
 */
export function configErrorFrom(
  file: YamlFile,
  error: ShapeError,
  entryOf: (path: ShapePath) => { label: string; depth: number } | undefined,
): ConfigError {
  const entry = entryOf(error.path);
  const rest = entry ? error.path.slice(entry.depth) : error.path;
  const where = rest.length === 0 && entry ? '' : `${formatPath(rest)}: `;
  const line = file.lineOf(error.path);
  const prefix = entry ? `${entry.label}: ` : '';
  const suffix = line === undefined ? '' : ` (line ${line})`;
  return new ConfigError('invalid_config', `${file.display}: ${prefix}${where}${error.problem}${suffix}`, { cause: error });
}

