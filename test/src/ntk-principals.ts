/**
 * The scenario's principals as `policies/tests/operations.yaml` states them, for the need-to-know
 * end-to-end tests: one per agency, with the roles, clearance and case memberships the policy
 * tests use, and the purpose each declares.
 */
import type { Stack } from './stack';

/** A principal of the demo world and the purpose it declares. */
export interface NtkPrincipal {
  readonly agency: string;
  readonly roles: readonly string[];
  readonly clearance: string;
  readonly cases?: readonly string[];
  readonly purpose: string;
}

/** Same principals as `policies/tests/operations.yaml` (keyed by agency). */
export const NTK_PRINCIPALS = {
  'NL-POLICE': { agency: 'NL-POLICE', roles: ['investigator'], clearance: 'CONFIDENTIAL', purpose: 'drug-trafficking' },
  'NL-CUSTOMS': { agency: 'NL-CUSTOMS', roles: ['customs-officer'], clearance: 'CONFIDENTIAL', purpose: 'drug-trafficking' },
  'BE-POLICE': { agency: 'BE-POLICE', roles: ['investigator'], clearance: 'CONFIDENTIAL', cases: ['JIT-2024-07'], purpose: 'drug-trafficking' },
  EUROPOL: { agency: 'EUROPOL', roles: ['analyst'], clearance: 'SECRET', purpose: 'drug-trafficking' },
  EUROJUST: {
    agency: 'EUROJUST',
    roles: ['judicial-officer'],
    clearance: 'CONFIDENTIAL',
    cases: ['EJ-2024-0173', 'JIT-2024-07'],
    purpose: 'drug-trafficking',
  },
  'NL-FIOD': { agency: 'NL-FIOD', roles: ['financial-investigator'], clearance: 'CONFIDENTIAL', purpose: 'money-laundering' },
} as const satisfies Record<string, NtkPrincipal>;

export type NtkAgency = keyof typeof NTK_PRINCIPALS;

/** A development token for `principal` from the stack's identity providers, allowed to declare `purposes`. */
export function ntkToken(stack: Stack, principal: NtkPrincipal, purposes: readonly string[] = [principal.purpose]): Promise<string> {
  return stack.keys.token({
    agency: principal.agency,
    sub: `ntk.${principal.agency.toLowerCase()}`,
    roles: principal.roles,
    clearance: principal.clearance,
    purposes,
    ...(principal.cases ? { cases: principal.cases } : {}),
  });
}
