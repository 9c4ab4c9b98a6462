/**
 * Parsing of a JSON Web Key Set from untrusted bytes (an identity provider's endpoint or a file).
 * Only public signature keys of an asymmetric type survive; anything else makes the set invalid
 * or is dropped, so a compromised or broken endpoint cannot slip in a symmetric or private key.
 */
import type { JWK } from 'jose';
import { isRecord } from './shape';

/** A public verification key as published, with only the members Pactum reads. */
export type PublicJwk = Readonly<JWK> & { readonly kty: 'OKP' | 'EC' | 'RSA' };

const ASYMMETRIC_KTY = new Set(['OKP', 'EC', 'RSA']);
/** Members that only a private (or symmetric) key has. */
const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'];

/**
 * Parses JWKS text. Returns the usable keys, or a short problem description
 * (never the document itself: it came from outside).
 */
export function parseJwks(text: string): { keys: readonly PublicJwk[] } | { problem: string } {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return { problem: 'response is not JSON' };
  }
  if (!isRecord(doc) || !Object.hasOwn(doc, 'keys') || !Array.isArray(doc.keys)) {
    return { problem: 'response is not a JWK set (no "keys" list)' };
  }
  const keys: PublicJwk[] = [];
  for (const candidate of doc.keys) {
    if (!isRecord(candidate)) return { problem: 'a key is not an object' };
    if (PRIVATE_MEMBERS.some((m) => Object.hasOwn(candidate, m))) {
      return { problem: 'the set contains private or symmetric key material' };
    }
    const kty = Object.hasOwn(candidate, 'kty') ? candidate.kty : undefined;
    if (typeof kty !== 'string' || !ASYMMETRIC_KTY.has(kty)) continue; // e.g. an encryption-only or unknown key type
    const use = Object.hasOwn(candidate, 'use') ? candidate.use : undefined;
    if (use !== undefined && use !== 'sig') continue;
    // Copy own members only into a fresh object: a `__proto__` member stays inert data.
    const copy: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
    for (const [k, v] of Object.entries(candidate)) copy[k] = v;
    keys.push({ ...copy, kty } as PublicJwk);
  }
  if (keys.length === 0) return { problem: 'the set has no usable public signature key' };
  return { keys };
}
