/**
 * The keys `pactum audit verify|checkpoint|prune` use: the public key(s) signed checkpoints are
 * checked with (`--key <file>`: one JWK or a JWKS `{ "keys": [...] }`, else
 * PACTUM_GATEWAY_PUBLIC_KEY_FILE, else every key of `<state>/keys` published or retired, else
 * `<state>/keys/gateway.public.jwk`), and the gateway's
 * private key to sign with (`<state>/keys/gateway.private.jwk`, never generated here: a
 * checkpoint signed by a key nobody else knows proves nothing).
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { JWK } from 'jose';
import { createCheckpointSigner, type AuditSigning, type CheckpointSigner, type SignedCheckpoint } from '../../audit';
import { ensureGatewayKeys, GATEWAY_KEY_FILES, knownGatewayPublicKeys } from '../../auth';
import { stateDir } from '../../config/paths';

/** Reads one JWK or a JWKS; every key must carry a `kid`. Throws an Error naming the file. */
export function readPublicKeys(file: string): JWK[] {
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`${file}: not a JWK or JWKS file (${error instanceof Error ? error.message : String(error)})`);
  }
  const keys = (typeof value === 'object' && value !== null && Array.isArray((value as { keys?: unknown }).keys) ? (value as { keys: unknown[] }).keys : [value]) as JWK[];
  if (keys.some((k) => typeof k === 'object' && k !== null && 'd' in k)) throw new Error(`${file}: holds a private key; give the public one`);
  if (keys.length === 0 || !keys.every((k) => typeof k === 'object' && k !== null && typeof k.kid === 'string' && typeof k.kty === 'string')) {
    throw new Error(`${file}: every key needs "kty" and "kid"`);
  }
  return keys;
}

/** Public keys for verification, or undefined when none is configured and the default file is absent. */
export function verificationKeys(keyOption: string | undefined, env: NodeJS.ProcessEnv): JWK[] | undefined {
  const file = keyOption ?? (env.PACTUM_GATEWAY_PUBLIC_KEY_FILE || undefined);
  if (file !== undefined) return readPublicKeys(path.resolve(file));
  // Every key the gateway published or retired (a rotation keeps old checkpoints verifiable), else its one public key.
  const dir = path.join(stateDir(env), 'keys');
  if (existsSync(path.join(dir, GATEWAY_KEY_FILES.jwks))) return knownGatewayPublicKeys(dir);
  const fallback = path.join(dir, 'gateway.public.jwk');
  return existsSync(fallback) ? readPublicKeys(fallback) : undefined;
}

/** The gateway's key as a checkpoint signer (its public half for verification). Throws when the key is not there. */
export function gatewaySigner(env: NodeJS.ProcessEnv): { signer: CheckpointSigner; publicJwk: JWK } {
  const dir = path.join(stateDir(env), 'keys');
  if (!existsSync(path.join(dir, 'gateway.private.jwk'))) throw new Error(`no gateway key in ${dir} (checkpoints are signed with the key of the gateway that writes the trail)`);
  const keys = ensureGatewayKeys(dir);
  return { signer: createCheckpointSigner(keys.privateKey, keys.kid), publicJwk: keys.publicJwk };
}

/** What the trail is opened with for `sub`. */
export function signingFor(sub: string, keyOption: string | undefined, env: NodeJS.ProcessEnv): AuditSigning {
  if (sub === 'checkpoint' || sub === 'prune') {
    const { signer, publicJwk } = gatewaySigner(env);
    return { signer, verifyKeys: verificationKeys(keyOption, env) ?? [publicJwk] };
  }
  const keys = sub === 'verify' ? verificationKeys(keyOption, env) : undefined;
  return keys ? { verifyKeys: keys } : {};
}

/** `pactum audit checkpoint` output: one block per chain, the JWS on its own line (publish that line). */
export function describeCheckpoints(signed: readonly SignedCheckpoint[]): string {
  if (signed.length === 0) return 'no chain has records yet: nothing to sign';
  return signed
    .map((c) => `chain ${c.statement.chain}: seq ${c.statement.seq} hash ${c.statement.hash} id ${c.statement.id} signed ${c.statement.at} (kid ${c.kid})\n${c.jws}`)
    .join('\n');
}
