import { ConfigError } from '../../errors';
import { parseBudget, rateLimitConfigFromEnv } from '../index';

describe('rate-limit configuration', () => {
  it('defaults: 600/min per principal, 6000/min per agency, 60 and 600 for hit/no-hit, 60 failed authentications a minute per address, no trusted proxy, in memory', () => {
    expect(rateLimitConfigFromEnv({})).toEqual({
      budgets: {
        principal: { capacity: 600, refillPerSecond: 10 },
        agency: { capacity: 6000, refillPerSecond: 100 },
        hitPrincipal: { capacity: 60, refillPerSecond: 1 },
        hitAgency: { capacity: 600, refillPerSecond: 10 },
        authFailures: { capacity: 60, refillPerSecond: 1 },
      },
      redisPrefix: 'pactum:rl:',
      trustedProxies: { kind: 'none' },
    });
  });

  it('the failed-authentication budget and the trusted proxies are configured like the rest', () => {
    const config = rateLimitConfigFromEnv({ PACTUM_RATE_LIMIT_AUTH_FAILURES: '10/10s', PACTUM_TRUSTED_PROXIES: '2' });
    expect(config.budgets.authFailures).toEqual({ capacity: 10, refillPerSecond: 1 });
    expect(config.trustedProxies).toEqual({ kind: 'hops', hops: 2 });
    expect(rateLimitConfigFromEnv({ PACTUM_RATE_LIMIT_AUTH_FAILURES: 'off' }).budgets.authFailures).toBeUndefined();
    expect(() => rateLimitConfigFromEnv({ PACTUM_TRUSTED_PROXIES: '0.0.0.0/0' })).toThrow('PACTUM_TRUSTED_PROXIES');
  });

  it('budgets are <requests>/<period>, or off', () => {
    expect(parseBudget('X', '5/s')).toEqual({ capacity: 5, refillPerSecond: 5 });
    expect(parseBudget('X', '1000/10s')).toEqual({ capacity: 1000, refillPerSecond: 100 });
    expect(parseBudget('X', '36/1h')).toEqual({ capacity: 36, refillPerSecond: 0.01 });
    expect(parseBudget('X', 'off')).toBeUndefined();
    const config = rateLimitConfigFromEnv({ PACTUM_RATE_LIMIT_AGENCY: 'off', PACTUM_RATE_LIMIT_HIT_PRINCIPAL: '10/1m', PACTUM_REDIS_URL: 'redis://127.0.0.1:6379/2', PACTUM_REDIS_PREFIX: 'gw-a:' });
    expect(config.budgets.agency).toBeUndefined();
    expect(config.budgets.hitPrincipal).toEqual({ capacity: 10, refillPerSecond: 10 / 60 });
    expect(config.redisUrl).toBe('redis://127.0.0.1:6379/2');
    expect(config.redisPrefix).toBe('gw-a:');
  });

  it.each([
    ['PACTUM_RATE_LIMIT_PRINCIPAL', '0/1m'],
    ['PACTUM_RATE_LIMIT_PRINCIPAL', '10'],
    ['PACTUM_RATE_LIMIT_AGENCY', '10/1d'],
    ['PACTUM_RATE_LIMIT_HIT_PRINCIPAL', '-1/1m'],
    ['PACTUM_RATE_LIMIT_HIT_AGENCY', '1.5/1m'],
    ['PACTUM_RATE_LIMIT_HIT_AGENCY', 'OFF'],
    ['PACTUM_RATE_LIMIT_AUTH_FAILURES', '5'],
  ])('%s=%s is refused naming the variable', (name, value) => {
    expect(() => rateLimitConfigFromEnv({ [name]: value })).toThrow(ConfigError);
    expect(() => rateLimitConfigFromEnv({ [name]: value })).toThrow(`${name}=${value}: must be <requests>/<period>`);
  });

  it('a Redis URL that is not redis:// is refused without echoing it (it may hold a password)', () => {
    expect(() => rateLimitConfigFromEnv({ PACTUM_REDIS_URL: 'http://user:secret@host' })).toThrow('PACTUM_REDIS_URL: must be a redis:// or rediss:// URL');
    expect(() => rateLimitConfigFromEnv({ PACTUM_REDIS_URL: 'secret nonsense' })).toThrow('PACTUM_REDIS_URL: not a URL');
    try {
      rateLimitConfigFromEnv({ PACTUM_REDIS_URL: 'http://user:secret@host' });
    } catch (e) {
      expect((e as Error).message).not.toContain('secret');
    }
    expect(() => rateLimitConfigFromEnv({ PACTUM_REDIS_PREFIX: 'has space' })).toThrow('PACTUM_REDIS_PREFIX');
  });
});
