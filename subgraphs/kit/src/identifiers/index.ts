/** Identifier checks and check-digit generators, shared by the subgraphs and the gateway. */
export { checkContainerNumber, containerCheckDigit, inspectContainerNumber } from './container-number';
export { checkImo, imoCheckDigit, inspectImo } from './imo';
export { checkIban, ibanFor, inspectIban } from './iban';
export { IBAN_LENGTHS } from './iban-lengths';
export { checkUnLocode, inspectUnLocode } from './un-locode';
export { assertIdentifier } from './assert-identifier';
