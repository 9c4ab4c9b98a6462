import { nameKey } from '..';

describe('nameKey', () => {
  it('ignores case, accents and spacing', () => {
    expect(nameKey('  SOFIA   Kaya ')).toBe('sofia kaya');
    expect(nameKey('José Muñoz-Ålund')).toBe('jose munoz-alund');
    expect(nameKey('Sofia\tKaya')).toBe(nameKey('sofia kaya'));
  });

  it('keeps different names different', () => {
    expect(nameKey('Sofia Kaya')).not.toBe(nameKey('Sofia Kayа')); // the last letter is Cyrillic
  });
});
