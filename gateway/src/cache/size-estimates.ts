/**
 * What one cache entry keeps alive on the heap, as a function of things cheap to count.
 *
 * The constants are calibrated by `measure/measure-retained-sizes.ts` (N distinct entries kept,
 * heap growth after a full GC divided by N; Node 20, the committed supergraph and the shipped
 * policies) and rounded up to the upper envelope of what was measured, so a cache's byte bound
 * is an upper bound of what it holds, not a hope. Measured (bytes per entry):
 *
 * | entry | measured | estimate basis |
 * |---|---|---|
 * | rewrite (client document + rewritten document + enforcement plan) | 16 k (ContainerHitCheck) – 109 k (ContainerDossier); 150–216 per AST node | 240 per AST node of both documents |
 * | parsed document (Apollo's document store) | 3.8–4.5 × its JSON length | 5 × JSON length |
 * | query plan | 1.7–22 × its JSON length | 24 × JSON length |
 * | access profile, every field decided | 50 k for 169 fields (≈ 300 per field) | 320 per schema field |
 * | filtered introspection schema | 288 k for a 16 k SDL (≈ 18 per SDL byte) | 20 per SDL byte of the full schema |
 * | verified token (token digest + principal) | 960 (digest, principal of parsed claims: three sets, six strings) | 400 + 2 × strings |
 * | context token memo | 550 for a 420-byte token | 128 + 2 × key + 1 × token (ASCII) |
 */
import { Kind, type ASTNode } from 'graphql';

/** Fixed cost of any entry: the containers around the value. */
const BASE_BYTES = 1024;

/** Measured 150–216 bytes per AST node for a rewrite; rounded up. */
export const REWRITE_BYTES_PER_AST_NODE = 240;
/** Measured 3.8–4.5 × JSON length for a parsed DocumentNode (locations included). */
export const DOCUMENT_BYTES_PER_JSON_BYTE = 5;
/** Measured up to 22 × JSON length for a query plan (its fetch nodes keep their operations). */
export const PLAN_BYTES_PER_JSON_BYTE = 24;
/** Measured ≈ 300 bytes per schema field for a fully populated access profile. */
export const PROFILE_BYTES_PER_FIELD = 320;
/** Measured ≈ 18 bytes per byte of SDL for a filtered GraphQLSchema. */
export const SCHEMA_BYTES_PER_SDL_BYTE = 20;

/** Every AST node below `roots` (names and values included), counted without recursion. */
export function countAstNodes(...roots: readonly (ASTNode | null | undefined)[]): number {
  let n = 0;
  const stack: unknown[] = roots.filter((r) => r != null);
  while (stack.length > 0) {
    const node = stack.pop();
    if (Array.isArray(node)) {
      for (const c of node) stack.push(c);
      continue;
    }
    if (typeof node !== 'object' || node === null || !('kind' in node)) continue;
    n += 1;
    // Names are leaves: counted, not walked.
    if ((node as { kind: unknown }).kind === Kind.NAME) continue;
    for (const [key, child] of Object.entries(node)) {
      if (key !== 'loc' && typeof child === 'object' && child !== null) stack.push(child);
    }
  }
  return n;
}

/** Bytes a string costs (two bytes per unit covers V8's two-byte strings; one-byte ones cost less). */
export function stringBytes(s: string): number {
  return 16 + 2 * s.length;
}

/** A cached rewrite: both documents and the enforcement plan built beside them. */
export function estimateRewriteBytes(clientDocument: ASTNode, rewritten: ASTNode | null, key: string): number {
  return BASE_BYTES + REWRITE_BYTES_PER_AST_NODE * countAstNodes(clientDocument, rewritten) + stringBytes(key);
}

/** A parsed, validated DocumentNode (Apollo Server's document store). */
export function estimateDocumentBytes(document: unknown, key: string): number {
  return BASE_BYTES + DOCUMENT_BYTES_PER_JSON_BYTE * jsonLength(document) + stringBytes(key);
}

/** A query plan of @apollo/gateway. */
export function estimatePlanBytes(plan: unknown, key: string): number {
  return BASE_BYTES + PLAN_BYTES_PER_JSON_BYTE * jsonLength(plan) + stringBytes(key);
}

/**
 * An access profile at the most it can grow to: it memoises a decision per field on first use,
 * and only fields of the schema get that far (validation refuses any other), so `schemaFields`
 * bounds its growth.
 */
export function estimateProfileBytes(schemaFields: number, key: string): number {
  return 4 * BASE_BYTES + PROFILE_BYTES_PER_FIELD * schemaFields + stringBytes(key);
}

/** A filtered copy of a schema whose full SDL is `sdlLength` long (a filtered one is never larger). */
export function estimateSchemaBytes(sdlLength: number, key: string): number {
  return BASE_BYTES + SCHEMA_BYTES_PER_SDL_BYTE * sdlLength + stringBytes(key);
}

/**
 * Bytes an ASCII-only string costs: V8 keeps it one byte per character (header, then the
 * characters rounded up to a word). Only for strings known to be ASCII, such as a compact JWS.
 */
export function asciiStringBytes(s: string): number {
  return 24 + s.length;
}

/** A verified token: its key (the token's digest) and the principal built from it. */
export function estimateVerifiedTokenBytes(key: string, principalStrings: Iterable<string>): number {
  let bytes = 400 + stringBytes(key);
  for (const s of principalStrings) bytes += 32 + stringBytes(s);
  return bytes;
}

/** A context token kept for reuse (the token is a compact JWS the gateway signed: ASCII). */
export function estimateContextTokenBytes(key: string, token: string): number {
  return 128 + stringBytes(key) + asciiStringBytes(token);
}


function jsonLength(value: unknown): number {
  try {
    return JSON.stringify(value)?.length ?? 0;
  } catch {
    // A cyclic value cannot be measured this way; then it must not be cached on a guess.
    return Number.MAX_SAFE_INTEGER;
  }
}
