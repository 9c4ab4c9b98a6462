import { checkContainerNumber } from '../identifiers/container-number';
import { checkIban } from '../identifiers/iban';
import { checkImo } from '../identifiers/imo';
import { checkUnLocode } from '../identifiers/un-locode';
import { stringScalar } from './identifier-scalar';

/** ISO 6346 container number, check digit verified (`MSCU1234566`). */
export const ContainerNumber = stringScalar({
  name: 'ContainerNumber',
  description: 'ISO 6346 container number: owner code, category U/J/Z, 6-digit serial, check digit (e.g. MSCU1234566).',
  problemOf: checkContainerNumber,
});

/** IMO ship identification number, 7 digits, check digit verified (`9074729`). */
export const IMO = stringScalar({
  name: 'IMO',
  description: 'IMO ship identification number: 7 digits, the last a check digit, no "IMO" prefix (e.g. 9074729).',
  problemOf: checkImo,
});

/** IBAN in electronic form, mod-97 verified (`NL91ABNA0417164300`). */
export const IBAN = stringScalar({
  name: 'IBAN',
  description: 'International Bank Account Number, electronic form without spaces, mod-97 verified (e.g. NL91ABNA0417164300).',
  problemOf: checkIban,
});

/** UN/LOCODE of a port or place (`NLRTM`). */
export const UNLocode = stringScalar({
  name: 'UNLocode',
  description: 'UN/LOCODE: ISO 3166 country code and 3 characters A-Z / 2-9 (e.g. NLRTM).',
  problemOf: checkUnLocode,
});
