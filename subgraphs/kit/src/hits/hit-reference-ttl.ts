import { KitOptionsError } from '../errors';

/** Default lifetime of a hit reference: 24 hours, long enough for a justified follow-up the same day or the next. */
export const DEFAULT_HIT_REFERENCE_TTL_SEC = 24 * 60 * 60;
/** Longest lifetime accepted: 30 days. A reference is a capability; it should not live for ever. */
export const MAX_HIT_REFERENCE_TTL_SEC = 30 * 24 * 60 * 60;
/** The environment variable an agency's `main.ts` reads the lifetime from. */
export const HIT_REFERENCE_TTL_ENV = 'PACTUM_HIT_REFERENCE_TTL_SEC';

/**
 * Checks a hit-reference lifetime: an integer number of seconds, 1 to {@link MAX_HIT_REFERENCE_TTL_SEC}.
 *
 * @throws KitOptionsError (`reason: 'hit_reference_ttl'`) naming `where` and the bad value.
 */
export function checkHitReferenceTtl(value: unknown, where: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > MAX_HIT_REFERENCE_TTL_SEC) {
    throw new KitOptionsError('hit_reference_ttl', `${where} must be an integer number of seconds from 1 to ${MAX_HIT_REFERENCE_TTL_SEC}, got ${JSON.stringify(value)}`);
  }
  return value;
}

/**
 * The hit-reference lifetime from `PACTUM_HIT_REFERENCE_TTL_SEC` (seconds), or the default
 * (24 h) when it is unset or empty. Read once at start-up: a bad value stops the process
 * rather than running with a lifetime nobody chose.
 *
 * @throws KitOptionsError (`reason: 'hit_reference_ttl'`) naming the variable.
 */
export function hitReferenceTtlFromEnv(env: NodeJS.ProcessEnv = process.env): number {
  const text = env[HIT_REFERENCE_TTL_ENV];
  if (text === undefined || text === '') return DEFAULT_HIT_REFERENCE_TTL_SEC;
  const where = `${HIT_REFERENCE_TTL_ENV}=${JSON.stringify(text.slice(0, 20))}`;
  if (!/^[0-9]{1,8}$/.test(text)) checkHitReferenceTtl(text, where);
  return checkHitReferenceTtl(Number(text), where);
}
