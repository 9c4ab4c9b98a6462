import { IdentifierError } from '../../errors';
import { IBAN_LENGTHS, checkIban, ibanFor } from '..';

describe('checkIban', () => {
  it.each([
    'NL91ABNA0417164300',
    'BE68539007547034',
    'FR1420041010050500013M02606',
    'ES9121000418450200051332',
    'DE89370400440532013000',
    'LU280019400644750000',
  ])('accepts %s', (iban) => {
    expect(checkIban(iban)).toBeNull();
  });

  it.each([
    ['NL91ABNA0417164301', 'IBAN NL91ABNA0417164301: check digits should be 64'],
    ['NL92ABNA0417164300', 'IBAN NL92ABNA0417164300: check digits should be 91'],
    ['NL91ABNA041716430', 'IBAN NL91ABNA041716430: an IBAN from NL has 18 characters, not 17'],
    ['BE6853900754703', 'IBAN BE6853900754703: an IBAN from BE has 16 characters, not 15'],
    ['FR1420041010050500013M026060', 'IBAN FR1420041010050500013M026060: an IBAN from FR has 27 characters, not 28'],
    ['QQ91ABNA0417164300', 'IBAN QQ91ABNA0417164300: country QQ is not a known IBAN country'],
    ['NL91 ABNA 0417 1643 00', 'IBAN NL91 ABNA 0417 1643 00: must not contain spaces (write NL91ABNA0417164300)'],
    ['nl91abna0417164300', 'IBAN nl91abna0417164300: letters must be upper case'],
    ['NLXXABNA0417164300', 'IBAN NLXXABNA0417164300: must be a 2-letter country code, 2 check digits and up to 30 letters or digits'],
    ['NL91ABNA-417164300', 'IBAN NL91ABNA-417164300: must be a 2-letter country code, 2 check digits and up to 30 letters or digits'],
    ['', 'IBAN : must be a 2-letter country code, 2 check digits and up to 30 letters or digits'],
  ])('refuses %j with %j', (value, message) => {
    expect(checkIban(value)).toBe(message);
  });

  it('knows the lengths of the scenario countries', () => {
    expect([IBAN_LENGTHS['NL'], IBAN_LENGTHS['BE'], IBAN_LENGTHS['FR'], IBAN_LENGTHS['ES'], IBAN_LENGTHS['DE'], IBAN_LENGTHS['LU']]).toEqual([18, 16, 27, 24, 22, 20]);
  });

  it('does not take inherited properties for countries', () => {
    expect(checkIban('__00ABC')).toMatch(/must be a 2-letter country code/);
  });
});

describe('ibanFor', () => {
  it('computes the check digits of real examples', () => {
    expect(ibanFor('NL', 'ABNA0417164300')).toBe('NL91ABNA0417164300');
    expect(ibanFor('BE', '539007547034')).toBe('BE68539007547034');
    expect(ibanFor('FR', '20041010050500013M02606')).toBe('FR1420041010050500013M02606');
  });

  it('gives IBANs that pass the check, including check digits below 10', () => {
    for (let i = 0; i < 200; i++) {
      const iban = ibanFor('NL', `RABO${String(i * 7919).padStart(10, '0')}`);
      expect(checkIban(iban)).toBeNull();
    }
  });

  it('refuses a BBAN of the wrong length for the country, or an unknown country', () => {
    expect(() => ibanFor('NL', 'ABNA041716430')).toThrow(IdentifierError);
    expect(() => ibanFor('QQ', 'ABNA0417164300')).toThrow(/country QQ is not a known IBAN country/);
    expect(() => ibanFor('nl', 'ABNA0417164300')).toThrow(/country must be 2 capital letters/);
  });
});
