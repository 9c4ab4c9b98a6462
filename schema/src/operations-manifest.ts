/**
 * The persisted-documents manifest of the trusted operations: one entry per file of
 * `schema/operations/`, identified by the sha256 of its normalised text, in the shape of Apollo's
 * persisted query manifest (`format`, `version`, `operations[] { id, name, type, body }`) so that
 * client tooling that reads that shape can read ours.
 *
 * **Normalisation** (what the id is the hash of): the text is parsed with graphql-js and printed
 * back with graphql-js `print`. That drops comments, commas and insignificant whitespace and lays
 * the document out in one canonical way, so two texts that differ only in layout or comments have
 * the same id; anything that changes the document (a field, an alias, an argument, the order of
 * selections or definitions) changes it. id = lowercase hex sha256 of the printed text, UTF-8.
 * The manifest's `body` is that printed text, so `sha256(body) = id` can be checked by anyone.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Kind, parse, print, type DocumentNode } from 'graphql';
import { loadOperations, operationsDir } from './load-operations';

export const MANIFEST_FORMAT = 'apollo-persisted-query-manifest';

/** The committed manifest: `schema/operations/manifest.json` (regenerate with `npm run compose`). */
export const manifestPath = join(operationsDir, 'manifest.json');

export interface ManifestOperation {
  /** sha256 (lowercase hex) of `body`. */
  readonly id: string;
  /** The operation's name. */
  readonly name: string;
  readonly type: 'query' | 'mutation' | 'subscription';
  /** The normalised document: the operation and the fragments it uses. */
  readonly body: string;
}

export interface OperationsManifest {
  readonly format: typeof MANIFEST_FORMAT;
  readonly version: 1;
  readonly operations: readonly ManifestOperation[];
}

const SHA256_HEX = /^[0-9a-f]{64}$/;

/** The normalised text of a GraphQL document (see the file comment); throws graphql-js's syntax error. */
export function normaliseOperation(text: string): string {
  return print(parse(text, { noLocation: true }));
}

/** sha256 (lowercase hex) of a text, UTF-8. */
export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** The persisted id of a GraphQL document: sha256 of its normalised text. */
export function operationId(text: string): string {
  return sha256Hex(normaliseOperation(text));
}

/**
 * The persisted id of a document already parsed (the gateway parses a client's text under its
 * request limits first): the same value as {@link operationId} of its text.
 */
export function documentId(document: DocumentNode): string {
  return sha256Hex(print(document));
}

function entryOf(name: string, text: string, where: string): ManifestOperation {
  const body = normaliseOperation(text);
  const ops = parse(body, { noLocation: true }).definitions.filter((d) => d.kind === Kind.OPERATION_DEFINITION);
  if (ops.length !== 1) throw new Error(`${where}: must hold exactly one operation, found ${ops.length}`);
  const [op] = ops;
  if (op?.kind !== Kind.OPERATION_DEFINITION || op.name?.value !== name) {
    throw new Error(`${where}: the operation must be named ${name}, found ${op?.kind === Kind.OPERATION_DEFINITION ? (op.name?.value ?? 'an anonymous one') : 'none'}`);
  }
  return { id: sha256Hex(body), name, type: op.operation, body };
}

/** Builds the manifest from the trusted operations (by default those of `schema/operations/`), sorted by name. */
export function buildOperationsManifest(operations: Readonly<Record<string, string>> = loadOperations()): OperationsManifest {
  const entries = Object.entries(operations)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, text]) => entryOf(name, text, `operation ${name}`));
  return { format: MANIFEST_FORMAT, version: 1, operations: entries };
}

/** The manifest as it is written to disk (two-space JSON, final newline). */
export function serialiseOperationsManifest(manifest: OperationsManifest): string {
  return `${JSON.stringify(manifest, null, 2)}\n`;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Checks a manifest read from anywhere (ours, or one a front-end team built): the shape, each
 * id's format, and that each id is the sha256 of the normalised body — so an entry cannot claim
 * an id for another document. Throws an `Error` naming `source` and the entry's path.
 */
export function parseOperationsManifest(value: unknown, source: string): OperationsManifest {
  const fail = (path: string, message: string): never => {
    throw new Error(`${source}: ${path}: ${message}`);
  };
  if (!isRecord(value)) return fail('(root)', 'must be a JSON object');
  if (value.format !== MANIFEST_FORMAT) fail('format', `must be "${MANIFEST_FORMAT}"`);
  if (value.version !== 1) fail('version', 'must be 1');
  if (!Array.isArray(value.operations)) return fail('operations', 'must be an array');
  const seen = new Set<string>();
  const operations = value.operations.map((raw: unknown, i): ManifestOperation => {
    const at = `operations[${i}]`;
    if (!isRecord(raw)) return fail(at, 'must be an object');
    const { id, name, type, body } = raw;
    if (typeof id !== 'string' || !SHA256_HEX.test(id)) return fail(`${at}.id`, 'must be 64 lowercase hex digits (sha256)');
    if (typeof name !== 'string' || name === '') return fail(`${at}.name`, 'must be a non-empty string');
    if (type !== 'query' && type !== 'mutation' && type !== 'subscription') return fail(`${at}.type`, 'must be query, mutation or subscription');
    if (typeof body !== 'string') return fail(`${at}.body`, 'must be a string');
    let normalised: string;
    try {
      normalised = normaliseOperation(body);
    } catch (err) {
      return fail(`${at}.body`, `is not GraphQL (${(err as Error).message})`);
    }
    if (sha256Hex(normalised) !== id) fail(`${at}.id`, 'is not the sha256 of the normalised body');
    if (seen.has(id)) fail(`${at}.id`, 'appears twice');
    seen.add(id);
    return { id, name, type, body: normalised };
  });
  return { format: MANIFEST_FORMAT, version: 1, operations };
}

/** Reads and checks a manifest file (default the committed one). */
export function readOperationsManifest(file: string = manifestPath): OperationsManifest {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new Error(`${file}: cannot be read (${(err as Error).message}); run \`npm run compose\``);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new Error(`${file}: is not valid JSON`);
  }
  return parseOperationsManifest(json, file);
}
