/**
 * The three steps of a gateway key rotation, on the key folder (`gateway-key-set.ts`):
 *
 * 1. `addNextGatewayKey`: a new key becomes `next`; it is published, but nothing is signed with it.
 *    Wait until every subgraph has fetched the set again (its JWKS cache age, 60 s by default)
 *    — a subgraph that has not would still fetch on the first unknown `kid`, but one fetch per
 *    cool-down at most.
 * 2. `promoteNextGatewayKey`: `next` becomes `current` (it signs from now on) and the old current
 *    key is kept as `previous`, public half only, so tokens it signed stay valid until they expire.
 * 3. `retirePreviousGatewayKey`: once no token of `previous` can be alive (the longest context
 *    token lifetime, 60 s, plus clock tolerance and the gateway's reload), it is no longer published
 *    (its public half moves to `gateway.retired.jwks.json`, for audit checkpoints it signed).
 *
 * Each step is one atomic file operation, so a gateway that reloads in between sees the old or the
 * new folder, never a mix; each refuses to run out of order.
 */
import { generateKeyPairSync } from 'node:crypto';
import { existsSync, renameSync, statSync, unlinkSync } from 'node:fs';
import path from 'node:path';
import { ConfigError } from '../errors';
import { CONTEXT_TOKEN_MAX_TTL_SEC } from './context-token-signer';
import { GATEWAY_KEY_FILES, loadGatewayKeySet, retiredGatewayPublicKeys, type GatewayKeySet } from './gateway-key-set';
import { createFileOnce, replaceFile } from './key-files';

/** Least age of `previous` before it may be retired, in seconds: token lifetime + clock tolerance + reload. */
export const RETIRE_AFTER_SEC = CONTEXT_TOKEN_MAX_TTL_SEC + 15;

/** Step 1: creates the next key. @throws ConfigError when there is one already or a previous key is still published. */
export function addNextGatewayKey(dir: string): GatewayKeySet {
  const set = loadGatewayKeySet(dir, { create: false });
  if (set.next) throw new ConfigError('bad_option', `a next key (${set.next.kid}) exists already: promote it first`);
  if (set.previous) throw new ConfigError('bad_option', `the previous key (${set.previous.kid}) is still published: retire it first`);
  const { privateKey } = generateKeyPairSync('ed25519');
  createFileOnce(path.join(dir, GATEWAY_KEY_FILES.next), `${JSON.stringify(privateKey.export({ format: 'jwk' }))}\n`, 0o600);
  return loadGatewayKeySet(dir, { create: false });
}

/** Step 2: the next key signs from now on; the current one stays published as `previous`. */
export function promoteNextGatewayKey(dir: string): GatewayKeySet {
  const set = loadGatewayKeySet(dir, { create: false });
  if (!set.next) throw new ConfigError('bad_option', 'there is no next key to promote: add one first (pactum keys next)');
  // previous first: from then on the old key stays published whatever else happens.
  replaceFile(path.join(dir, GATEWAY_KEY_FILES.previous), `${JSON.stringify(set.current.publicJwk, null, 2)}\n`, 0o644);
  renameSync(path.join(dir, GATEWAY_KEY_FILES.next), path.join(dir, GATEWAY_KEY_FILES.current));
  return loadGatewayKeySet(dir, { create: false });
}

/**
 * Step 3: stops publishing the previous key. Refused while it was demoted less than
 * {@link RETIRE_AFTER_SEC} ago, unless `force` (a key known to be compromised).
 */
export function retirePreviousGatewayKey(dir: string, options: { readonly force?: boolean; readonly now?: () => Date } = {}): GatewayKeySet {
  const file = path.join(dir, GATEWAY_KEY_FILES.previous);
  if (!existsSync(file)) throw new ConfigError('bad_option', 'there is no previous key to retire');
  const ageSec = ((options.now ?? (() => new Date()))().getTime() - statSync(file).mtimeMs) / 1000;
  if (!options.force && ageSec < RETIRE_AFTER_SEC) {
    throw new ConfigError('bad_option', `the previous key was replaced ${Math.floor(ageSec)} s ago; tokens it signed may live until ${RETIRE_AFTER_SEC} s: retry in ${Math.ceil(RETIRE_AFTER_SEC - ageSec)} s (or --force)`);
  }
  // Kept for good before it stops being published: audit checkpoints it signed must still verify.
  const set = loadGatewayKeySet(dir, { create: false });
  const retired = retiredGatewayPublicKeys(dir).filter((k) => k.kid !== set.previous?.kid);
  replaceFile(path.join(dir, GATEWAY_KEY_FILES.retired), `${JSON.stringify({ keys: [...retired, set.previous?.publicJwk] }, null, 2)}\n`, 0o644);
  unlinkSync(file);
  return loadGatewayKeySet(dir, { create: false });
}
