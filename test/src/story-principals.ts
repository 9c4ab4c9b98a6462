/**
 * Principals of the demo world (SCENARIO.md) that several end-to-end tests ask as, with the
 * claims of their development tokens: `stack.keys.token(NL_INVESTIGATOR)`.
 */
import type { TestKeys } from '@pactum/gateway/src/testing';

type TokenRequest = Parameters<TestKeys['token']>[0];

/** j.devries, NL-POLICE investigator on the national investigation NL-ONB-2024-0456. */
export const NL_INVESTIGATOR: TokenRequest = {
  agency: 'NL-POLICE',
  sub: 'j.devries',
  roles: ['investigator'],
  clearance: 'CONFIDENTIAL',
  purposes: ['drug-trafficking'],
  cases: ['NL-ONB-2024-0456'],
};

/** a.bakker, NL-CUSTOMS officer. */
export const NL_CUSTOMS_OFFICER: TokenRequest = {
  agency: 'NL-CUSTOMS',
  sub: 'a.bakker',
  roles: ['customs-officer'],
  clearance: 'CONFIDENTIAL',
  purposes: ['drug-trafficking'],
};
