import { IdentifierError } from '../../errors';
import { assertIdentifier, checkContainerNumber, containerCheckDigit } from '..';

describe('checkContainerNumber', () => {
  it.each(['MSCU1234566', 'MAEU8123457', 'HLXU7032104', 'CMAU4598214', 'TGHU6002137', 'CSQU3054383'])(
    'accepts the scenario container %s',
    (number) => {
      expect(checkContainerNumber(number)).toBeNull();
    },
  );

  it('accepts the J and Z categories', () => {
    const j = `ABCJ123456${containerCheckDigit('ABCJ123456')}`;
    const z = `ABCZ123456${containerCheckDigit('ABCZ123456')}`;
    expect(checkContainerNumber(j)).toBeNull();
    expect(checkContainerNumber(z)).toBeNull();
  });

  it.each([
    ['MSCU1234567', 'container number MSCU1234567: check digit should be 6'],
    ['MSCU1234560', 'container number MSCU1234560: check digit should be 6'],
    ['ABC', 'container number ABC: must be 4 letters and 7 digits'],
    ['', 'container number : must be 4 letters and 7 digits'],
    ['MSCU123456', 'container number MSCU123456: must be 4 letters and 7 digits'],
    ['MSCU12345667', 'container number MSCU12345667: must be 4 letters and 7 digits'],
    ['MSC01234566', 'container number MSC01234566: must be 4 letters and 7 digits'],
    ['MSCX1234566', 'container number MSCX1234566: category letter must be U, J or Z, not X'],
    ['mscu1234566', 'container number mscu1234566: letters must be upper case'],
    ['MSCU 1234566', 'container number MSCU 1234566: must not contain spaces (4 letters and 7 digits, e.g. MSCU1234566)'],
    ['MSCU123456６', 'container number MSCU123456６: must be 4 letters and 7 digits'],
  ])('refuses %j with %j', (value, message) => {
    expect(checkContainerNumber(value)).toBe(message);
  });

  it('cuts very long values in the message', () => {
    const message = checkContainerNumber('X'.repeat(10_000));
    expect(message).toBe(`container number ${'X'.repeat(40)}…: must be 4 letters and 7 digits`);
  });

  it('writes a remainder of 10 as check digit 0', () => {
    // Find a serial whose ISO 6346 remainder is 10 and check the 0 / non-0 outcome.
    let first10 = '';
    for (let serial = 0; serial < 1000 && first10 === ''; serial++) {
      const candidate = `ABCU${String(serial).padStart(6, '0')}`;
      const digits = [...candidate].map((ch, i) => {
        const values: Record<string, number> = { A: 10, B: 12, C: 13, U: 32 };
        return (values[ch] ?? Number(ch)) * 2 ** i;
      });
      if (digits.reduce((a, b) => a + b, 0) % 11 === 10) first10 = candidate;
    }
    expect(first10).not.toBe('');
    expect(containerCheckDigit(first10)).toBe(0);
    expect(checkContainerNumber(`${first10}0`)).toBeNull();
  });
});

describe('containerCheckDigit', () => {
  it('computes the digit of the scenario numbers', () => {
    expect(containerCheckDigit('MSCU123456')).toBe(6);
    expect(containerCheckDigit('CSQU305438')).toBe(3);
  });

  it('refuses input that is not 4 letters and 6 digits', () => {
    expect(() => containerCheckDigit('MSCU12345')).toThrow(IdentifierError);
    expect(() => containerCheckDigit('mscu123456')).toThrow('container number mscu123456: the first 10 characters must be 4 letters and 6 digits');
  });
});

describe('assertIdentifier(container-number)', () => {
  it('returns a valid value and throws an IdentifierError with kind, value and reason', () => {
    expect(assertIdentifier('container-number', 'MSCU1234566')).toBe('MSCU1234566');
    try {
      assertIdentifier('container-number', 'MSCU1234567');
      throw new Error('did not throw');
    } catch (error) {
      expect(error).toBeInstanceOf(IdentifierError);
      const e = error as IdentifierError;
      expect([e.kind, e.value, e.reason, e.code]).toEqual(['container-number', 'MSCU1234567', 'check_digit', 'BAD_USER_INPUT']);
    }
  });
});
