/**
 * Rate-limit configuration, parsed once at start-up from the environment (defaults here and
 * nowhere else). Four budgets, each `<requests>/<period>` — a bucket of that many tokens that
 * refills that many per period, evenly — or `off`:
 *
 * | variable | default | counts |
 * |---|---|---|
 * | `PACTUM_RATE_LIMIT_PRINCIPAL` | `600/1m` | every authenticated request of one principal (agency + subject) |
 * | `PACTUM_RATE_LIMIT_AGENCY` | `6000/1m` | every authenticated request of one agency |
 * | `PACTUM_RATE_LIMIT_HIT_PRINCIPAL` | `60/1m` | requests of one principal that select a hit/no-hit field |
 * | `PACTUM_RATE_LIMIT_HIT_AGENCY` | `600/1m` | the same, per agency |
 * | `PACTUM_RATE_LIMIT_AUTH_FAILURES` | `60/1m` | requests of one client address that fail authentication |
 *
 * The last is the one budget before verification: once an address has spent it, its requests are
 * refused before their token is looked at. `PACTUM_TRUSTED_PROXIES` says whose `x-forwarded-for`
 * names the client (`client-address.ts`); by default nobody's.
 *
 * `PACTUM_REDIS_URL` (`redis://…`) keeps the buckets in Redis so that replicas share them;
 * `PACTUM_REDIS_PREFIX` (default `pactum:rl:`) prefixes their keys.
 */
import { ConfigError } from '../errors';
import { parseTrustedProxies, type TrustedProxies } from './client-address';
import type { BucketSpec } from './token-bucket';

export type BudgetName = 'principal' | 'agency' | 'hitPrincipal' | 'hitAgency' | 'authFailures';

export interface RateLimitConfig {
  /** A budget left out (`off`) counts nothing. */
  readonly budgets: Readonly<Partial<Record<BudgetName, BucketSpec>>>;
  /** Redis URL (`PACTUM_REDIS_URL`); absent: buckets in this process. */
  readonly redisUrl?: string;
  /** Key prefix in Redis (`PACTUM_REDIS_PREFIX`). */
  readonly redisPrefix: string;
  /** Whose `x-forwarded-for` names the client (`PACTUM_TRUSTED_PROXIES`); absent: nobody's. */
  readonly trustedProxies?: TrustedProxies;
}

const VARIABLES: Readonly<Record<BudgetName, readonly [string, string]>> = {
  principal: ['PACTUM_RATE_LIMIT_PRINCIPAL', '600/1m'],
  agency: ['PACTUM_RATE_LIMIT_AGENCY', '6000/1m'],
  hitPrincipal: ['PACTUM_RATE_LIMIT_HIT_PRINCIPAL', '60/1m'],
  hitAgency: ['PACTUM_RATE_LIMIT_HIT_AGENCY', '600/1m'],
  authFailures: ['PACTUM_RATE_LIMIT_AUTH_FAILURES', '60/1m'],
};

const PERIOD_MS: Readonly<Record<string, number>> = { s: 1000, m: 60_000, h: 3_600_000 };
const BUDGET = /^([1-9]\d{0,8})\/([1-9]\d{0,4})?([smh])$/;

/** Parses `<requests>/<period>` (`120/1m`, `5/s`, `1000/10s`) or `off`; throws {@link ConfigError} naming the variable. */
export function parseBudget(name: string, raw: string): BucketSpec | undefined {
  if (raw === 'off') return undefined;
  const m = BUDGET.exec(raw);
  if (!m) throw new ConfigError('bad_option', `${name}=${raw}: must be <requests>/<period> such as 120/1m, 5/s or 1000/10s (period in s, m or h), or off`);
  const capacity = Number(m[1]);
  const periodMs = Number(m[2] ?? '1') * (PERIOD_MS[m[3] as string] as number);
  return { capacity, refillPerSecond: (capacity * 1000) / periodMs };
}

export function rateLimitConfigFromEnv(env: NodeJS.ProcessEnv = process.env): RateLimitConfig {
  const budgets: Partial<Record<BudgetName, BucketSpec>> = {};
  for (const [budget, [name, fallback]] of Object.entries(VARIABLES) as [BudgetName, readonly [string, string]][]) {
    const raw = env[name];
    const spec = parseBudget(name, raw === undefined || raw === '' ? fallback : raw);
    if (spec) budgets[budget] = spec;
  }
  const url = env.PACTUM_REDIS_URL;
  let redisUrl: string | undefined;
  if (url !== undefined && url !== '') {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new ConfigError('bad_option', `PACTUM_REDIS_URL: not a URL`);
    }
    if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') throw new ConfigError('bad_option', 'PACTUM_REDIS_URL: must be a redis:// or rediss:// URL');
    redisUrl = url;
  }
  const prefix = env.PACTUM_REDIS_PREFIX ?? 'pactum:rl:';
  if (!/^[\w:.-]{1,64}$/.test(prefix)) throw new ConfigError('bad_option', `PACTUM_REDIS_PREFIX=${prefix}: 1-64 letters, digits, '_', ':', '.', '-'`);
  return { budgets, ...(redisUrl !== undefined ? { redisUrl } : {}), redisPrefix: prefix, trustedProxies: parseTrustedProxies(env.PACTUM_TRUSTED_PROXIES) };
}
