/**
 * The purposes a request may declare (`policies/purposes.yaml`): a code, what it means, its
 * legal basis, and whether a free-text justification must accompany it.
 */
import path from 'node:path';
import { configErrorFrom, readYamlFile } from './read-yaml-file';
import { ShapeError, readArray, readBoolean, readObject, readString, type ShapePath } from './shape';

/** One declared-purpose code. */
export interface Purpose {
  /** Stable code sent in `x-purpose`, e.g. `drug-trafficking`. */
  readonly code: string;
  readonly description: string;
  /** Legal basis a compliance officer can look up. */
  readonly legalBasis: string;
  /** Whether `x-justification` is mandatory with this purpose. */
  readonly justificationRequired: boolean;
}

/** The loaded, validated purpose list. */
export interface PurposeRegistry {
  readonly file: string;
  readonly purposes: readonly Purpose[];
  get(code: string): Purpose | undefined;
  has(code: string): boolean;
}

const CODE = { re: /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/, what: 'a purpose code (lower case, dash separated, e.g. drug-trafficking)' };

/** Loads and strictly validates `policies/purposes.yaml`; any problem → `ConfigError`. */
export function loadPurposes(file: string): PurposeRegistry {
  const abs = path.resolve(file);
  const yaml = readYamlFile(abs);
  try {
    return buildPurposes(abs, yaml.value);
  } catch (error) {
    if (!(error instanceof ShapeError)) throw error;
    throw configErrorFrom(yaml, error, (p) => entryOf(yaml.value, p));
  }
}

function entryOf(doc: unknown, p: ShapePath): { label: string; depth: number } | undefined {
  if (p[0] !== 'purposes' || typeof p[1] !== 'number') return undefined;
  const list = typeof doc === 'object' && doc !== null && Object.hasOwn(doc, 'purposes') ? (doc as { purposes: unknown }).purposes : undefined;
  const item: unknown = Array.isArray(list) ? list[p[1]] : undefined;
  const code = typeof item === 'object' && item !== null && Object.hasOwn(item, 'code') ? (item as { code: unknown }).code : undefined;
  return { label: typeof code === 'string' ? `purposes[${p[1]}] (${code})` : `purposes[${p[1]}]`, depth: 2 };
}

function buildPurposes(file: string, doc: unknown): PurposeRegistry {
  const top = readObject(doc, [], { required: ['purposes'], optional: ['version'] });
  if (top.version !== undefined && top.version !== 1) throw new ShapeError(['version'], 'only version 1 is supported');
  const byCode = new Map<string, Purpose>();
  const purposes = readArray(top.purposes, ['purposes']).map((item, i) => {
    const at: ShapePath = ['purposes', i];
    const o = readObject(item, at, { required: ['code', 'description', 'legalBasis', 'justificationRequired'] });
    const purpose: Purpose = Object.freeze({
      code: readString(o.code, [...at, 'code'], CODE),
      description: readString(o.description, [...at, 'description']),
      legalBasis: readString(o.legalBasis, [...at, 'legalBasis']),
      justificationRequired: readBoolean(o.justificationRequired, [...at, 'justificationRequired']),
    });
    if (byCode.has(purpose.code)) throw new ShapeError([...at, 'code'], `duplicate purpose code ${purpose.code}`);
    byCode.set(purpose.code, purpose);
    return purpose;
  });
  return Object.freeze({
    file,
    purposes: Object.freeze(purposes),
    get: (code: string) => byCode.get(code),
    has: (code: string) => byCode.has(code),
  });
}
