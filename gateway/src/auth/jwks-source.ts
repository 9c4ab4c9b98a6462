/**
 * One identity provider's signing keys: fetched, cached and refreshed. Rotation works without a
 * restart (an unknown `kid` triggers one refetch, rate-limited by a cooldown); an unreachable
 * endpoint is served from cache up to `maxStaleMs` after the last good fetch, then the issuer is
 * refused (fail closed) — other issuers have their own source and are unaffected.
 */
import { stat, readFile } from 'node:fs/promises';
import { importJWK, type KeyLike } from 'jose';
import { UnauthenticatedError } from '../errors';
import { keyTypeFor, type AsymmetricAlgorithm } from './algorithms';
import { parseJwks, type PublicJwk } from './jwks-document';
import type { JwksLocation } from './trust-registry';

/** Timing and size limits of JWKS handling. Every value has a default (see `JWKS_DEFAULTS`). */
export interface JwksOptions {
  /** Abort a fetch after this long. Default 2 000 ms. */
  readonly timeoutMs?: number;
  /** Refetch keys older than this on next use. Default 10 minutes. */
  readonly refreshIntervalMs?: number;
  /** While the endpoint fails, keep serving keys up to this long after the last good fetch. Default 1 hour. */
  readonly maxStaleMs?: number;
  /** Minimum gap between fetch attempts triggered by an unknown `kid` or a failure. Default 30 s. */
  readonly cooldownMs?: number;
  /** Largest JWKS response accepted. Default 256 KiB. */
  readonly maxResponseBytes?: number;
  /** How often a `file:` JWKS is checked for a change of mtime. Default 1 000 ms. */
  readonly fileCheckIntervalMs?: number;
}

/** Defaults of {@link JwksOptions}, in one place. */
export const JWKS_DEFAULTS: Required<JwksOptions> = {
  timeoutMs: 2_000,
  refreshIntervalMs: 10 * 60_000,
  maxStaleMs: 60 * 60_000,
  cooldownMs: 30_000,
  maxResponseBytes: 256 * 1024,
  fileCheckIntervalMs: 1_000,
};

/**
 * What a source can do now, without fetching: `ok` (keys from the last fetch, which succeeded),
 * `stale` (the last fetch failed; keys of an earlier one still served, within `maxStaleMs`),
 * `unavailable` (no usable keys: tokens of this issuer are refused), `not_fetched` (no token of
 * this issuer seen yet; keys are fetched on first use).
 */
export type JwksState = 'ok' | 'stale' | 'unavailable' | 'not_fetched';

/** Resolves the verification key for a token header. */
export interface JwksSource {
  /** Throws `UnauthenticatedError` `unknown_key` or `jwks_unavailable`. */
  getKey(alg: AsymmetricAlgorithm, kid: string | undefined): Promise<KeyLike | Uint8Array>;
  /** The source's state (see {@link JwksState}); reads, never fetches. */
  state(): JwksState;
}

interface Cache {
  readonly keys: readonly PublicJwk[];
  /** When these keys were last fetched successfully (ms). */
  readonly fetchedAt: number;
  /** File sources: mtime of the file read. */
  readonly mtimeMs?: number;
}

/** Creates the key source of one issuer. `now` is injectable so tests never wait for real time. */
export function createJwksSource(location: JwksLocation, options: JwksOptions = {}, now: () => number = Date.now): JwksSource {
  const o = { ...JWKS_DEFAULTS, ...options };
  let cache: Cache | undefined;
  let lastAttemptAt = Number.NEGATIVE_INFINITY;
  let lastFileCheckAt = Number.NEGATIVE_INFINITY;
  let inFlight: Promise<boolean> | undefined;
  let lastFetchFailed = false;
  const imported = new WeakMap<PublicJwk, Map<string, Promise<KeyLike | Uint8Array>>>();

  /** One fetch at a time; concurrent callers share it. Resolves true when the cache was refreshed. */
  function refresh(): Promise<boolean> {
    inFlight ??= (async () => {
      lastAttemptAt = now();
      try {
        const fresh = location.kind === 'url' ? await fetchUrl(location.url, o) : await readJwksFile(location.path, cache);
        cache = fresh === cache ? fresh : { ...fresh, fetchedAt: now() };
        lastFetchFailed = false;
        return true;
      } catch {
        lastFetchFailed = true;
        // The reason stays in the source (not leaked to clients); the caller decides stale-or-refuse.
        return false;
      } finally {
        inFlight = undefined;
      }
    })();
    return inFlight;
  }

  async function currentKeys(): Promise<readonly PublicJwk[]> {
    const t = now();
    if (location.kind === 'file') {
      // Cheap mtime check so a regenerated dev key set is picked up without restart.
      if (!cache || t - lastFileCheckAt >= o.fileCheckIntervalMs) {
        lastFileCheckAt = t;
        await refresh();
      }
    } else if (!cache) {
      if (t - lastAttemptAt >= o.cooldownMs) await refresh();
    } else if (t - cache.fetchedAt >= o.refreshIntervalMs && t - lastAttemptAt >= o.cooldownMs) {
      await refresh();
    }
    if (!cache) throw unavailable();
    // Fail closed once the keys are older than the configured maximum: the endpoint has been down too long.
    if (location.kind === 'url' && now() - cache.fetchedAt > o.maxStaleMs) throw unavailable();
    return cache.keys;
  }

  function importKey(jwk: PublicJwk, alg: AsymmetricAlgorithm): Promise<KeyLike | Uint8Array> {
    let byAlg = imported.get(jwk);
    if (!byAlg) imported.set(jwk, (byAlg = new Map()));
    let key = byAlg.get(alg);
    if (!key) {
      key = importJWK({ ...jwk }, alg);
      byAlg.set(alg, key);
    }
    return key;
  }

  return {
    state() {
      if (!cache) return lastAttemptAt === Number.NEGATIVE_INFINITY ? 'not_fetched' : 'unavailable';
      if (location.kind === 'url' && now() - cache.fetchedAt > o.maxStaleMs) return 'unavailable';
      return lastFetchFailed ? 'stale' : 'ok';
    },
    async getKey(alg, kid) {
      let jwk = select(await currentKeys(), alg, kid);
      if (!jwk && now() - lastAttemptAt >= o.cooldownMs && location.kind === 'url') {
        // Possibly a rotated key: one refetch, then decide. The cooldown keeps a flood of made-up kids from hammering the IdP.
        await refresh();
        jwk = select(await currentKeys(), alg, kid);
      }
      if (!jwk) throw new UnauthenticatedError('unknown_key', 'token signed with a key the issuer does not publish');
      try {
        return await importKey(jwk, alg);
      } catch (cause) {
        throw new UnauthenticatedError('unknown_key', 'the issuer publishes this key in an unusable form', { cause });
      }
    },
  };
}

function unavailable(): UnauthenticatedError {
  return new UnauthenticatedError('jwks_unavailable', "the issuer's signing keys are unavailable");
}

/** The single key matching the header; ambiguity (no kid, several candidates) is a miss. */
function select(keys: readonly PublicJwk[], alg: AsymmetricAlgorithm, kid: string | undefined): PublicJwk | undefined {
  const want = keyTypeFor(alg);
  const candidates = keys.filter(
    (k) =>
      k.kty === want.kty &&
      (want.crv === undefined || (typeof k.crv === 'string' && want.crv.includes(k.crv))) &&
      (k.alg === undefined || k.alg === alg) &&
      (k.key_ops === undefined || (Array.isArray(k.key_ops) && k.key_ops.includes('verify'))) &&
      (kid === undefined || k.kid === kid),
  );
  return candidates.length === 1 ? candidates[0] : undefined;
}

async function fetchUrl(url: string, o: Required<JwksOptions>): Promise<Cache> {
  // Global fetch (undici) on purpose: msw intercepts it in tests.
  const response = await fetch(url, {
    signal: AbortSignal.timeout(o.timeoutMs),
    redirect: 'error',
    headers: { accept: 'application/jwk-set+json, application/json' },
  });
  if (response.status !== 200) throw new Error(`JWKS endpoint answered ${response.status}`);
  const text = await readLimited(response, o.maxResponseBytes);
  const parsed = parseJwks(text);
  if ('problem' in parsed) throw new Error(parsed.problem);
  return { keys: parsed.keys, fetchedAt: 0 };
}

async function readLimited(response: Response, limit: number): Promise<string> {
  const declared = Number(response.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > limit) throw new Error('JWKS response too large');
  if (!response.body) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of response.body) {
    size += chunk.byteLength;
    if (size > limit) throw new Error('JWKS response too large');
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

async function readJwksFile(file: string, previous: Cache | undefined): Promise<Cache> {
  const info = await stat(file);
  if (previous && previous.mtimeMs === info.mtimeMs) return previous;
  const parsed = parseJwks(await readFile(file, 'utf8'));
  if ('problem' in parsed) throw new Error(parsed.problem);
  return { keys: parsed.keys, fetchedAt: 0, mtimeMs: info.mtimeMs };
}
