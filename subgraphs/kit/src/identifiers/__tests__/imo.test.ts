import { IdentifierError } from '../../errors';
import { assertIdentifier, checkImo, imoCheckDigit } from '..';

describe('checkImo', () => {
  it.each(['9074729', '9312042', '9463786', '9587128'])('accepts the scenario vessel %s', (imo) => {
    expect(checkImo(imo)).toBeNull();
  });

  it.each([
    ['9074728', 'IMO number 9074728: check digit should be 9'],
    ['9312040', 'IMO number 9312040: check digit should be 2'],
    ['907472', 'IMO number 907472: must be 7 digits'],
    ['90747290', 'IMO number 90747290: must be 7 digits'],
    ['907472a', 'IMO number 907472a: must be 7 digits'],
    ['', 'IMO number : must be 7 digits'],
    [' 9074729', 'IMO number  9074729: must be 7 digits'],
    ['IMO 9074729', 'IMO number IMO 9074729: write the 7 digits without the IMO prefix'],
    ['IMO9074729', 'IMO number IMO9074729: write the 7 digits without the IMO prefix'],
  ])('refuses %j with %j', (value, message) => {
    expect(checkImo(value)).toBe(message);
  });

  it('computes check digits with weights 7..2', () => {
    expect(imoCheckDigit('907472')).toBe(9);
    expect(imoCheckDigit('958712')).toBe(8);
    expect(() => imoCheckDigit('90747')).toThrow(IdentifierError);
  });

  it('asserts with reason check_digit', () => {
    expect(() => assertIdentifier('imo', '9074728')).toThrow(expect.objectContaining({ kind: 'imo', reason: 'check_digit' }));
  });
});
