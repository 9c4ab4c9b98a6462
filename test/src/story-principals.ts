/**
 * Principals of the demo world (docs/demo-world.md) that several end-to-end tests ask as, with the
 * claims of their development tokens: `stack.keys.token(NL_INVESTIGATOR)`.
 */
import { EXAMPLE_PRINCIPAL } from '@pactum/gateway/src/cli/commands/dev-environment';
import type { TestKeys } from '@pactum/gateway/src/testing';

type TokenRequest = Parameters<TestKeys['token']>[0];

/** j.devries, NL-POLICE investigator on NL-ONB-2024-0456: the principal of `pactum start`'s example request. */
export const NL_INVESTIGATOR: TokenRequest = EXAMPLE_PRINCIPAL;

/** a.bakker, NL-CUSTOMS officer. */
export const NL_CUSTOMS_OFFICER: TokenRequest = {
  agency: 'NL-CUSTOMS',
  sub: 'a.bakker',
  roles: ['customs-officer'],
  clearance: 'CONFIDENTIAL',
  purposes: ['drug-trafficking'],
};
