import { checkUnLocode } from '..';

describe('checkUnLocode', () => {
  it.each(['NLRTM', 'BEANR', 'ESALG', 'FRLEH', 'DEHAM', 'GB2AB', 'XZAAA'])('accepts %s', (code) => {
    expect(checkUnLocode(code)).toBeNull();
  });

  it.each([
    ['QQRTM', 'UN/LOCODE QQRTM: QQ is not an ISO 3166 country code'],
    ['NLRT0', 'UN/LOCODE NLRT0: location part may use only letters and digits 2-9'],
    ['NLRT1', 'UN/LOCODE NLRT1: location part may use only letters and digits 2-9'],
    ['nlrtm', 'UN/LOCODE nlrtm: letters must be upper case'],
    ['NL RTM', 'UN/LOCODE NL RTM: must not contain spaces (e.g. NLRTM)'],
    ['NLRT', 'UN/LOCODE NLRT: must be a 2-letter country code and 3 letters or digits 2-9'],
    ['NLRTMX', 'UN/LOCODE NLRTMX: must be a 2-letter country code and 3 letters or digits 2-9'],
    ['1LRTM', 'UN/LOCODE 1LRTM: must be a 2-letter country code and 3 letters or digits 2-9'],
  ])('refuses %j with %j', (value, message) => {
    expect(checkUnLocode(value)).toBe(message);
  });
});
