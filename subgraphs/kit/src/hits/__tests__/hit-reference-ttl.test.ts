import { KitOptionsError } from '../../errors';
import { DEFAULT_HIT_REFERENCE_TTL_SEC, hitReferenceTtlFromEnv } from '..';

describe('hitReferenceTtlFromEnv', () => {
  it('defaults to 24 hours when PACTUM_HIT_REFERENCE_TTL_SEC is unset or empty', () => {
    expect(DEFAULT_HIT_REFERENCE_TTL_SEC).toBe(86_400);
    expect(hitReferenceTtlFromEnv({})).toBe(86_400);
    expect(hitReferenceTtlFromEnv({ PACTUM_HIT_REFERENCE_TTL_SEC: '' })).toBe(86_400);
  });

  it('reads a number of seconds', () => {
    expect(hitReferenceTtlFromEnv({ PACTUM_HIT_REFERENCE_TTL_SEC: '3600' })).toBe(3600);
    expect(hitReferenceTtlFromEnv({ PACTUM_HIT_REFERENCE_TTL_SEC: '2592000' })).toBe(2_592_000);
  });

  it.each(['0', '-5', '1.5', '1h', ' 60', '2592001', '1e3'])('refuses %j, naming the variable', (text) => {
    let error: unknown;
    try {
      hitReferenceTtlFromEnv({ PACTUM_HIT_REFERENCE_TTL_SEC: text });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(KitOptionsError);
    expect((error as KitOptionsError).reason).toBe('hit_reference_ttl');
    expect((error as KitOptionsError).message).toContain(`PACTUM_HIT_REFERENCE_TTL_SEC=${JSON.stringify(text)}`);
  });
});
